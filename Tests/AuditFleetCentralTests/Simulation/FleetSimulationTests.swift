import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// 50 plants, each with its own ledger and log key, appending concurrently and pushing
    /// over real HTTP to one `auditctl fleet serve` on PostgreSQL while they append.
    @Suite struct FiftyPlants {
        @Test(.timeLimit(.minutes(8)))
        func everyEntryStoredOnceEveryCheckpointVerifiesEveryRootMatches() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let central = try CentralFixture(cluster: .shared())
            let plants = try await SimulatedPlant.make(SimulationScale.plants)
            try await central.enroll(plants.map { ($0.origin, $0.key) })
            try central.server.start()
            defer { central.server.stop() }
            let ready = clock.now

            // Each plant's push timer runs while it appends; half way, the plant waits until the
            // central has cosigned its first half, so every plant's pushes interleave with its
            // appends (and with all the other plants').
            let loops = try plants.map { plant in
                PushLoop(plant: plant, pusher: try plant.pusher(to: central, batch: Int.random(in: 16...200, using: &rng)))
            }
            loops.forEach { $0.start() }
            let seeds = plants.map { _ in rng.next() }
            let total = SimulationScale.entriesPerPlant
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (plant, seed) in zip(plants, seeds) {
                    group.addTask {
                        var r = SeededRandom(seed: seed)
                        try await plant.append(total / 2, maxBatch: 8, using: &r)
                        let half = try plant.store.size()
                        try await poll("\(plant.origin) cosigned at size \(half)", timeout: 180) {
                            try plant.cosignedSize(by: central.witnessKey) >= half
                        }
                        try await plant.append(total - total / 2, maxBatch: 8, using: &r)
                    }
                }
                try await group.waitForAll()
            }
            for loop in loops { _ = try await loop.finish() }
            let pushed = clock.now

            let records = loops.map(\.record)
            let errors = records.flatMap { $0.transient + $0.unexpected }
            #expect(errors.isEmpty, "no faults were injected, yet: \(errors.prefix(5))")
            let perPlant = try central.sql("SELECT origin, count(*) FROM plant_checkpoints GROUP BY origin")
            #expect(perPlant.count == plants.count && perPlant.allSatisfy { (Int($0[1]) ?? 0) >= 2 },
                    "every plant pushed before and after its second half: \(perPlant)")

            try central.expectEveryAuditPasses(plants)
            // The central's log: fleet.created, one plant.enrolled per plant, one plant.checkpoint per stored push.
            let checkpoints = try central.count("SELECT count(*) FROM plant_checkpoints")
            #expect(try central.count("SELECT size FROM central_head") == 1 + plants.count + checkpoints)

            let entries = try central.count("SELECT count(*) FROM plant_entries")
            print("fleet simulation (seed \(rng.seed)): \(plants.count) plants, \(entries) entries in \(checkpoints) stored pushes "
                + "(\(records.map(\.pushes).reduce(0, +)) cosigned answers, \(records.map(\.conflicts).reduce(0, +)) 409s); "
                + "set-up \(started.duration(to: ready)), appends + pushes \(ready.duration(to: pushed)), audit \(pushed.duration(to: clock.now))")
        }
    }
}
