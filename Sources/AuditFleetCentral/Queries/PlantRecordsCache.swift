import AuditCore
import AuditRecords
import Logging
import PostgresNIO

/// Each plant's records state (people, changes, signatures, deployments) as the plant's own
/// `auditctl verify` would derive it: the same replay (`RecordsState`) over the entries the
/// central mirrored, so a fleet query never believes an entry the plant itself would reject
/// (a forged approval stays a problem here too). Kept in memory and extended only by the
/// entries pushed since, read by primary key; several `fleet serve` processes each keep
/// their own copy and stay correct because the plant's stored size is the cache key.
actor PlantRecordsCache {
    struct Plant: Sendable {
        var state: RecordsState
        /// Entries of this plant folded so far (all seqs below it were read).
        var replayed: Int
    }

    private let database: FleetDatabase
    private var plants: [String: Plant] = [:]
    /// One refresh per plant at a time: a concurrent query waits for it instead of folding
    /// the same entries twice into a second copy.
    private var refreshing: [String: Task<Plant, any Error>] = [:]

    init(database: FleetDatabase) { self.database = database }

    /// The plant's state folded up to at least `size` entries (the plant row's stored size).
    func state(origin: String, size: Int) async throws(FleetError) -> RecordsState {
        while true {
            if let plant = plants[origin], plant.replayed >= size { return plant.state }
            if let running = refreshing[origin] {
                _ = try? await running.value
                if let plant = plants[origin], plant.replayed >= size { return plant.state }
                if refreshing[origin] != nil { continue }
            }
            let start = plants[origin] ?? Plant(state: RecordsState(), replayed: 0)
            let database = self.database
            let task = Task { try await Self.extend(start, origin: origin, to: size, database: database) }
            refreshing[origin] = task
            do {
                let plant = try await task.value
                refreshing[origin] = nil
                if (plants[origin]?.replayed ?? -1) < plant.replayed { plants[origin] = plant }
                return plant.state
            } catch {
                refreshing[origin] = nil
                throw FleetDatabase.mapped(error, "replaying the records of plant \(origin)")
            }
        }
    }

    /// Folds the plant's entries `plant.replayed ..< size` of the kinds the replay reads.
    private static func extend(_ plant: Plant, origin: String, to size: Int, database: FleetDatabase) async throws -> Plant {
        var plant = plant
        let from = Int64(plant.replayed), to = Int64(size)
        let kinds = RecordsState.foldedKinds
        try await database.connection("reading the entries of plant \(origin)") { c in
            let rows = try await c.guardedQuery("""
                SELECT seq, time, kind, actor, subject, payload, prev FROM plant_entries
                WHERE origin = \(origin) AND seq >= \(from) AND seq < \(to) AND kind = ANY(\(kinds)) ORDER BY seq
                """, logger: database.logger)
            for try await (seq, time, kind, actor, subject, payload, prev) in rows.decode((Int64, String, String, String, String, String, ByteBuffer).self) {
                plant.state.replay(try entry(origin: origin, seq: Int(seq), time: time, kind: kind, actor: actor,
                                             subject: subject, payload: payload, prev: prev.bytes))
            }
        }
        plant.replayed = size
        return plant
    }

    /// A stored row as a ledger entry. The ingest checked every payload is canonical JSON,
    /// so a row that does not parse was changed in the database behind the central's back.
    private static func entry(origin: String, seq: Int, time: String, kind: String, actor: String, subject: String,
                              payload: String, prev: [UInt8]) throws -> Entry {
        guard let prevDigest = Digest(bytes: prev),
              let parsed = try? JSONValue.parse(Array(payload.utf8), source: "\(origin) entry \(seq)") else {
            throw FleetError.database(operation: "replaying the records of plant \(origin)",
                                      message: "stored entry \(seq) is not what the ingest wrote (payload or prev altered)")
        }
        return Entry(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: parsed, prev: prevDigest)
    }
}
