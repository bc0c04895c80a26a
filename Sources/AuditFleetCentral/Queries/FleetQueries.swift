import AuditCore
import AuditRecords
import Foundation
import PostgresNIO

/// The fleet-wide questions a corporate QA head asks (Docs/fleet.md, "Fleet queries"): plant
/// health, which model version runs where, which changes wait for signatures anywhere, and
/// every entry about a model across plants. Records questions are answered from each
/// plant's replayed state (`PlantRecordsCache`); health and entry listings straight from SQL.
public struct FleetQueries: Sendable {
    let database: FleetDatabase
    let cache: PlantRecordsCache
    let changeRows = PlantChangeRowsCache()

    public init(database: FleetDatabase) {
        self.database = database
        self.cache = PlantRecordsCache(database: database)
    }

    /// An enrolled plant as stored: what was pushed, when, and whether it raised alarms.
    public struct PlantHealth: Sendable, Equatable {
        public let origin: String
        public let name: String?
        public let size: Int
        public let lastPushAt: Date?
        /// Time of the newest mirrored entry (what the plant had appended by its last push).
        public let newestEntryTime: String?
        public let alarms: Int
        public let lastAlarmAt: Date?
        /// Entries the plant's replay rejected and no admin acknowledged (nil when not computed):
        /// the plant's own commands refuse to act until someone investigates.
        public var openProblems: Int?
    }

    /// Every enrolled plant's health, with the open problems its records replay finds.
    public func health(only plant: String? = nil) async throws(FleetError) -> [PlantHealth] {
        try await states(plant: plant).map { health, state in
            var h = health
            h.openProblems = state.openProblems.count
            return h
        }
    }

    /// Every enrolled plant, by origin (or just `plant`).
    public func plants(only plant: String? = nil) async throws(FleetError) -> [PlantHealth] {
        try await database.connection("reading plant health") { c in
            let rows = try await c.guardedQuery("""
                SELECT p.origin, p.display_name, p.size, p.last_push_at, p.alarm_count,
                       (SELECT e.time FROM plant_entries e WHERE e.origin = p.origin AND e.seq = p.size - 1),
                       (SELECT max(a.raised_at) FROM alarms a WHERE a.origin = p.origin)
                FROM plants p WHERE \(plant == nil) OR p.origin = \(plant ?? "") ORDER BY p.origin
                """, logger: database.logger)
            var out: [PlantHealth] = []
            for try await (origin, name, size, pushed, alarms, newest, lastAlarm)
                in rows.decode((String, String?, Int64, Date?, Int64, String?, Date?).self) {
                out.append(PlantHealth(origin: origin, name: name, size: Int(size), lastPushAt: pushed,
                                       newestEntryTime: newest, alarms: Int(alarms), lastAlarmAt: lastAlarm, openProblems: nil))
            }
            return out
        }
    }

    /// Each plant's replayed records state, for the plants selected (all when nil).
    func states(plant: String?) async throws(FleetError) -> [(PlantHealth, RecordsState)] {
        var out: [(PlantHealth, RecordsState)] = []
        for health in try await plants(only: plant) {
            out.append((health, try await cache.state(origin: health.origin, size: health.size)))
        }
        return out
    }
}
