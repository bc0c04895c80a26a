import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import Foundation

/// Writes a regulator export (see `ExportLayout`) and records it. The one entry point for
/// the CLI (`auditctl export`) and the HTTP service (`/api/v1/exports`): both authorize the
/// person first (`RecordsService.authorizeExport`), then call `write`.
public enum ExportWriter {
    /// Writes the ZIP to `path` and appends `export.generated` (with the manifest's and the
    /// ZIP's SHA-256) signed by the authorized admin or auditor. The ZIP appears at `path`
    /// only once it is recorded: an export that cannot be recorded is not handed out (Z10).
    public static func write(service: RecordsService, authorization: ExportAuthorization, request: ExportRequest,
                             logSigner: NoteSigner, to path: String, pdf: PDFRenderer? = nil,
                             progress: ExportProgress? = nil, now: Date = Date()) async throws(ExportError) -> ExportResult {
        let store = service.store
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .invalidRequest(field: "out", reason: "\(path) exists; an export never overwrites a file")
        }
        let checkpoint = try await currentCheckpoint(store, logSigner: logSigner)
        let records: RecordsState
        do {
            records = RecordsState.fold(try store.entries(EntryFilter(kinds: RecordsState.foldedKinds, toSeq: checkpoint.size - 1)))
        } catch { throw .ledger(error) }
        if let open = records.openProblems.first {
            throw .records(.needsAttention(first: open, count: records.openProblems.count))
        }
        let period = try ExportPeriod.resolve(request, store: store, treeSize: checkpoint.size, records: records)
        let staging = path + ".staging-\(UUID().uuidString.prefix(8))"
        let partial = path + ".partial-\(UUID().uuidString.prefix(8))"
        defer {
            try? FileManager.default.removeItem(atPath: staging)
            try? FileManager.default.removeItem(atPath: partial)
        }
        do { try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false) } catch {
            throw .io(path: staging, reason: "\(error)")
        }
        let manifest = try build(store: store, authorization: authorization, request: request, checkpoint: checkpoint,
                                 period: period, staging: staging, logSigner: logSigner, pdf: pdf, progress: progress, now: now)
        let manifestBytes = manifest.bytes
        let manifestDigest = SHA256.hash(manifestBytes)
        progress?("zip", 0, 1)
        let order = [ExportLayout.manifest, ExportLayout.manifestSignature] + manifest.files.map(\.name)
        try ZipPackager.pack(files: order, from: staging, to: partial, date: UTCTime.parse(manifest.generatedAt) ?? now)
        let (zipDigest, zipSize) = try hashFile(partial)
        progress?("zip", 1, 1)
        let details: [String: JSONValue] = [
            "manifestDigest": .string(manifestDigest.prefixed), "zipDigest": .string(zipDigest.prefixed),
            "zipSize": .number(Double(zipSize)), "file": .string((path as NSString).lastPathComponent),
            "firstSeq": .number(Double(manifest.firstSeq)), "lastSeq": .number(Double(manifest.lastSeq)),
            "checkpointSize": .number(Double(manifest.checkpointSize)), "selection": manifest.selection.jsonValue,
            "site": .string(manifest.site), "entries": .number(Double(manifest.entryCount)),
        ]
        let recorded: Entry
        do {
            recorded = try await service.recordExport(authorization, subject: "seq \(manifest.firstSeq)-\(manifest.lastSeq)", details: details)
        } catch { throw .records(error) }
        guard rename(partial, path) == 0 else {
            throw .io(path: path, reason: "recorded at seq \(recorded.seq) but could not be moved into place: \(String(cString: strerror(errno)))")
        }
        return ExportResult(path: path, manifest: manifest, manifestDigest: manifestDigest, zipDigest: zipDigest,
                            zipSize: zipSize, recorded: recorded)
    }

    /// The newest signed checkpoint, after signing one that covers the whole ledger when
    /// the newest one does not (entries appended while the log key was locked).
    static func currentCheckpoint(_ store: LedgerStore, logSigner: NoteSigner) async throws(ExportError) -> StoredCheckpoint {
        guard logSigner.verifierKey.encoded == store.verifierKey else {
            throw .invalidRequest(field: "log key", reason: "the log key given does not belong to this ledger")
        }
        do {
            var latest = try store.latestCheckpoint()
            if (latest?.size ?? 0) < (try store.size()) {
                store.attachCheckpointSigner(NoteCheckpointSigner(signer: logSigner))
                latest = try await store.signCheckpoint()
            }
            guard let latest, latest.size > 0 else { throw ExportError.invalidRequest(field: "period", reason: "the ledger is empty") }
            let body = try NoteCheckpointVerifier(key: logSigner.verifierKey).open(note: latest.note)
            guard body.size == latest.size, body.root == latest.root, body.root == (try store.root(size: latest.size)) else {
                throw ExportError.inconsistentLedger(seq: latest.size - 1, reason: "the newest checkpoint does not match the ledger; run `auditctl verify`")
            }
            return latest
        } catch let e as ExportError {
            throw e
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .inconsistentLedger(seq: 0, reason: "the newest checkpoint does not open with the log key: \(error)")
        }
    }

    private static func build(store: LedgerStore, authorization: ExportAuthorization, request: ExportRequest,
                              checkpoint: StoredCheckpoint, period: ClosedRange<Int>, staging: String, logSigner: NoteSigner,
                              pdf: PDFRenderer?, progress: ExportProgress?, now: Date) throws(ExportError) -> ExportManifest {
        let first: Entry, last: Entry
        let frontier: [Digest], periodProof: ConsistencyProof?
        let start: StoredCheckpoint?
        var startProof: [Digest] = []
        do {
            first = try store.entry(seq: period.lowerBound)
            last = try store.entry(seq: period.upperBound)
            frontier = try store.frontier(size: period.lowerBound)
            periodProof = period.upperBound + 1 < checkpoint.size ? try store.consistencyProof(from: period.upperBound + 1, to: checkpoint.size) : nil
            start = try store.firstCheckpoint(covering: period.lowerBound)
            if let start, start.size < checkpoint.size { startProof = try store.consistencyProof(from: start.size, to: checkpoint.size).path }
        } catch { throw .ledger(error) }
        let generatedAt = UTCTime.format(now)
        let asOf = request.to.map { min($0, now) } ?? now
        let manifest = ExportManifest(
            origin: store.origin, logVerifierKey: store.verifierKey, checkpointSize: checkpoint.size, checkpointRoot: checkpoint.root,
            firstSeq: period.lowerBound, lastSeq: period.upperBound, firstTime: first.time, lastTime: last.time,
            requestedFrom: request.from.map(UTCTime.format), requestedTo: request.to.map(UTCTime.format), asOf: UTCTime.format(asOf),
            selection: request.selection, site: request.site, generatedBy: authorization.userID,
            generatedByName: authorization.printedName, generatedByRoles: authorization.roles.sorted(), generatedAt: generatedAt,
            systemVersion: request.systemVersion, entryCount: period.count, contextCount: 0, files: [])
        let builder = ExportBuilder(store: store, staging: staging, period: period, treeSize: checkpoint.size,
                                    treeRoot: checkpoint.root, manifest: manifest, progress: progress)
        try builder.writeContext()
        let prefix: CompactRange
        do { prefix = try CompactRange(size: period.lowerBound, nodes: frontier) } catch {
            throw .inconsistentLedger(seq: period.lowerBound, reason: "\(error)")
        }
        let range = try builder.writePeriod(prefix: prefix)
        // Check the proof before handing it out: the same math the verifier runs.
        do {
            try MerkleVerifier.verifyConsistency(oldSize: range.size, newSize: checkpoint.size, oldRoot: range.root,
                                                 newRoot: checkpoint.root, proof: periodProof?.path ?? [])
        } catch {
            throw .inconsistentLedger(seq: period.upperBound, reason: "the period's entries do not lead to the checkpoint: \(error)")
        }
        try builder.writeReport()
        if let pdf {
            progress?("pdf", 0, 1)
            try builder.writePDF(pdf)
        }
        try builder.writeProofs(header: ProofsHeader(
            treeSize: checkpoint.size, rootHash: checkpoint.root, firstSeq: period.lowerBound, lastSeq: period.upperBound,
            prefixFrontier: frontier, periodConsistency: periodProof?.path ?? [], startCheckpointSize: start?.size,
            startCheckpointRoot: start?.root, startConsistency: startProof, contextEntries: builder.facts.manifest.contextCount))
        try builder.writeSmall(ExportLayout.checkpoint, Array(checkpoint.note.utf8))
        if let start { try builder.writeSmall(ExportLayout.startCheckpoint, Array(start.note.utf8)) }
        let keys = KeysFile.json(manifest: builder.facts.manifest, logKeyID: logSigner.privateKey.publicKey.keyID.prefixed,
                                 atStart: builder.facts.atStart, atEnd: builder.facts.atEnd)
        try builder.writeSmall(ExportLayout.keys, Array((keys.prettyString() + "\n").utf8))
        var final = builder.facts.manifest
        final.files = builder.files.sorted { $0.name < $1.name }
        let bytes = final.bytes
        let note: String
        do {
            note = try SignedNote.sign(text: ExportLayout.manifestNoteText(origin: final.origin, manifestDigest: SHA256.hash(bytes).prefixed),
                                       signers: [logSigner])
        } catch { throw .io(path: ExportLayout.manifestSignature, reason: "cannot sign: \(error)") }
        try writeWhole(staging + "/" + ExportLayout.manifest, bytes)
        try writeWhole(staging + "/" + ExportLayout.manifestSignature, Array(note.utf8))
        return final
    }

    private static func writeWhole(_ path: String, _ bytes: [UInt8]) throws(ExportError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw .io(path: path, reason: "cannot write")
        }
    }

    static func hashFile(_ path: String) throws(ExportError) -> (Digest, Int) {
        guard let file = fopen(path, "rb") else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        let hasher = SHA256Hasher()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
        return (hasher.finalize(), total)
    }
}
