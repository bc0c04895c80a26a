import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// Writes the files of one export into a staging directory, streaming the ledger twice:
/// the record entries before the period (context), then every entry of the period. Only
/// the records state (people, keys, changes) and O(log n) tree hashes are held in memory.
final class ExportBuilder {
    let store: LedgerStore
    let staging: String
    let period: ClosedRange<Int>
    let treeSize: Int
    let treeRoot: Digest
    let progress: ExportProgress?
    var facts: ReportFacts
    private var state = RecordsState()
    private var contextProofs: [(seq: Int, hash: Digest)] = []
    private(set) var files: [ManifestFile] = []

    init(store: LedgerStore, staging: String, period: ClosedRange<Int>, treeSize: Int, treeRoot: Digest,
         manifest: ExportManifest, progress: ExportProgress?) {
        self.store = store
        self.staging = staging
        self.period = period
        self.treeSize = treeSize
        self.treeRoot = treeRoot
        self.progress = progress
        self.facts = ReportFacts(manifest: manifest)
    }

    /// Pass 1: record entries before the period → context.jsonl, policies/, records state.
    func writeContext() throws(ExportError) {
        let out = try StagedFile(name: ExportLayout.context, directory: staging)
        var policies: [ManifestFile] = []
        try stream(from: 0, to: period.lowerBound - 1, kinds: RecordsState.foldedKinds, phase: "context") { (row, leafInput, entry) throws(ExportError) in
            try out.write(leafInput[1...])
            try out.write([0x0A])
            self.contextProofs.append((row.seq, row.hash))
            if let policy = try self.notePolicy(entry) { policies.append(policy) }
            self.state.replay(entry)
        }
        files.append(try out.finish())
        files += policies
        facts.atStart = state
        facts.manifest.contextCount = contextProofs.count
    }

    /// Pass 2: every entry of the period → entries.jsonl, audit-trail.csv, the report's
    /// entries table; the compact range that proves them; the records state at the end.
    func writePeriod(prefix: CompactRange) throws(ExportError) -> CompactRange {
        let jsonl = try StagedFile(name: ExportLayout.entries, directory: staging)
        let csv = try StagedFile(name: ExportLayout.csv, directory: staging)
        let rows = try StagedFile(name: "entries-table.fragment", directory: staging + "/.fragments")
        try csv.write(CSVTrail.byteOrderMark)
        try csv.write(CSVTrail.record(CSVTrail.header))
        var range = prefix
        var policies: [ManifestFile] = []
        let folded = Set(RecordsState.foldedKinds)
        try stream(from: period.lowerBound, to: period.upperBound, kinds: nil, phase: "entries") { (row, leafInput, entry) throws(ExportError) in
            try jsonl.write(leafInput[1...])
            try jsonl.write([0x0A])
            range.append(row.hash)
            self.facts.kindCounts[row.kind, default: 0] += 1
            let before = TrailBefore.capture(entry, self.state)
            if folded.contains(row.kind) {
                if let policy = try self.notePolicy(entry) { policies.append(policy) }
                self.state.replay(entry)
                self.noteSummary(entry)
            }
            let line = TrailLine.describe(entry, hash: row.hash, before: before, after: self.state)
            try csv.write(CSVTrail.record(line.cells))
            try rows.write(ReportHTML.entryRow(line))
        }
        files.append(try jsonl.finish())
        files.append(try csv.finish())
        _ = try rows.finish()
        files += policies
        facts.atEnd = state
        return range
    }

    /// report.html: head from the facts, the streamed table, the tail.
    func writeReport() throws(ExportError) {
        let out = try StagedFile(name: ExportLayout.report, directory: staging)
        try out.write(ReportHTML.head(facts))
        try out.append(contentsOf: staging + "/.fragments/entries-table.fragment")
        try out.write(ReportHTML.tail(facts))
        files.insert(try out.finish(), at: 0)
    }

    /// report.pdf beside report.html, printed by headless Chromium from the staged HTML.
    func writePDF(_ renderer: PDFRenderer) throws(ExportError) {
        let path = staging + "/" + ExportLayout.reportPDF
        try renderer.render(html: staging + "/" + ExportLayout.report, pdf: path)
        let (digest, size) = try ExportWriter.hashFile(path)
        files.append(ManifestFile(name: ExportLayout.reportPDF, size: size, sha256: digest))
    }

