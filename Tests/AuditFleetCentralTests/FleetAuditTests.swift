import AuditCore
import AuditCrypto
@testable import AuditFleetCentral
import AuditTesting
import Foundation
import Testing

/// `fleet verify` against a database owner who edits rows behind the central's back: the
/// triggers can be switched off by the owner, the recomputation cannot be.
@Suite(.serialized) struct FleetAuditTests {
    func audit(_ f: FleetFixture) async throws -> FleetAuditReport {
        try await FleetAudit(database: f.central.database, logKey: f.central.logVerifierKey, witnessKey: f.central.witnessKey).run()
    }

    /// Two plants pushed in batches verify cleanly; then each kind of edit is named.
    @Test func everyEditByTheDatabaseOwnerIsNamed() async throws {
        try await FleetFixture.with { f in
            let a = try await TestPlant.make(entries: 40)
            let b = try await TestPlant.make(entries: 25)
            try await f.enroll(a)
            try await f.enroll(b)
            try await f.pushAll(a, batch: 9)
            try await f.pushAll(b, batch: 10)
            let clean = try await audit(f)
            #expect(clean.ok, "\(clean.problems)")
            let total = try a.ledger.store.size() + b.ledger.store.size()
            #expect(clean.plants == 2 && clean.plantEntries == total)
            #expect(clean.cosignatures >= 7 && clean.centralEntries >= 10 && clean.centralCheckpoints == clean.centralEntries)

            // An edited payload (triggers off, as only the owner can).
            _ = try await f.rows("ALTER TABLE plant_entries DISABLE TRIGGER USER")
            _ = try await f.rows("UPDATE plant_entries SET payload = replace(payload, 'retrain', 'RETRAIN') WHERE origin = '\(a.origin)' AND seq = 17")
            var report = try await audit(f)
            #expect(report.problems.contains { $0.scope == a.origin && $0.seq == 17 && $0.message.contains("leaf hash") })
            #expect(!report.problems.contains { $0.scope == b.origin })

            // Dropped newest entries.
            _ = try await f.rows("DELETE FROM plant_entries WHERE origin = '\(b.origin)' AND seq >= 20")
            report = try await audit(f)
            #expect(report.problems.contains { $0.scope == b.origin && $0.message.contains("entries dropped") })

            // A swapped plant key (to accept a forged history later).
            _ = try await f.rows("ALTER TABLE plants DISABLE TRIGGER USER")
            let other = try NoteSigner(name: a.origin, privateKey: .generate()).verifierKey.encoded
            _ = try await f.rows("UPDATE plants SET verifier_key = '\(other)' WHERE origin = '\(a.origin)'")
            report = try await audit(f)
            #expect(report.problems.contains { $0.scope == a.origin && $0.message.contains("the central log enrolled") })

            // An edited entry of the central's own log.
            _ = try await f.rows("ALTER TABLE central_entries DISABLE TRIGGER USER")
            _ = try await f.rows("UPDATE central_entries SET actor = 'mallory' WHERE seq = 1")
            report = try await audit(f)
            #expect(report.problems.contains { $0.scope == "central log" && $0.seq == 1 })
        }
    }

    /// An auditor holding another log key (the central's key swapped in fleet_meta) sees every checkpoint fail.
    @Test func checkpointsMustVerifyWithTheAuditorsKey() async throws {
        try await FleetFixture.with { f in
            let a = try await TestPlant.make(entries: 5)
            try await f.enroll(a)
            try await f.pushAll(a)
            let stranger = try NoteSigner(name: f.central.origin, privateKey: .generate()).verifierKey
            let report = try await FleetAudit(database: f.central.database, logKey: stranger, witnessKey: f.central.witnessKey).run()
            #expect(!report.ok)
            #expect(report.problems.allSatisfy { $0.scope == "central log" && $0.message.contains("not signed by the central log key") })
        }
    }
}
