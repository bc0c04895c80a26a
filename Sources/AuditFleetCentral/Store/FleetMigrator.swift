import Logging
import PostgresNIO

/// Applies `FleetSchema.migrations` in order, each in its own transaction, under an advisory
/// lock so two central processes starting at once never apply one twice. Refuses a database
/// that holds a migration this release does not know (it was written by a newer release).
enum FleetMigrator {
    /// Any constant works; it only has to be the same in every auditctl process.
    static let advisoryLockKey: Int64 = 0x6175_6469_7463_746C // "auditctl"

    /// Brings the schema up to date; returns the migrations applied now.
    @discardableResult
    static func migrate(_ database: FleetDatabase) async throws(FleetError) -> [String] {
        var applied: [String] = []
        for migration in FleetSchema.migrations {
            let ran = try await database.transaction("applying migration \(migration.id)") { c in
                let done = try await lockAndReadApplied(c, logger: database.logger)
                try refuseUnknown(done)
                if done.contains(migration.id) { return false }
                for statement in migration.statements { try await c.run(statement, logger: database.logger) }
                try await c.guardedQuery("INSERT INTO fleet_migrations(id) VALUES (\(migration.id))", logger: database.logger)
                return true
            }
            if ran { applied.append(migration.id) }
        }
        return applied
    }

    /// Throws unless every migration of this release is applied and none is unknown.
    static func checkCurrent(_ database: FleetDatabase) async throws(FleetError) {
        let done = try await database.transaction("reading the schema version") { c in
            try await lockAndReadApplied(c, logger: database.logger)
        }
        try refuseUnknown(done)
        guard FleetSchema.migrations.allSatisfy({ done.contains($0.id) }) else { throw FleetError.notInitialized }
    }

    private static func lockAndReadApplied(_ c: PostgresConnection, logger: Logger) async throws -> Set<String> {
        try await c.guardedQuery("SELECT pg_advisory_xact_lock(\(advisoryLockKey))", logger: logger)
        try await c.run("""
            CREATE TABLE IF NOT EXISTS fleet_migrations(
                id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var done: Set<String> = []
        for try await id in try await c.guardedQuery("SELECT id FROM fleet_migrations", logger: logger).decode(String.self) {
            done.insert(id)
        }
        return done
    }

    private static func refuseUnknown(_ done: Set<String>) throws(FleetError) {
        let known = Set(FleetSchema.migrations.map(\.id))
        let unknown = done.subtracting(known).sorted()
        if !unknown.isEmpty { throw .newerSchema(unknownMigrations: unknown) }
    }
}
