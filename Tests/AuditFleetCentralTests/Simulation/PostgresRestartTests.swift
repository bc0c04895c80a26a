import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// PostgreSQL stopped for a while, started again, then restarted in one step, under push
    /// load. On a cluster of its own: the shared one serves every other test of the process.
    @Suite struct PostgresRestarted {
        @Test(.timeLimit(.minutes(6)))
        func pushesFailCleanlyWhileTheDatabaseIsDownThenResume() async throws {
            let clock = ContinuousClock(), started = clock.now
            var rng = SeededRandom.fromEnvironment()
            let load = try await PushLoad.start(plants: 6, entries: 200, pushEvery: .milliseconds(20), appendEvery: .milliseconds(100), using: &rng)
            defer { load.stop() }
            let (cluster, central, plants, loops) = (load.cluster, load.central, load.plants, load.loops)
            let storedCount = load.storedCheckpoints

            // Down long enough for every plant to see a push fail. Pushes in flight fail at
            // once (their sessions are cut); new ones wait while the pool retries, then get 503.
            let downAt = clock.now
            try cluster.stopServer()
            let failedBefore = loops.map(\.record.transient.count)
            try await poll("every plant saw a push fail during the outage", timeout: 150) {
                zip(loops, failedBefore).allSatisfy { $0.record.transient.count > $1 }
            }
            let everyPlantFailedAfter = downAt.duration(to: clock.now)
            try #require(central.server.isRunning, "the central must survive its database going away:\n\(load.crashReport())")
            let readyAsked = clock.now
            let ready = try RawHTTPConnection(port: central.server.port, timeout: 120).get(path: "/readyz")
            let readyTook = readyAsked.duration(to: clock.now)
            #expect(ready.status == 503 && ready.text.contains("not ready"), "\(ready.status) \(ready.text)")
            try cluster.startServer()
            let upAt = clock.now
            let afterStart = try storedCount()
            try await load.waitForPushes(after: afterStart, "pushes resume after the database came back", timeout: 120)
            let resumedAfter = upAt.duration(to: clock.now)
            #expect(try central.get("/readyz").status == 200)

            // Restart in one step (pg_ctl restart -m fast) under the same load.
            let restartAt = clock.now
            try cluster.restart()
            let afterRestart = try storedCount()
            try await load.waitForPushes(after: afterRestart, "pushes resume after pg_ctl restart", timeout: 120)
            let resumedAfterRestart = restartAt.duration(to: clock.now)

            let records = try await load.finish()
            // Clean failures: the central's 503, a timeout, or a cut connection; never a refusal or an alarm.
            #expect(records.allSatisfy { $0.unexpected.isEmpty }, "only transient failures: \(records.flatMap(\.unexpected).prefix(5))")
            let failures = records.flatMap(\.transient).map { "\($0)" }
            let answered503 = failures.filter { $0.contains("HTTP 503") }.count
            let timedOut = failures.filter { $0.contains("did not answer within") }.count
            #expect(answered503 > 0, "the central answers 503 while its database is down")
            try central.expectEveryAuditPasses(plants)
            #expect(try central.count("SELECT size FROM central_head") == 1 + plants.count + (try storedCount()))
            // What the operator sees: database errors at error level in the service's log.
            #expect(central.server.stderr().contains("fleet database error"), "the outage is logged")

            print("postgres restarted (seed \(rng.seed)): \(failures.count) pushes failed cleanly (\(answered503) × 503, "
                + "\(timedOut) client timeouts, \(failures.count - answered503 - timedOut) cut); every plant had seen a failure "
                + "\(everyPlantFailedAfter) after the stop; /readyz answered 503 in \(readyTook); pushes resumed \(resumedAfter) after the start "
                + "and \(resumedAfterRestart) after the pg_ctl restart began; "
                + "\(try central.count("SELECT count(*) FROM plant_entries")) entries mirrored exactly; \(started.duration(to: clock.now))")
        }
    }
}
