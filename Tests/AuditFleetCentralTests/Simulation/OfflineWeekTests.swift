import AuditCore
import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// A plant cut off from the central for a week: its pushes fail with the documented exit
    /// code, its ledger grows by thousands of entries, and when the link is back (a week
    /// later by every clock) `auditctl fleet push` catches up in batches. Then the central's
    /// clock steps back a week and its log's times still never go backwards.
    @Suite struct OfflineWeek {
        @Test(.timeLimit(.minutes(5)))
        func aPlantOfflineForAWeekCatchesUpInBatches() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let central = try CentralFixture(cluster: .shared())
            let plants = try await SimulatedPlant.make(1)
            let plant = plants[0]
            try await plant.append(200, maxBatch: 8, using: &rng)
            try await central.enroll([(plant.origin, plant.key)])
            try central.server.start()
            defer { central.server.stop() }
            let witnessFile = central.keyDirectory + "/witness.vkey"
            func push(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CommandResult {
                try auditctl(["fleet", "push", "--to", central.server.baseURL, "--witness-key", witnessFile,
                                            "--data-dir", plant.ledger.home.directory, "--timeout", "30"] + extra,
                                           environment: environment)
            }
            let first = try push()
            #expect(first.status == 0, "\(first)")
            let before = try plant.store.size()
            #expect(try central.count("SELECT size FROM plants") == before)

            // The WAN is down for a week: the plant keeps appending; each push fails with exit
            // 10 and nothing changes centrally.
            central.server.stop()
            try await plant.append(SimulationScale.offlineEntries, maxBatch: 400, using: &rng)
            let size = try plant.store.size()
            let down = try push()
            #expect(down.status == 10 && down.stderr.contains("cannot reach the central"), "\(down)")
            #expect(down.stderr.contains("nothing was lost"), "\(down)")
            #expect(try central.count("SELECT count(*) FROM plant_entries") == before)
            #expect(try plant.cosignedSize(by: central.witnessKey) == before)

            // A week later, by the central's clock and the plant's.
            let weekLater = try FakedClock.environment(offset: "+7d")
            try central.server.start(environment: weekLater)
            let caughtUp = try push(["--batch", "1000"], environment: weekLater)
            #expect(caughtUp.status == 0, "\(caughtUp)")
            let batches = try central.count("SELECT count(*) FROM plant_checkpoints WHERE size > \(before)")
            #expect(caughtUp.stdout.hasPrefix("pushed \(size - before) entries in \(batches) pushes; central size \(size), cosigned by"),
                    "\(caughtUp)")
            #expect(batches >= (size - before) / 1000, "in batches of at most 1,000 entries")
            #expect(try plant.cosignedSize(by: central.witnessKey) == size)
            let cosignedAt = try #require(try plant.store.latestCosignedCheckpoint(witness: central.witnessKey)?.cosignatures.first?.timestamp)
            #expect(Double(cosignedAt) > Date().timeIntervalSince1970 + 6.9 * 86_400, "the central's clock was a week ahead")

            // The central's clock steps back a week (faketime off); one more round.
            central.server.stop()
            try central.server.start()
            try await plant.append(20, maxBatch: 5, using: &rng)
            let after = try push()
            #expect(after.status == 0, "\(after)")
            #expect(try plant.cosignedSize(by: central.witnessKey) == (try plant.store.size()))

            try central.expectEveryAuditPasses(plants)
            let lastTimes = try central.sql("SELECT time FROM central_entries ORDER BY seq DESC LIMIT 2").map { $0[0] }
            #expect(lastTimes.count == 2 && lastTimes[0] == lastTimes[1], "entries after the clock stepped back keep the newest time: \(lastTimes)")

            print("offline week (seed \(rng.seed)): \(size - before) entries appended offline, caught up in \(batches) pushes; "
                + "\(started.duration(to: clock.now))")
        }
    }
}