    /// proofs.jsonl: the period's proof, then one inclusion proof per context entry.
    func writeProofs(header: ProofsHeader) throws(ExportError) {
        let out = try StagedFile(name: ExportLayout.proofs, directory: staging)
        try out.write(header.jsonValue.canonicalBytes() + [0x0A])
        for (i, c) in contextProofs.enumerated() {
            let proof: InclusionProof
            do { proof = try store.inclusionProof(seq: c.seq, size: treeSize) } catch { throw .ledger(error) }
            guard proof.leafHash == c.hash, proof.root == treeRoot else {
                throw .inconsistentLedger(seq: c.seq, reason: "its inclusion proof does not lead to the checkpoint's root")
            }
            try out.write(ContextProof(seq: c.seq, leafHash: c.hash, treeSize: treeSize, path: proof.path).jsonValue.canonicalBytes() + [0x0A])
            if i % 4096 == 0 { progress?("proofs", i, contextProofs.count) }
        }
        files.append(try out.finish())
    }

    /// A small file written whole (checkpoints, keys.json).
    func writeSmall(_ name: String, _ bytes: [UInt8]) throws(ExportError) {
        let out = try StagedFile(name: name, directory: staging)
        try out.write(bytes)
        files.append(try out.finish())
    }

    // MARK: Streaming

    /// Streams rows, checking each stored hash against its bytes and the chain of `prev`
    /// links, so an export never hands out entries the ledger itself would fail.
    private func stream(from: Int, to: Int, kinds: [String]?, phase: String,
                        _ body: (StoredEntryRow, [UInt8], Entry) throws(ExportError) -> Void) throws(ExportError) {
        guard from <= to else { return }
        var previous: (seq: Int, hash: Digest)?
        var done = 0
        let total = to - from + 1
        do {
            try store.forEachRow(fromSeq: from, toSeq: to, kinds: kinds) { row in
                let leafInput = row.leafInput()
                guard MerkleHash.leafHash(leafInput) == row.hash else {
                    throw ExportError.inconsistentLedger(seq: row.seq, reason: "its stored hash is not the hash of its bytes; run `auditctl verify`")
                }
                if kinds == nil {
                    if let previous, previous.seq + 1 != row.seq || row.prev != previous.hash {
                        throw ExportError.inconsistentLedger(seq: row.seq, reason: "it does not follow seq \(previous.seq) in the hash chain; run `auditctl verify`")
                    }
                    previous = (row.seq, row.hash)
                }
                let entry = try row.entry()
                try body(row, leafInput, entry)
                done += 1
                if done & 0x3FFF == 0 { self.progress?(phase, kinds == nil ? done : row.seq - from + 1, total) }
            }
        } catch let e as ExportError {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .ledger(.storage(path: store.path, message: "\(error)"))
        }
        if kinds == nil, done != total {
            throw .inconsistentLedger(seq: from + done, reason: "the ledger has \(done) entries between seq \(from) and \(to), not \(total)")
        }
        progress?(phase, total, total)
    }

    /// Writes policies/approval-policy-seq<N>.yaml for a `policy.updated` entry.
    private func notePolicy(_ e: Entry) throws(ExportError) -> ManifestFile? {
        guard e.kind == EntryKind.policyUpdated, let content = e.payload["content"]?.stringValue else { return nil }
        if let digest = e.payload["digest"]?.stringValue.flatMap(Digest.init(prefixed:)) { facts.policySeqs[digest] = e.seq }
        let out = try StagedFile(name: ExportLayout.policyFile(seq: e.seq), directory: staging)
        try out.write(content)
        return try out.finish()
    }

    /// Period counts the report's summary needs beyond the records state.
    private func noteSummary(_ e: Entry) {
        switch e.kind {
        case EntryKind.topologyChecked:
            facts.topologyChecks.append((e.seq, e.time, e.payload["topologyFile"]?.stringValue ?? "?",
                                         e.payload["topologyDigest"]?.stringValue ?? "?", e.payload["compliant"]?.boolValue == true,
                                         e.payload["openFindings"]?.arrayValue?.count ?? 0))
        case EntryKind.accountLocked: facts.lockouts.append((e.seq, e.time, e.subject))
        case EntryKind.authFailed: facts.authFailures += 1
        case EntryKind.exportGenerated: facts.exports.append((e.seq, e.time, e.actor))
        default: break
        }
    }
}

extension MerkleHash {
    /// SHA-256 of a leaf input that already starts with the 0x00 prefix.
    static func leafHash(_ leafInput: [UInt8]) -> Digest { SHA256.hash(leafInput) }
}
