import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// `kill -9` of `auditctl fleet serve` in the middle of pushes, 20 rounds, restarted on the
    /// same port each time, while plants keep appending and pushing.
    @Suite struct CentralKilled {
        @Test(.timeLimit(.minutes(6)))
        func killNineMidPushLosesAndDuplicatesNothingAndPushesResume() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let central = try CentralFixture(cluster: .shared())
            let plants = try await SimulatedPlant.make(8)
            for plant in plants { try await plant.append(300, maxBatch: 8, using: &rng) }
            try await central.enroll(plants.map { ($0.origin, $0.key) })
            try central.server.start()
            defer { central.server.stop() }
            let rollbacks = { try central.count("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()") }
            let rollbacksBefore = try rollbacks()

            let loops = try plants.map { PushLoop(plant: $0, pusher: try $0.pusher(to: central, batch: 25), interval: .milliseconds(10)) }
            loops.forEach { $0.start() }
            let appenders = plants.map { BackgroundAppender($0, seed: rng.next()) }
            for round in 1...SimulationScale.killRounds {
                if round > 1 { try central.server.start() }
                // Pushes reach this instance: wait for one it stored, then kill it mid-stream.
                let stored = try central.count("SELECT count(*) FROM plant_checkpoints")
                try await poll("a push stored by central instance \(round)") {
                    try central.count("SELECT count(*) FROM plant_checkpoints") > stored
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...30, using: &rng)))
                central.server.kill9()
            }
            try central.server.start()
            for appender in appenders { try await appender.stop() }
            for loop in loops {
                let summary = try await loop.finish()
                #expect(summary.centralSize == (try loop.plant.store.size()), "\(loop.plant.origin) pushed to current")
            }

            let records = loops.map(\.record)
            #expect(records.allSatisfy { $0.unexpected.isEmpty }, "only transient failures: \(records.flatMap(\.unexpected).prefix(5))")
            // A push cut by the kill sees its connection reset or closed without an answer; one
            // that finds the central down cannot connect.
            let cut = records.flatMap(\.transient).filter { "\($0)".contains("before the answer") }
            #expect(!cut.isEmpty, "some kill cut a push in flight: \(Array(Set(records.flatMap(\.transient).map { "\($0)" })).prefix(8))")
            // Transactions of pushes cut before their commit, rolled back by PostgreSQL.
            let rolledBack = try rollbacks() - rollbacksBefore

            try central.expectEveryAuditPasses(plants)
            let checkpoints = try central.count("SELECT count(*) FROM plant_checkpoints")
            #expect(try central.count("SELECT size FROM central_head") == 1 + plants.count + checkpoints)
            #expect(try central.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'") == 0)

            let entries = try central.count("SELECT count(*) FROM plant_entries")
            print("central killed (seed \(rng.seed)): \(SimulationScale.killRounds) kill -9 rounds, \(entries) entries of \(plants.count) plants, "
                + "\(cut.count) pushes cut in flight, \(records.map(\.transient.count).reduce(0, +)) failed pushes in all, "
                + "\(rolledBack) transactions rolled back, \(records.map(\.conflicts).reduce(0, +)) 409s after lost answers; "
                + "\(started.duration(to: clock.now))")
        }
    }
}
