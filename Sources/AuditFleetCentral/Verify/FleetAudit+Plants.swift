import AuditCore
import AuditCrypto
import AuditLedger
import NIOCore
import PostgresNIO

extension FleetAudit {
    /// One plant: entries, their checkpoints, the `plants` row and the cosignatures issued.
    func verifyPlant(origin: String, storedKey: String, size: Int, storedRoot: [UInt8], enrolled: [String: String],
                     _ report: inout FleetAuditReport) async throws(FleetError) {
        var problems: [FleetAuditProblem] = []
        func problem(_ seq: Int?, _ message: String) { problems.append(FleetAuditProblem(scope: origin, seq: seq, message: message)) }
        // The key the signed central log recorded wins over the table's.
        let keyText = enrolled[origin] ?? storedKey
        if let recorded = enrolled[origin], recorded != storedKey {
            problem(nil, "the plants table holds key \(storedKey), but the central log enrolled \(recorded)")
        }
        if enrolled[origin] == nil { problem(nil, "no plant.enrolled entry in the central log") }
        let plantKey = try? NoteVerifierKey.parse(keyText)
        if plantKey == nil { problem(nil, "the enrolled key \(keyText) is not a verifier key") }

        var checkpoints: [Int: (root: [UInt8], note: String)] = [:]
        var cosignatures: [(size: Int, line: String)] = []
        var frontier = TreeFrontier.empty
        var prev = Digest.zero
        var entries = 0
        try await database.connection("auditing plant \(origin)") { c in
            for try await (s, root, note) in try await c.guardedQuery(
                "SELECT size, root, note FROM plant_checkpoints WHERE origin = \(origin) ORDER BY size", logger: database.logger
            ).decode((Int64, ByteBuffer, String).self) {
                checkpoints[Int(s)] = (root.bytes, note)
            }
            for try await (s, line) in try await c.guardedQuery(
                "SELECT size, line FROM cosignatures WHERE origin = \(origin) ORDER BY id", logger: database.logger
            ).decode((Int64, String).self) {
                cosignatures.append((Int(s), line))
            }
            let rows = try await c.guardedQuery("""
                SELECT seq, time, kind, actor, subject, payload, prev, leaf_hash FROM plant_entries WHERE origin = \(origin) ORDER BY seq
                """, logger: database.logger)
            for try await (seq64, time, kind, actor, subject, payload, prevBuffer, leafBuffer)
                in rows.decode((Int64, String, String, String, String, String, ByteBuffer, ByteBuffer).self) {
                let seq = Int(seq64)
                if seq != entries { problem(seq, "expected seq \(entries): entries are missing or out of order") }
                entries += 1
                let pushed = PushedEntryColumns(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: payload,
                                                prev: prevBuffer.bytes)
                let leaf: Digest
                switch pushed.leafHash() {
                case .success(let l): leaf = l
                case .failure(let reason):
                    problem(seq, reason.description)
                    leaf = Digest(bytes: leafBuffer.bytes) ?? .zero
                }
                if prevBuffer.bytes != prev.bytes { problem(seq, "prev does not link to the entry before it") }
                if leafBuffer.bytes != leaf.bytes { problem(seq, "stored leaf hash differs from the entry's columns (edited row)") }
                prev = leaf
                frontier.append(leaf)
                if let checkpoint = checkpoints[frontier.size] {
                    check(checkpoint, size: frontier.size, root: frontier.root, key: plantKey, origin: origin, problem)
                }
            }
        }
        if entries != size { problem(nil, "the plants row says \(size) entries, the table holds \(entries)") }
        if storedRoot != frontier.root.bytes { problem(nil, "the plants row's root differs from the root of the stored entries") }
        for s in checkpoints.keys where s > entries {
            problem(nil, "checkpoint \(s) was accepted but only \(entries) entries are stored (entries dropped)")
        }
        for c in cosignatures {
            guard let note = checkpoints[c.size]?.note, let text = try? Cosignature.split(note: note).text else {
                problem(nil, "a cosignature for size \(c.size) has no accepted checkpoint")
                continue
            }
            let ok = (try? Cosignature.verify(checkpointText: text, signatureLines: c.line.hasSuffix("\n") ? c.line : c.line + "\n", witnesses: [witnessKey]))?.count == 1
            if !ok { problem(nil, "the cosignature issued for size \(c.size) does not verify with the witness key") }
        }
        report.plantEntries += entries
        report.plantCheckpoints += checkpoints.count
        report.cosignatures += cosignatures.count
        report.problems += problems
    }

    private func check(_ stored: (root: [UInt8], note: String), size: Int, root: Digest, key: NoteVerifierKey?, origin: String,
                       _ problem: (Int?, String) -> Void) {
        guard stored.root == root.bytes else {
            return problem(nil, "accepted checkpoint \(size): its root differs from the root of the stored entries")
        }
        guard let key else { return }
        do {
            let body = try NoteCheckpointVerifier(key: key).open(note: stored.note)
            if body.size != size || body.root != root || body.origin != origin {
                problem(nil, "accepted checkpoint \(size): the signed note names another size, root or origin")
            }
        } catch {
            problem(nil, "accepted checkpoint \(size): not signed by the plant's enrolled key: \(error)")
        }
    }
}

/// The columns of a stored plant entry, checked as the ingest checked them when pushed.
struct PushedEntryColumns {
    let seq: Int, time: String, kind: String, actor: String, subject: String, payload: String, prev: [UInt8]

    func leafHash() -> Result<Digest, AuditReason> {
        guard let prevDigest = Digest(bytes: prev) else { return .failure(AuditReason("prev is not 32 bytes")) }
        guard let parsed = try? JSONValue.parse(Array(payload.utf8), source: "entry \(seq)"), parsed.canonicalString() == payload else {
            return .failure(AuditReason("the payload is not canonical JSON (edited row)"))
        }
        return .success(SHA256.hash(EntryEncoding.leafInput(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                                            canonicalPayload: payload, prev: prevDigest)))
    }
}

struct AuditReason: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
