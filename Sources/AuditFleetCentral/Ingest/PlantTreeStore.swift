import AuditCore
import AuditCrypto
import Logging
import NIOCore
import PostgresNIO

/// One plant's row, read under `FOR UPDATE` at the start of a push transaction: the check of
/// `old` against `size` and the update that moves `size` happen under the same lock, so two
/// concurrent pushes cannot both pass the check (the race c2sp.org/tlog-witness warns about).
struct LockedPlant: Sendable {
    let origin: String
    let verifierKey: String
    let size: Int
    let root: Digest
    let lastLeaf: Digest
    let frontier: TreeFrontier

    static func lock(_ origin: String, _ c: PostgresConnection, logger: Logger) async throws -> LockedPlant? {
        let rows = try await c.guardedQuery("""
            SELECT verifier_key, size, root, last_leaf, frontier FROM plants WHERE origin = \(origin) FOR UPDATE
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (key, size, root, lastLeaf, frontier) = try row.decode((String, Int64, ByteBuffer, ByteBuffer, ByteBuffer).self)
        guard let rootDigest = Digest(bytes: root.bytes), let leafDigest = Digest(bytes: lastLeaf.bytes),
              let tree = TreeFrontier(size: Int(size), encoded: frontier.bytes) else {
            throw FleetError.database(operation: "reading plant \(origin)", message: "the stored tree head is malformed")
        }
        return LockedPlant(origin: origin, verifierKey: key, size: Int(size), root: rootDigest, lastLeaf: leafDigest, frontier: tree)
    }

    /// The root of the stored tree's first `size` leaves (`size` ≤ the stored size).
    func root(atSize size: Int, _ c: PostgresConnection, logger: Logger) async throws -> Digest {
        if size == self.size { return root }
        return try await SparseTreeRoot.root(size: size) { level, first, count in
            let last = Int64(first + count)
            let rows: PostgresRowSequence
            if level == 0 {
                rows = try await c.guardedQuery("""
                    SELECT leaf_hash FROM plant_entries WHERE origin = \(origin) AND seq >= \(Int64(first)) AND seq < \(last) ORDER BY seq
                    """, logger: logger)
            } else {
                rows = try await c.guardedQuery("""
                    SELECT hash FROM plant_nodes WHERE origin = \(origin) AND level = \(Int16(level))
                    AND idx >= \(Int64(first)) AND idx < \(last) ORDER BY idx
                    """, logger: logger)
            }
            var hashes: [Digest] = []
            for try await buffer in rows.decode(ByteBuffer.self) {
                guard let d = Digest(bytes: buffer.bytes) else { throw SparseTreeRoot.MissingNodes(level: level, first: first, count: count) }
                hashes.append(d)
            }
            return hashes
        }
    }

    /// Stored leaf hashes `from ..< to`.
    func leaves(from: Int, to: Int, _ c: PostgresConnection, logger: Logger) async throws -> [Digest] {
        let rows = try await c.guardedQuery("""
            SELECT leaf_hash FROM plant_entries WHERE origin = \(origin) AND seq >= \(Int64(from)) AND seq < \(Int64(to)) ORDER BY seq
            """, logger: logger)
        var out: [Digest] = []
        for try await buffer in rows.decode(ByteBuffer.self) {
            if let d = Digest(bytes: buffer.bytes) { out.append(d) }
        }
        return out
    }
}
