import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// PostgreSQL stopped and started, then restarted, under push load. On a cluster of its
    /// own: the shared one serves every other test of the process.
    @Suite struct PostgresRestarted {
        @Test(.timeLimit(.minutes(5)))
        func pushesFailCleanlyWhileTheDatabaseIsDownThenResume() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let cluster = try PostgresCluster.startPrivate()
            defer { cluster.stop() }
            let central = try CentralFixture(cluster: cluster)
            let plants = try await SimulatedPlant.make(6)
            for plant in plants { try await plant.append(200, maxBatch: 8, using: &rng) }
            try await central.enroll(plants.map { ($0.origin, $0.key) })
            try central.server.start()
            defer { central.server.stop() }
            let loops = try plants.map { PushLoop(plant: $0, pusher: try $0.pusher(to: central, batch: 25), interval: .milliseconds(20)) }
            loops.forEach { $0.start() }
            let appenders = plants.map { BackgroundAppender($0, seed: rng.next()) }
            let storedCount = { try central.count("SELECT count(*) FROM plant_checkpoints") }
            try await poll("pushes stored") { try storedCount() > plants.count }

            // Outage: the central stays up and answers 503 (nothing half-stored), /readyz says so.
            try cluster.stopServer()
            let failedBefore = loops.map(\.record.transient.count)
            try await poll("every plant saw a push fail during the outage") {
                zip(loops, failedBefore).allSatisfy { $0.record.transient.count > $1 }
            }
            let readyDuringOutage = try central.get("/readyz")
            #expect(readyDuringOutage.status == 503, "\(readyDuringOutage.status) \(readyDuringOutage.text)")
            let outageErrors = zip(loops, failedBefore).flatMap { $0.record.transient[$1...] }
            #expect(outageErrors.allSatisfy { "\($0)".contains("the central answered HTTP 503") },
                    "pushes fail with the central's 503, not a dropped connection: \(outageErrors.prefix(3))")
            try cluster.startServer()
            let afterStart = try storedCount()
            try await poll("pushes resume after the database came back", timeout: 90) { try storedCount() > afterStart + plants.count }
            #expect(try central.get("/readyz").status == 200)

            // Restart in one step (pg_ctl restart -m fast) under the same load.
            try cluster.restart()
            let afterRestart = try storedCount()
            try await poll("pushes resume after pg_ctl restart", timeout: 90) { try storedCount() > afterRestart + plants.count }

            for appender in appenders { try await appender.stop() }
            for loop in loops {
                let summary = try await loop.finish()
                #expect(summary.centralSize == (try loop.plant.store.size()), "\(loop.plant.origin) pushed to current")
            }
            let records = loops.map(\.record)
            #expect(records.allSatisfy { $0.unexpected.isEmpty }, "only transient failures: \(records.flatMap(\.unexpected).prefix(5))")
            let problems = try MirrorAudit(central: central).problems(plants)
            #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(20).joined(separator: "\n"))")
            let logProblems = try CentralLogAudit(central: central).problems()
            #expect(logProblems.isEmpty, "\(logProblems.prefix(20).joined(separator: "\n"))")
            #expect(try central.count("SELECT size FROM central_head") == 1 + plants.count + (try storedCount()))
            // What the operator sees: database errors at error level in the service's log.
            #expect(central.server.stderr().contains("fleet database error"), "the outage is logged")

            let failed = records.map(\.transient.count).reduce(0, +)
            print("postgres restarted (seed \(rng.seed)): \(failed) pushes failed cleanly over a stop/start and a restart, "
                + "\(try central.count("SELECT count(*) FROM plant_entries")) entries mirrored exactly; \(started.duration(to: clock.now))")
        }
    }
}
