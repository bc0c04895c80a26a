import AuditCore
import AuditCrypto
@testable import AuditFleetCentral
import AuditTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// Migrations are versioned like the SQLite ones, a newer database is refused, and the
/// database itself refuses to change or delete a stored entry.
@Suite struct FleetSchemaTests {
    @Test func storedEntriesCannotBeUpdatedDeletedOrTruncatedEvenByTheDatabaseOwner() async throws {
        let plant = try await TestPlant.make(entries: 6)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.pushAll(plant)
            let attempts = [
                "UPDATE plant_entries SET actor = 'mallory' WHERE seq = 2",
                "DELETE FROM plant_entries WHERE seq = 5",
                "TRUNCATE plant_entries",
                "UPDATE central_entries SET payload = '{}' WHERE seq = 0",
                "DELETE FROM plant_checkpoints",
                "DELETE FROM cosignatures",
                "UPDATE central_checkpoints SET note = 'x'",
            ]
            for sql in attempts {
                let result = try f.cluster.psql(database: f.databaseName, sql)
                #expect(result.status != 0, "\(sql) was allowed")
                #expect(result.stderr.contains("append-only"), "\(sql): \(result.stderr)")
            }
            // Through postgres-nio too, with the SQLSTATE the trigger sets.
            do {
                _ = try await f.rows("UPDATE plant_entries SET kind = 'x' WHERE seq = 1")
                Issue.record("the update was allowed")
            } catch {
                #expect(FleetDatabase.sqlState(error) == "23001")
            }
            let stored = try await f.storedEntries(plant.origin)
            #expect(stored.count == (try plant.ledger.store.size()))
            #expect(stored.allSatisfy { $0.recomputed == $0.storedHash })
        }
    }

    @Test func migratingAgainChangesNothingAndANewerDatabaseIsRefused() async throws {
        try await FleetFixture.with { f in
            #expect(try await FleetMigrator.migrate(f.central.database).isEmpty)
            try await FleetMigrator.checkCurrent(f.central.database)
            let applied = try await f.rows("SELECT id FROM fleet_migrations ORDER BY id").map { try $0.decode(String.self) }
            #expect(applied == FleetSchema.migrations.map(\.id))
            _ = try await f.rows("INSERT INTO fleet_migrations(id) VALUES ('v99-from-the-future')")
            await #expect(throws: FleetError.newerSchema(unknownMigrations: ["v99-from-the-future"])) {
                _ = try await FleetCentral.open(database: f.central.database, keys: f.keys, logger: Logger(label: "t"))
            }
        }
    }

    @Test func initTwiceIsRefusedAndOtherKeysDoNotOpenTheDatabase() async throws {
        try await FleetFixture.with { f in
            let logger = Logger(label: "t")
            await #expect(throws: FleetError.alreadyInitialized(origin: "fleet.test/central")) {
                _ = try await FleetCentral.initialize(database: f.central.database, keys: f.keys, by: "ada", logger: logger)
            }
            let other = try CentralKeys.generate(origin: "fleet.test/central", witnessName: "fleet.test/witness")
            await #expect(throws: FleetError.self) {
                _ = try await FleetCentral.open(database: f.central.database, keys: other, logger: logger)
            }
            _ = try await FleetCentral.open(database: f.central.database, keys: f.keys, logger: logger)
        }
    }

    @Test func aPlantIsEnrolledOnceWithAKeyNamedAfterItsOrigin() async throws {
        let plant = try await TestPlant.make(entries: 1)
        try await FleetFixture.with { f in
            let seq = try await f.enroll(plant)
            await #expect(throws: FleetError.alreadyEnrolled(origin: plant.origin)) { try await f.enroll(plant) }
            let wrongName = try NoteSigner(name: "someone-else", privateKey: .generate())
            await #expect(throws: FleetError.self) {
                try await f.central.enroll(origin: "other.test/x", verifierKey: wrongName.verifierKey, name: nil, by: "ada")
            }
            let entry = try #require(try await f.centralEntries().first { $0.seq == seq })
            #expect(entry.kind == "plant.enrolled" && entry.actor == "ada" && entry.subject == plant.origin)
            #expect(entry.payload["verifierKey"]?.stringValue == plant.signer.verifierKey.encoded)
        }
    }
}
