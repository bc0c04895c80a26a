import AuditCore
import AuditServer
import Hummingbird

/// The central as a log: its signed checkpoint, RFC 9162 proofs and entries, so a regulator
/// can check that the central never dropped a plant's checkpoint or an alarm; and its keys.
extension FleetRoutes {
    static let maxEntriesPerPage = 1_000

    func addLog(to router: Router<ServerContext>) {
        router.get("/fleet/v1/witness") { _, _ in
            Reply.json(.object([
                "origin": .string(central.origin),
                "witnessKey": .string(central.witnessKey.encoded),
                "logKey": .string(central.logVerifierKey.encoded),
            ]))
        }

        router.get("/fleet/v1/log/checkpoint") { _, _ in
            guard let checkpoint = try await central.reader.latestCheckpoint() else { throw FleetError.notInitialized }
            return Reply.text(checkpoint.note, contentType: "text/plain; charset=utf-8")
        }

        router.get("/fleet/v1/log/proof/inclusion") { request, _ in
            let seq = try Self.int(request, "seq"), size = try Self.int(request, "size")
            let (leaf, proof) = try await central.reader.inclusionProof(seq: seq, size: size)
            return Reply.json(.object([
                "seq": .number(Double(seq)), "size": .number(Double(size)), "leafHash": .string(Base64.encode(leaf.bytes)),
                "proof": .array(proof.map { .string(Base64.encode($0.bytes)) }),
            ]))
        }

        router.get("/fleet/v1/log/proof/consistency") { request, _ in
            let from = try Self.int(request, "from"), to = try Self.int(request, "to")
            let proof = try await central.reader.consistencyProof(from: from, to: to)
            return Reply.json(.object([
                "from": .number(Double(from)), "to": .number(Double(to)),
                "proof": .array(proof.map { .string(Base64.encode($0.bytes)) }),
            ]))
        }

        router.get("/fleet/v1/log/entries") { request, _ in
            let start = try Self.int(request, "start")
            let limit = try Self.optionalInt(request, "limit") ?? 100
            guard (1...Self.maxEntriesPerPage).contains(limit) else {
                throw FleetFailure.invalid("limit", "must be in 1...\(Self.maxEntriesPerPage)")
            }
            let entries = try await central.reader.entries(from: start, limit: limit)
            return Reply.json(.object(["entries": .array(entries.map(\.jsonValue))]))
        }
    }

    static func int(_ request: Request, _ key: String) throws -> Int {
        guard let v = try optionalInt(request, key) else { throw FleetFailure.invalid(key, "required") }
        return v
    }

    static func optionalInt(_ request: Request, _ key: String) throws -> Int? {
        guard let text = request.uri.queryParameters[key[...]].map(String.init), !text.isEmpty else { return nil }
        guard let v = Int(text), v >= 0, v <= Limits.maxMerkleTreeSize else {
            throw FleetFailure.invalid(key, "must be a whole number ≥ 0")
        }
        return v
    }
}
