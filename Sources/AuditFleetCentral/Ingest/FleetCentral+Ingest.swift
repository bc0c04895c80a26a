import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO

extension FleetCentral {
    /// Decides one `POST /fleet/v1/push` body (Docs/fleet.md). Everything that depends on
    /// stored state runs in one transaction holding the plant's row lock: either the whole
    /// push is stored with its checkpoint, cosignature and central log entry, or nothing is
    /// (a refusal with an alarm stores only the evidence, the alarm and its log entry).
    /// Throws only when the database fails; the caller answers 503 and the plant retries.
    public func ingest(body: [UInt8]) async throws(FleetError) -> PushDecision {
        let request: PushRequest
        do { request = try PushRequest.parse(body) } catch {
            guard case let .field(field, reason) = error else { return .malformed(field: "(body)", reason: "\(error)") }
            metrics.push(status: 400)
            return .malformed(field: field, reason: reason)
        }
        let outcome = try await database.transaction("storing a push from \(request.push.origin)") { c in
            try await decide(request, on: c)
        }
        metrics.push(status: outcome.decision.httpStatus)
        switch outcome.decision {
        case let .cosigned(_, stored, _):
            metrics.stored(entries: stored)
        case let .refused(alarm, message, evidenceID):
            metrics.alarm(origin: request.push.origin, kind: alarm)
            logger.error("fleet alarm: push refused", metadata: [
                "origin": "\(request.push.origin)", "alarm": "\(alarm.rawValue)", "reason": "\(message)",
                "evidence": "\(evidenceID)", "centralSeq": "\(outcome.centralSeq ?? -1)",
            ])
        default:
            break
        }
        return outcome.decision
    }

    struct Outcome: Sendable {
        let decision: PushDecision
        /// The central log entry written for it, if any.
        var centralSeq: Int?
    }

    private func decide(_ request: PushRequest, on c: PostgresConnection) async throws -> Outcome {
        let push = request.push
        guard let plant = try await LockedPlant.lock(push.origin, c, logger: logger) else {
            return Outcome(decision: .unknownOrigin(push.origin))
        }
        let checkpoint: CheckpointBody
        let signedText: String
        guard let key = try? NoteVerifierKey.parse(plant.verifierKey) else {
            throw FleetError.database(operation: "reading plant \(plant.origin)", message: "the enrolled verifier key is malformed")
        }
        do {
            let verified = try SignedNote.open(push.checkpoint, verifiers: [key])
            signedText = verified.text
            checkpoint = try CheckpointBody.parse(verified.text)
        } catch let error as CheckpointParseError {
            return Outcome(decision: .malformed(field: "checkpoint", reason: error.description))
        } catch let error as SignedNoteError {
            switch error {
            case .invalidSignature, .noVerifiedSignature, .ambiguousVerifier:
                return Outcome(decision: .forbidden(reason: "the checkpoint has no valid signature by \(plant.origin)'s enrolled key (\(error))"))
            default:
                return Outcome(decision: .malformed(field: "checkpoint", reason: error.description))
            }
        }
        guard checkpoint.origin == push.origin else {
            return Outcome(decision: .malformed(field: "checkpoint", reason: "its origin line is \(checkpoint.origin), not \(push.origin)"))
        }
        guard push.old <= checkpoint.size else {
            return Outcome(decision: .malformed(field: "old", reason: "\(push.old) is larger than the checkpoint size \(checkpoint.size)"))
        }
        guard push.entries.count == checkpoint.size - push.old else {
            return Outcome(decision: .malformed(field: "entries", reason: "\(push.entries.count) entries; the push must carry exactly old ..< checkpoint size (\(checkpoint.size - push.old))"))
        }

        if checkpoint.size <= plant.size {
            // A checkpoint the central can judge from what it stores: it must match.
            let held = try await plant.root(atSize: checkpoint.size, c, logger: logger)
            guard held == checkpoint.root else {
                let kind: AlarmKind = checkpoint.size == plant.size ? .fork : .rollback
                return try await raise(kind, "the plant signed root \(Base64.encode(checkpoint.root.bytes)) at size \(checkpoint.size); the central holds \(Base64.encode(held.bytes)) at that size",
                                       request, checkpoint: checkpoint, plant: plant, on: c)
            }
            guard checkpoint.size == plant.size else { return Outcome(decision: .conflict(centralSize: plant.size)) }
            // Same size, same root: a retried push. Its entries must be the stored ones.
            if !request.leaves.isEmpty {
                let stored = try await plant.leaves(from: push.old, to: checkpoint.size, c, logger: logger)
                guard stored == request.leaves else {
                    return try await raise(.entriesMismatch, "a resubmitted push's entries differ from the stored entries \(push.old)..<\(checkpoint.size)",
                                           request, checkpoint: checkpoint, plant: plant, on: c)
                }
            }
            let line = try await cosign(signedText, checkpoint, on: c)
            return Outcome(decision: .cosigned(size: checkpoint.size, storedEntries: 0, cosignatures: line))
        }

        guard push.old == plant.size else { return Outcome(decision: .conflict(centralSize: plant.size)) }
        do {
            try MerkleVerifier.verifyConsistency(oldSize: plant.size, newSize: checkpoint.size, oldRoot: plant.root,
                                                 newRoot: checkpoint.root, proof: request.proof)
        } catch {
            return try await raise(.inconsistentProof, "the consistency proof from size \(plant.size) to \(checkpoint.size) does not verify: \(error)",
                                   request, checkpoint: checkpoint, plant: plant, on: c)
        }
        var frontier = plant.frontier
        var levels: [Int16] = [], indices: [Int64] = [], hashes: [ByteBuffer] = []
        var previous = plant.lastLeaf
        for (i, entry) in push.entries.enumerated() {
            guard request.prevs[i] == previous else {
                return try await raise(.entriesMismatch, "entry \(entry.seq)'s prev is not the hash of entry \(entry.seq - 1)",
                                       request, checkpoint: checkpoint, plant: plant, on: c)
            }
            previous = request.leaves[i]
            frontier.append(previous) { level, index, hash in
                guard SparseTreeRoot.isStored(level: level) else { return }
                levels.append(Int16(level))
                indices.append(Int64(index))
                hashes.append(ByteBuffer(bytes: hash.bytes))
            }
        }
        guard frontier.root == checkpoint.root else {
            return try await raise(.entriesMismatch, "the entries \(push.old)..<\(checkpoint.size) do not hash to the checkpoint's root",
                                   request, checkpoint: checkpoint, plant: plant, on: c)
        }

        try await EntryInsert.insert(origin: plant.origin, entries: push.entries, prevs: request.prevs, leaves: request.leaves,
                                     on: c, logger: logger)
        if !levels.isEmpty {
            try await c.guardedQuery("""
                INSERT INTO plant_nodes(origin, level, idx, hash)
                SELECT \(plant.origin), * FROM unnest(\(levels)::smallint[], \(indices)::bigint[], \(hashes)::bytea[])
                """, logger: logger)
        }
        try await c.guardedQuery("""
            UPDATE plants SET size = \(Int64(checkpoint.size)), root = \(ByteBuffer(bytes: checkpoint.root.bytes)),
                last_leaf = \(ByteBuffer(bytes: previous.bytes)), frontier = \(ByteBuffer(bytes: frontier.encoded)),
                checkpoint = \(push.checkpoint), last_push_at = now()
            WHERE origin = \(plant.origin)
            """, logger: logger)
        let line = try await cosign(signedText, checkpoint, on: c)
        let appended = try await log.append(kind: CentralLog.Kind.plantCheckpoint, actor: "fleet", subject: plant.origin, payload: [
            "origin": .string(plant.origin), "size": .number(Double(checkpoint.size)),
            "root": .string(Base64.encode(checkpoint.root.bytes)), "previousSize": .number(Double(plant.size)),
            "checkpoint": .string(push.checkpoint), "cosignature": .string(line),
        ], on: c, logger: logger)
        try await c.guardedQuery("""
            INSERT INTO plant_checkpoints(origin, size, root, note, central_seq)
            VALUES (\(plant.origin), \(Int64(checkpoint.size)), \(ByteBuffer(bytes: checkpoint.root.bytes)), \(push.checkpoint), \(Int64(appended.seq)))
            """, logger: logger)
        return Outcome(decision: .cosigned(size: checkpoint.size, storedEntries: push.entries.count, cosignatures: line),
                       centralSeq: appended.seq)
    }

