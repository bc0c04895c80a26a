import AuditCore
import AuditCrypto
import AuditLedger
import NIOCore
import PostgresNIO

extension FleetAudit {
    /// Checks the central's own log and returns each plant's key as its `plant.enrolled`
    /// entry recorded it (the signed history, not the mutable `plants` row).
    func verifyCentralLog(_ report: inout FleetAuditReport) async throws(FleetError) -> [String: String] {
        let scope = "central log"
        var problems: [FleetAuditProblem] = []
        func problem(_ seq: Int?, _ message: String) { problems.append(FleetAuditProblem(scope: scope, seq: seq, message: message)) }
        var checkpoints: [Int: (root: [UInt8], note: String)] = [:]
        var enrolled: [String: String] = [:]
        var frontier = TreeFrontier.empty
        var prev = Digest.zero
        var entries = 0
        try await database.connection("auditing the central log") { c in
            for try await (size, root, note) in try await c.guardedQuery("SELECT size, root, note FROM central_checkpoints ORDER BY size",
                                                                  logger: database.logger).decode((Int64, ByteBuffer, String).self) {
                checkpoints[Int(size)] = (root.bytes, note)
            }
            let rows = try await c.guardedQuery("""
                SELECT seq, time, kind, actor, subject, payload, prev, leaf_hash FROM central_entries ORDER BY seq
                """, logger: database.logger)
            for try await (seq64, time, kind, actor, subject, payload, prevBuffer, leafBuffer)
                in rows.decode((Int64, String, String, String, String, String, ByteBuffer, ByteBuffer).self) {
                let seq = Int(seq64)
                if seq != entries { problem(seq, "expected seq \(entries): entries are missing or out of order") }
                entries += 1
                guard let storedPrev = Digest(bytes: prevBuffer.bytes), storedPrev == prev else {
                    problem(seq, "prev does not link to the entry before it")
                    prev = Digest(bytes: leafBuffer.bytes) ?? .zero
                    frontier.append(prev)
                    continue
                }
                let leaf = SHA256.hash(EntryEncoding.leafInput(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                                               canonicalPayload: payload, prev: storedPrev))
                if leafBuffer.bytes != leaf.bytes { problem(seq, "stored leaf hash differs from the entry's columns (edited row)") }
                prev = leaf
                frontier.append(leaf)
                if kind == CentralLog.Kind.plantEnrolled,
                   let value = try? JSONValue.parse(Array(payload.utf8), source: "central entry \(seq)"),
                   let key = value["verifierKey"]?.stringValue {
                    enrolled[subject] = key
                }
                if let checkpoint = checkpoints[frontier.size] {
                    verifyCheckpoint(size: frontier.size, root: frontier.root, stored: checkpoint, problem)
                }
            }
        }
        for size in checkpoints.keys where size > entries {
            problem(nil, "a checkpoint of size \(size) is signed but the log holds only \(entries) entries (truncated)")
        }
        report.centralEntries = entries
        report.centralCheckpoints = checkpoints.count
        report.problems += problems
        return enrolled
    }

    /// A stored checkpoint must sign the recomputed root, with the auditor's copy of the key.
    private func verifyCheckpoint(size: Int, root: Digest, stored: (root: [UInt8], note: String),
                                  _ problem: (Int?, String) -> Void) {
        guard stored.root == root.bytes else { return problem(nil, "checkpoint \(size): stored root differs from the recomputed root") }
        do {
            let body = try NoteCheckpointVerifier(key: logKey).open(note: stored.note)
            guard body.size == size, body.root == root, body.origin == logKey.name else {
                return problem(nil, "checkpoint \(size): the signed note names size \(body.size), another root or origin")
            }
        } catch {
            problem(nil, "checkpoint \(size): not signed by the central log key \(logKey.encoded): \(error)")
        }
    }
}
