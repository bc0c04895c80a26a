import AuditCore
import AuditLedger
import AuditRecords
import Foundation
import Hummingbird

/// The audit trail itself: entries paged by seq with filters, one entry with its inclusion
/// proof checked against the latest signed checkpoint, checkpoints, consistency proofs and
/// the `verify` report. All reads run on the read threads.
extension APIRouter {
    static let maxPage = 500

    func addLedgerRoutes() {
        on(.get, "/api/v1/entries", "listEntries") { request, context in
            _ = try context.require(.read)
            let (filter, limit) = try entryFilter(QueryInput(uri: request.uri))
            let page = try await read { try self.ledger.store.canonicalEntries(filter) }
            return Reply.bytes(EntryPageJSON.body(page, limit: limit))
        }

        on(.get, "/api/v1/entries/:seq", "getEntry") { _, context in
            _ = try context.require(.read)
            let seq = try seqParameter(context)
            return Reply.json(try await entryDetail(seq).json)
        }

        on(.get, "/api/v1/entries/:seq/proof", "getInclusionProof") { request, context in
            _ = try context.require(.read)
            let seq = try seqParameter(context)
            let size = try QueryInput(uri: request.uri).int("size", range: 1...Int(Int32.max))
            let version = context.ledgerVersion
            let p = try await read { try self.ledger.store.inclusionProof(seq: seq, size: size, version: version) }
            return Reply.json(.object(["seq": JSONValue(p.seq), "treeSize": JSONValue(p.size), "leafHash": .string(p.leafHash.prefixed),
                                       "rootHash": .string(p.root.prefixed), "path": .array(p.path.map { .string($0.prefixed) })]))
        }

        on(.get, "/api/v1/checkpoint", "getLatestCheckpoint") { _, context in
            _ = try context.require(.read)
            if let version = context.ledgerVersion, let body = services.checkpoints.body(at: version) { return Reply.bytes(body) }
            guard let cp = try await read({ try self.ledger.store.latestCheckpoint() }) else {
                throw HTTPFailure(.notFound, code: "not_found", "the ledger has no signed checkpoint yet")
            }
            let body = JSONValue.object(["size": JSONValue(cp.size), "root": .string(cp.root.prefixed), "created": .string(cp.created),
                                         "note": .string(cp.note), "verifierKey": .string(ledger.store.verifierKey)]).canonicalBytes()
            if let version = context.ledgerVersion { services.checkpoints.remember(body, at: version) }
            return Reply.bytes(body)
        }

        on(.get, "/api/v1/proofs/consistency", "getConsistencyProof") { request, context in
            _ = try context.require(.read)
            let q = QueryInput(uri: request.uri)
            guard let from = try q.int("from", range: 1...Int(Int32.max)) else { throw HTTPFailure.invalid("from", "required") }
            let to = try q.int("to", range: 1...Int(Int32.max))
            let version = context.ledgerVersion
            let p = try await read { try self.ledger.store.consistencyProof(from: from, to: to, version: version) }
            return Reply.json(.object(["fromSize": JSONValue(p.fromSize), "toSize": JSONValue(p.toSize), "fromRoot": .string(p.fromRoot.prefixed),
                                       "toRoot": .string(p.toRoot.prefixed), "path": .array(p.path.map { .string($0.prefixed) })]))
        }

        on(.get, "/api/v1/verify", "verifyLedger") { _, context in
            _ = try context.require(.read)
            return Reply.json(try await read { try LedgerCheck.run(self.ledger) })
        }
    }

    func seqParameter(_ context: ServerContext) throws -> Int {
        let text = try context.parameters.require("seq")
        guard let seq = Int(text), seq >= 0 else { throw HTTPFailure.invalid("seq", "must be a whole number ≥ 0") }
        return seq
    }

    struct EntryPage: Sendable { let entries: [Entry]; let next: Int?; let size: Int; let from: Int }

    /// The query's filter, asking for one entry more than `limit` (it tells where the next
    /// page starts): seq order from `from` (default: the first), by kind, actor, subject, time.
    func entryFilter(_ q: QueryInput) throws -> (filter: EntryFilter, limit: Int) {
        let limit = try q.int("limit", range: 1...Self.maxPage) ?? 50
        let from = try q.int("from", range: 0...Int(Int32.max)) ?? 0
        return (EntryFilter(kind: q.string("kind"), actor: q.string("actor"), subject: q.string("subject"),
                            fromSeq: from, since: try q.time("since"), until: try q.time("until"), limit: limit + 1), limit)
    }

    /// One page of `entryFilter`'s entries; `next` is where the following page starts.
    func entryPage(_ q: QueryInput) async throws -> EntryPage {
        let (filter, limit) = try entryFilter(q)
        let from = filter.fromSeq ?? 0
        return try await read {
            let size = try self.ledger.store.size()
            let rows = try self.ledger.store.entries(filter)
            return EntryPage(entries: Array(rows.prefix(limit)), next: rows.count > limit ? rows[limit].seq : nil, size: size, from: from)
        }
    }

    struct EntryDetail: Sendable {
        let entry: Entry
        let leafHash: Digest
        let checkpoint: StoredCheckpoint?
        let proof: InclusionProof?
        /// Nil when the proof and the checkpoint's signature hold; otherwise why not.
        let problem: String?

        var json: JSONValue {
            .object([
                "entry": entry.jsonValue, "leafHash": .string(leafHash.prefixed),
                "checkpoint": checkpoint.map { cp -> JSONValue in
                    .object(["size": JSONValue(cp.size), "root": .string(cp.root.prefixed), "created": .string(cp.created), "note": .string(cp.note)])
                } ?? .null,
                "inclusionProof": proof.map { p -> JSONValue in
                    .object(["treeSize": JSONValue(p.size), "rootHash": .string(p.root.prefixed), "path": .array(p.path.map { .string($0.prefixed) })])
                } ?? .null,
                "verified": .bool(problem == nil && proof != nil), "problem": .optional(problem),
            ])
        }
    }

    /// The entry, its inclusion proof in the tree of the latest signed checkpoint, and
    /// whether that proof leads to the checkpoint's root and the note's signature holds
    /// under the log key in the data directory.
    func entryDetail(_ seq: Int) async throws -> EntryDetail {
        try await read {
            let store = self.ledger.store
            let entry = try store.entry(seq: seq)
            let leaf = try store.leafHash(seq: seq)
            guard let cp = try store.latestCheckpoint() else {
                return EntryDetail(entry: entry, leafHash: leaf, checkpoint: nil, proof: nil, problem: "no signed checkpoint yet")
            }
            guard seq < cp.size else {
                return EntryDetail(entry: entry, leafHash: leaf, checkpoint: cp, proof: nil,
                                   problem: "appended after the latest checkpoint (size \(cp.size)); it is covered by the next one")
            }
            let proof = try store.inclusionProof(seq: seq, size: cp.size)
            var problem: String?
            do {
                let body = try NoteCheckpointVerifier(key: try self.ledger.home.verifierKey()).open(note: cp.note)
                guard body.size == cp.size, body.root == cp.root else { throw LedgerError.corrupted(seq: nil, reason: "the note does not match the stored checkpoint") }
                try MerkleVerifier.verifyInclusion(leafHash: leaf, index: seq, size: cp.size, proof: proof.path, root: body.root)
            } catch {
                problem = "\(error)"
            }
            return EntryDetail(entry: entry, leafHash: leaf, checkpoint: cp, proof: proof, problem: problem)
        }
    }
}