    /// A fresh witness cosignature on a checkpoint the central holds, recorded with the others.
    private func cosign(_ signedText: String, _ checkpoint: CheckpointBody, on c: PostgresConnection) async throws -> String {
        let timestamp = Self.now()
        let line = try keys.witness.cosign(checkpointText: signedText, timestamp: timestamp)
        try await c.guardedQuery("""
            INSERT INTO cosignatures(origin, size, root, cosigned_at, line)
            VALUES (\(checkpoint.origin), \(Int64(checkpoint.size)), \(ByteBuffer(bytes: checkpoint.root.bytes)), \(Int64(timestamp)), \(line))
            """, logger: logger)
        return line
    }

    /// Keeps the push verbatim as evidence, records the alarm and its `alarm.raised` entry in
    /// the central's log, all in the push's transaction (committed: the refusal is the outcome).
    private func raise(_ kind: AlarmKind, _ message: String, _ request: PushRequest, checkpoint: CheckpointBody,
                       plant: LockedPlant, on c: PostgresConnection) async throws -> Outcome {
        let digest = SHA256.hash(request.body)
        let rows = try await c.guardedQuery("""
            INSERT INTO evidence(origin, reason, checkpoint, body_sha256, body)
            VALUES (\(plant.origin), \(kind.rawValue), \(request.push.checkpoint), \(ByteBuffer(bytes: digest.bytes)), \(ByteBuffer(bytes: request.body)))
            RETURNING id
            """, logger: logger).collect()
        let evidenceID = try rows[0].decode(Int64.self)
        let appended = try await log.append(kind: CentralLog.Kind.alarmRaised, actor: "fleet", subject: plant.origin, payload: [
            "origin": .string(plant.origin), "alarm": .string(kind.rawValue), "message": .string(message),
            "storedSize": .number(Double(plant.size)), "storedRoot": .string(Base64.encode(plant.root.bytes)),
            "claimedSize": .number(Double(checkpoint.size)), "claimedRoot": .string(Base64.encode(checkpoint.root.bytes)),
            "checkpoint": .string(request.push.checkpoint), "evidenceId": .number(Double(evidenceID)),
            "evidenceSha256": .string(digest.prefixed),
        ], on: c, logger: logger)
        try await c.guardedQuery("""
            INSERT INTO alarms(origin, kind, message, stored_size, claimed_size, evidence_id, central_seq)
            VALUES (\(plant.origin), \(kind.rawValue), \(message), \(Int64(plant.size)), \(Int64(checkpoint.size)), \(evidenceID), \(Int64(appended.seq)))
            """, logger: logger)
        try await c.guardedQuery("UPDATE plants SET alarm_count = alarm_count + 1 WHERE origin = \(plant.origin)", logger: logger)
        return Outcome(decision: .refused(alarm: kind, message: message, evidenceID: evidenceID), centralSeq: appended.seq)
    }

    static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}
