import AuditCore
import AuditLedger
import NIOCore
import PostgresNIO

/// Reads the central's own log: its newest checkpoint, RFC 9162 inclusion and consistency
/// proofs, and its entries. Stored nodes never change once written and sizes only grow, so
/// these reads need no lock and never block a push.
public struct CentralLogReader: Sendable {
    let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func latestCheckpoint() async throws(FleetError) -> CentralCheckpoint? {
        try await database.connection("reading the central checkpoint") { c in
            let rows = try await c.guardedQuery("SELECT size, root, note FROM central_checkpoints ORDER BY size DESC LIMIT 1",
                                         logger: database.logger).collect()
            guard let row = rows.first else { return nil }
            let (size, root, note) = try row.decode((Int64, ByteBuffer, String).self)
            guard let digest = Digest(bytes: root.bytes) else { throw corrupted("checkpoint \(size) root") }
            return CentralCheckpoint(size: Int(size), root: digest, note: note)
        }
    }

    /// PATH(seq, D[size]) and the entry's leaf hash; `size` must be a signed checkpoint's.
    public func inclusionProof(seq: Int, size: Int) async throws(FleetError) -> (leafHash: Digest, proof: [Digest]) {
        try await checkSigned(size: size, field: "size")
        guard seq >= 0, seq < size else { throw .invalidInput(field: "seq", reason: "must be in 0..<\(size)") }
        let proof = try await proof { source in try MerkleTree.inclusionProof(index: seq, size: size, source: source) }
        let leaf = try await nodes([(0, seq)])[Pair(level: 0, index: seq)]
        guard let leaf else { throw .database(operation: "reading a central leaf", message: "entry \(seq) is missing") }
        return (leaf, proof)
    }

    /// PROOF(from, D[to]) between two signed checkpoint sizes.
    public func consistencyProof(from: Int, to: Int) async throws(FleetError) -> [Digest] {
        guard from >= 1, from <= to else { throw .invalidInput(field: "from", reason: "must be in 1...to") }
        try await checkSigned(size: to, field: "to")
        return try await proof { source in try MerkleTree.consistencyProof(from: from, to: to, source: source) }
    }

    /// Entries `from ..< from + limit` in seq order.
    public func entries(from: Int, limit: Int) async throws(FleetError) -> [Entry] {
        try await database.connection("reading central log entries") { c in
            let rows = try await c.guardedQuery("""
                SELECT seq, time, kind, actor, subject, payload, prev FROM central_entries
                WHERE seq >= \(Int64(from)) ORDER BY seq LIMIT \(Int64(limit))
                """, logger: database.logger)
            var out: [Entry] = []
            for try await (seq, time, kind, actor, subject, payload, prev) in rows.decode((Int64, String, String, String, String, String, ByteBuffer).self) {
                guard let prevDigest = Digest(bytes: prev.bytes) else { throw corrupted("entry \(seq) prev") }
                let value = try JSONValue.parse(Array(payload.utf8), source: "central entry \(seq)")
                out.append(Entry(seq: Int(seq), time: time, kind: kind, actor: actor, subject: subject, payload: value, prev: prevDigest))
            }
            return out
        }
    }

    private func checkSigned(size: Int, field: String) async throws(FleetError) {
        guard let latest = try await latestCheckpoint() else { throw .notInitialized }
        guard size >= 1, size <= latest.size else {
            throw .invalidInput(field: field, reason: "must be a size the central signed (1...\(latest.size))")
        }
    }

    /// Runs a `MerkleTree` proof twice: once to learn which nodes it reads (the sizes alone
    /// decide that), then over those nodes fetched in one round trip.
    private func proof(_ make: (any MerkleNodeSource) throws -> [Digest]) async throws(FleetError) -> [Digest] {
        let recorder = RecordingSource()
        do { _ = try make(recorder) } catch { throw .invalidInput(field: "size", reason: "\(error)") }
        let fetched = try await nodes(recorder.wanted)
        do { return try make(FetchedSource(nodes: fetched)) } catch {
            throw .database(operation: "computing a central log proof", message: "\(error)")
        }
    }

    private func nodes(_ wanted: [(level: Int, index: Int)]) async throws(FleetError) -> [Pair: Digest] {
        let leaves = wanted.filter { $0.level == 0 }.map { Int64($0.index) }
        let inner = wanted.filter { $0.level > 0 }
        return try await database.connection("reading central log nodes") { c in
            var out: [Pair: Digest] = [:]
            if !leaves.isEmpty {
                let rows = try await c.guardedQuery("SELECT seq, leaf_hash FROM central_entries WHERE seq = ANY(\(leaves))", logger: database.logger)
                for try await (seq, hash) in rows.decode((Int64, ByteBuffer).self) {
                    out[Pair(level: 0, index: Int(seq))] = Digest(bytes: hash.bytes)
                }
            }
            if !inner.isEmpty {
                let levels = inner.map { Int16($0.level) }, indices = inner.map { Int64($0.index) }
                let rows = try await c.guardedQuery("""
                    SELECT n.level, n.idx, n.hash FROM central_nodes n
                    JOIN unnest(\(levels)::smallint[], \(indices)::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx
                    """, logger: database.logger)
                for try await (level, index, hash) in rows.decode((Int16, Int64, ByteBuffer).self) {
                    out[Pair(level: Int(level), index: Int(index))] = Digest(bytes: hash.bytes)
                }
            }
            return out
        }
    }

    private func corrupted(_ what: String) -> FleetError {
        .database(operation: "reading the central log", message: "\(what) is malformed")
    }
}

struct Pair: Hashable {
    let level: Int
    let index: Int
}

/// Answers with a placeholder and remembers what was asked.
private final class RecordingSource: MerkleNodeSource {
    var wanted: [(level: Int, index: Int)] = []
    func node(level: Int, index: Int) throws -> Digest {
        wanted.append((level, index))
        return MerkleHash.emptyRoot
    }
}

private struct FetchedSource: MerkleNodeSource {
    let nodes: [Pair: Digest]
    func node(level: Int, index: Int) throws -> Digest {
        guard let d = nodes[Pair(level: level, index: index)] else {
            throw FleetError.database(operation: "computing a central log proof", message: "node \(level)/\(index) is missing")
        }
        return d
    }
}
