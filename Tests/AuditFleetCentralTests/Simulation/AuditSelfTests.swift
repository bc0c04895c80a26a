import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// The audits the simulation and fault tests end with must be able to fail: a central
    /// whose rows were deleted or edited behind its back (triggers disabled, as a database
    /// owner could) is reported, each change by name.
    @Suite struct AuditsCatchTampering {
        @Test(.timeLimit(.minutes(3)))
        func aMissingOrEditedRowAndAForgedCheckpointAreReported() async throws {
            var rng = SeededRandom.fromEnvironment()
            let central = try CentralFixture(cluster: .shared())
            let plants = try await SimulatedPlant.make(2)
            for plant in plants { try await plant.append(40, maxBatch: 8, using: &rng) }
            try await central.enroll(plants.map { ($0.origin, $0.key) })
            try central.server.start()
            defer { central.server.stop() }
            for plant in plants { _ = try await plant.pusher(to: central, batch: 16).pushUntilCurrent() }
            #expect(try MirrorAudit(central: central).problems(plants).isEmpty)
            #expect(try CentralLogAudit(central: central).problems().isEmpty)
            #expect(try central.fleetVerify().status == 0)

            let (a, b) = (plants[0].origin, plants[1].origin)
            let edited = try plants[1].store.size() - 2   // a sample entry, whose reason says "retrain"
            _ = try central.sql("""
                ALTER TABLE plant_entries DISABLE TRIGGER plant_entries_append_only;
                ALTER TABLE central_checkpoints DISABLE TRIGGER central_checkpoints_append_only;
                DELETE FROM plant_entries WHERE origin = '\(a)' AND seq = 5;
                UPDATE plant_entries SET payload = replace(payload, 'retrain', 'RETRAIN') WHERE origin = '\(b)' AND seq = \(edited);
                UPDATE central_checkpoints SET note = replace(note, '— central.example/fleet ', '— central.example/fleet AAAA')
                    WHERE size = (SELECT min(size) FROM central_checkpoints WHERE size > 2);
                """)
            let mirror = try MirrorAudit(central: central).problems(plants)
            #expect(mirror.contains { $0.hasPrefix("\(a): count, distinct seqs, min, max are") }, "\(mirror)")
            #expect(mirror.contains("\(b) seq \(edited): stored leaf hash is not the hash of the stored columns"), "\(mirror)")
            let log = try CentralLogAudit(central: central).problems()
            #expect(log.contains { $0.contains("does not verify with the central's log key") }, "\(log)")
            // The product's own audit agrees.
            let verified = try central.fleetVerify()
            #expect(verified.status == 1 && verified.stdout.contains("FAIL"), "\(verified)")
        }
    }
}
