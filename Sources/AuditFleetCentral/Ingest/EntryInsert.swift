import AuditCore
import AuditFleet
import Logging
import NIOCore
import PostgresNIO

/// Writes pushed entries into `plant_entries` with one `INSERT … SELECT … FROM unnest(…)`:
/// a single statement with one array per column, inside the push transaction, so a failed or
/// cut push leaves nothing behind.
///
/// Why not `COPY … FROM STDIN`, which is faster: postgres-nio 1.33.2 (the version this
/// machine has) crashes the process when the server ends a session during a copy
/// (`pg_terminate_backend`, a fast shutdown, a failover). Its copy writer calls into the
/// connection's state machine after the session is already closed, and the state machine
/// stops on a precondition ("Copy mode is only supported for extended queries").
/// `FleetSimulation.BackendsTerminated` reproduced it in two of three runs. An ordinary
/// statement fails cleanly in that case; the central answers the push with 503 and lives.
enum EntryInsert {
    static func insert(origin: String, entries: [PushedEntry], prevs: [Digest], leaves: [Digest],
                       on c: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        var seqs: [Int64] = [], times: [String] = [], kinds: [String] = [], actors: [String] = []
        var subjects: [String] = [], payloads: [String] = [], prevHashes: [ByteBuffer] = [], leafHashes: [ByteBuffer] = []
        seqs.reserveCapacity(entries.count)
        times.reserveCapacity(entries.count)
        kinds.reserveCapacity(entries.count)
        actors.reserveCapacity(entries.count)
        subjects.reserveCapacity(entries.count)
        payloads.reserveCapacity(entries.count)
        prevHashes.reserveCapacity(entries.count)
        leafHashes.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() {
            seqs.append(Int64(e.seq))
            times.append(e.time)
            kinds.append(e.kind)
            actors.append(e.actor)
            subjects.append(e.subject)
            payloads.append(e.payload)
            prevHashes.append(ByteBuffer(bytes: prevs[i].bytes))
            leafHashes.append(ByteBuffer(bytes: leaves[i].bytes))
        }
        try await c.guardedQuery("""
            INSERT INTO plant_entries(origin, seq, time, kind, actor, subject, payload, prev, leaf_hash)
            SELECT \(origin), * FROM unnest(\(seqs)::bigint[], \(times)::text[], \(kinds)::text[], \(actors)::text[],
                                          \(subjects)::text[], \(payloads)::text[], \(prevHashes)::bytea[], \(leafHashes)::bytea[])
            """, logger: logger)
    }
}
