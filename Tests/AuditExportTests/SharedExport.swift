import AuditExport
import Foundation
import Testing

/// Every export test runs one at a time: they share one ledger, and RecordsService takes
/// its records lock with a blocking flock, which on a 2-core machine can occupy every
/// cooperative thread while the lock holder waits for one (a deadlock, seen here).
@Suite(.serialized) struct ExportSuite {}

/// One fixture ledger and one export of it for the whole suite: building the ledger takes
/// ~60 appends with Argon2 and Ed25519; every test reads the same export or writes its own.
enum Shared {
    private static let fixtureTask = Task { try await ExportFixture.make() }
    private static let exportTask = Task { () async throws -> (ExportFixture, ExportResult) in
        let f = try await fixture()
        return (f, try await f.export())
    }

    static func fixture() async throws -> ExportFixture { try await fixtureTask.value }
    static func export() async throws -> (ExportFixture, ExportResult) { try await exportTask.value }
}
