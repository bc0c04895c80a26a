import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords

/// The records replay as the verifier ends it: state at the period's start and end, and
/// the approval policy texts the entries recorded (by seq).
struct ReplayedRecords {
    var atStart = RecordsState()
    var atEnd = RecordsState()
    var policyTexts: [Int: Digest] = [:]
    var policySeqs: [Digest: Int] = [:]
    var completed = false
}

extension VerificationRun {
    /// Context pass then period pass; returns the replayed records.
    func checkEntries() -> ReplayedRecords {
        var records = ReplayedRecords()
        var state = RecordsState()
        checkContext(&state, &records)
        records.atStart = state
        checkPeriod(&state, &records)
        records.atEnd = state
        let all = state.openProblems.filter { $0.seq <= manifest.lastSeq }
        for p in all {
            let file = p.seq < manifest.firstSeq ? ExportLayout.context : ExportLayout.entries
            problem(file, seq: p.seq, "the replay rejects this \(p.kind) entry: \(p.message)")
        }
        let signatures = state.changes.values.flatMap(\.signatures).filter { $0.seq <= manifest.lastSeq }
        let decisions = state.changes.values.flatMap(\.decisions).filter { $0.seq <= manifest.lastSeq }
        if all.isEmpty {
            result.checked.append("records replayed from \(manifest.contextCount) context and \(manifest.entryCount) period entries: every authority signature, \(signatures.count) e-signature(s) and \(decisions.count) approval decision(s) re-verified (decisions recomputed from the signatures and the approval policy in force)")
        }
        return records
    }

    private func checkContext(_ state: inout RecordsState, _ records: inout ReplayedRecords) {
        guard let h = header, files[ExportLayout.context] != nil, let lines = try? LineReader(path: path(ExportLayout.context)) else { return }
        let folded = Set(RecordsState.foldedKinds)
        var count = 0
        var lastSeq = -1
        var bad = 0
        while true {
            let raw: [UInt8]?
            do { raw = try lines.next() } catch { problem(ExportLayout.context, "\(error)"); return }
            guard let line = raw else { break }
            count += 1
            let n = lines.lineNumber
            let proofLine = try? proofsReader?.next()
            let entry: Entry
            switch EntryLine.decode(line) {
            case .failure(let why): problem(ExportLayout.context, line: n, why.reason); bad += 1; continue
            case .success(let e): entry = e
            }
            let leaf = MerkleHash.leafHash([0x00] + line)
            if entry.seq <= lastSeq { problem(ExportLayout.context, line: n, seq: entry.seq, "seqs must increase (previous line had seq \(lastSeq))"); bad += 1 }
            if entry.seq >= h.firstSeq { problem(ExportLayout.context, line: n, seq: entry.seq, "is not before the period (seq \(h.firstSeq))"); bad += 1 }
            if !folded.contains(entry.kind) { problem(ExportLayout.context, line: n, seq: entry.seq, "kind \(entry.kind) is not a record kind"); bad += 1 }
            lastSeq = entry.seq
            do {
                guard let proofLine else {
                    throw ExportProofError.malformed("no inclusion proof for it (proofs.jsonl line \(count + 1) is missing)")
                }
                let proof = try ContextProof(json: try JSONValue.parse(proofLine, source: ExportLayout.proofs), line: count + 1)
                guard proof.seq == entry.seq, proof.leafHash == leaf, proof.treeSize == h.treeSize else {
                    throw ExportProofError.malformed("proofs.jsonl line \(count + 1) proves seq \(proof.seq) leaf \(proof.leafHash.prefixed), not this entry (leaf \(leaf.prefixed))")
                }
                try MerkleVerifier.verifyInclusion(leafHash: leaf, index: entry.seq, size: h.treeSize, proof: proof.path, root: h.rootHash)
            } catch {
                problem(ExportLayout.context, line: n, seq: entry.seq, "RFC 9162 inclusion proof fails: \(error)")
                bad += 1
            }
            notePolicy(entry, &records)
            state.replay(entry)
        }
        if count != h.contextEntries || count != manifest.contextCount {
            problem(ExportLayout.context, "holds \(count) entries; proofs.jsonl and manifest.json say \(h.contextEntries) and \(manifest.contextCount)")
        }
        if let extra = try? proofsReader?.next() {
            problem(ExportLayout.proofs, line: count + 2, "an inclusion proof without a context entry (\(extra.count) bytes)")
        }
        if bad == 0 { result.checked.append("\(count) context entries: canonical, each with an RFC 9162 inclusion proof to the checkpoint root") }
    }

    private func checkPeriod(_ state: inout RecordsState, _ records: inout ReplayedRecords) {
        guard let h = header, files[ExportLayout.entries] != nil, let lines = try? LineReader(path: path(ExportLayout.entries)) else { return }
        var range: CompactRange
        do { range = try CompactRange(size: h.firstSeq, nodes: h.prefixFrontier) } catch {
            problem(ExportLayout.proofs, line: 1, "prefixFrontier: \(error)")
            return
        }
        let folded = Set(RecordsState.foldedKinds)
        let cross = CrossCheck(run: self)
        var expected = h.firstSeq
        var previous: (seq: Int, hash: Digest)?
        var bad = 0
        while true {
            let raw: [UInt8]?
            do { raw = try lines.next() } catch { problem(ExportLayout.entries, "\(error)"); return }
            guard let line = raw else { break }
            let n = lines.lineNumber
            let leaf = MerkleHash.leafHash([0x00] + line)
            let entry: Entry
            switch EntryLine.decode(line) {
            case .failure(let why):
                problem(ExportLayout.entries, line: n, seq: expected, why.reason)
                bad += 1
                range.append(leaf)
                expected += 1
                cross.skip()
                continue
            case .success(let e): entry = e
            }
            if entry.seq != expected {
                let what = entry.seq > expected ? "seq \(expected) is missing before it" : "it is out of order or repeated"
                problem(ExportLayout.entries, line: n, seq: entry.seq, "expected seq \(expected) here: \(what)")
                bad += 1
            }
            if let previous, previous.seq + 1 == entry.seq, entry.prev != previous.hash {
                problem(ExportLayout.entries, line: n, seq: entry.seq, "its prev is not the hash of seq \(previous.seq): seq \(previous.seq) was altered, or an entry is missing")
                bad += 1
            }
            previous = (entry.seq, leaf)
            range.append(leaf)
            // Resynchronize after a gap or a swap so one damage is reported once.
            expected = max(expected, entry.seq) + 1
            if range.size == h.startCheckpointSize, let root = h.startCheckpointRoot, range.root != root {
                problem(ExportLayout.entries, seq: entry.seq, "the entries up to seq \(entry.seq) do not lead to start-checkpoint.txt's root: an entry of the period was altered")
                bad += 1
            }
            if let t = trusted, range.size == t.size {
                if range.root != t.root { problem("--trusted-checkpoint", seq: entry.seq, "the entries up to seq \(entry.seq) contradict the trusted checkpoint (size \(t.size))") }
                else { result.checked.append("agrees with the trusted checkpoint of size \(t.size)") }
            }
            let before = TrailBefore.capture(entry, state)
            if folded.contains(entry.kind) {
                notePolicy(entry, &records)
                state.replay(entry)
            }
            cross.compare(TrailLine.describe(entry, hash: leaf, before: before, after: state), line: n)
            if n & 0x3FFF == 0 { verifier.progress?("entries", n, manifest.entryCount) }
        }
        if expected != h.lastSeq + 1 || lines.lineNumber != manifest.entryCount {
            problem(ExportLayout.entries, "holds \(lines.lineNumber) lines ending at seq \(expected - 1); the period is \(manifest.entryCount) entries, seq \(h.firstSeq) to \(h.lastSeq)")
            bad += 1
        }
        cross.finish()
        do {
            try MerkleVerifier.verifyConsistency(oldSize: range.size, newSize: h.treeSize, oldRoot: range.root, newRoot: h.rootHash,
                                                 proof: h.periodConsistency)
            if bad == 0 {
                result.checked.append("\(manifest.entryCount) entries (seq \(h.firstSeq)–\(h.lastSeq)): canonical, contiguous, hash-chained; with the tree hashes before the period they give the root of \(range.size) entries, and the RFC 9162 consistency proof ties it to the signed checkpoint: every entry is in the log at its seq and none of the period is missing")
            }
        } catch {
            problem(ExportLayout.entries, "the period's entries do not lead to the signed checkpoint (\(error)): an entry was altered, dropped, added or reordered")
        }
        if let t = trusted, t.size > h.treeSize || (t.size < h.firstSeq + 1 && t.size != h.treeSize) {
            problem("--trusted-checkpoint", "size \(t.size) is outside what this export proves (seqs \(h.firstSeq)–\(h.lastSeq) of a tree of \(h.treeSize)); ask for an export covering it")
        } else if let t = trusted, t.size == h.treeSize, t.root != h.rootHash {
            problem("--trusted-checkpoint", "has the export's tree size but another root: the log was rewritten")
        }
        records.completed = true
    }

    private func notePolicy(_ e: Entry, _ records: inout ReplayedRecords) {
        guard e.kind == EntryKind.policyUpdated, let content = e.payload["content"]?.stringValue else { return }
        records.policyTexts[e.seq] = SHA256.hash(Array(content.utf8))
        if let d = e.payload["digest"]?.stringValue.flatMap(Digest.init(prefixed:)) { records.policySeqs[d] = e.seq }
    }
}
