import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// PostgreSQL stopped for a while, started again, then restarted in one step, under push
    /// load. On a cluster of its own: the shared one serves every other test of the process.
    @Suite struct PostgresRestarted {
        /// What a stall looked like: each plant's last failures, the central's log tail and its
        /// database sessions, so a CI failure can be diagnosed from its output alone.
        static func stalled(_ error: any Error, loops: [PushLoop], central: CentralFixture, stored: Int, before: Int) -> any Error {
            let plants = loops.map { loop in
                let r = loop.record
                return "\(loop.plant.origin): rounds \(r.rounds), pushes \(r.pushes), last failures \(r.transient.suffix(2) + r.unexpected.suffix(2))"
            }.joined(separator: "\n")
            let sessions = (try? central.sql("SELECT state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity WHERE datname = current_database()"))
                .map { $0.map { $0.joined(separator: " | ") }.joined(separator: "\n") } ?? "(cannot read pg_stat_activity)"
            return PushStall(description: "\(error); stored checkpoints \(before) → \(stored)\nplants:\n\(plants)\nsessions:\n\(sessions)\n"
                + "central running: \(central.server.isRunning); its log:\n\(crashReport(central.server.stderr()))")
        }

        /// The head of a crash report (reason, crashed thread) rather than its register dump;
        /// the log's tail when there is no crash.
        static func crashReport(_ stderr: String) -> String {
            let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
            guard let start = lines.firstIndex(where: { $0.contains("Fatal error") || $0.contains("crashed") || $0.contains("Crash") }) else {
                return String(stderr.suffix(4000))
            }
            return lines[max(0, start - 5)..<min(lines.count, start + 45)].joined(separator: "\n")
        }

        struct PushStall: Error, CustomStringConvertible { let description: String }

        @Test(.timeLimit(.minutes(6)))
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
            // The plants' default timeout (60 s), as `auditctl fleet push` runs.
            let loops = try plants.map { plant in
                PushLoop(plant: plant, pusher: FleetPusher(store: plant.store, transport: try FleetClient(central: central.server.baseURL),
                                                           witness: central.witnessKey, batchSize: 25),
                         interval: .milliseconds(20))
            }
            loops.forEach { $0.start() }
            let appenders = plants.map { BackgroundAppender($0, seed: rng.next(), interval: .milliseconds(100)) }
            let storedCount: @Sendable () throws -> Int = { try central.count("SELECT count(*) FROM plant_checkpoints") }
            try await poll("pushes stored") { try storedCount() > plants.count }

            // Down long enough for every plant to see a push fail. Pushes in flight fail at
            // once (their sessions are cut); new ones wait while the pool retries, then get 503.
            let downAt = clock.now
            try cluster.stopServer()
            let failedBefore = loops.map(\.record.transient.count)
            try await poll("every plant saw a push fail during the outage", timeout: 150) {
                zip(loops, failedBefore).allSatisfy { $0.record.transient.count > $1 }
            }
            let everyPlantFailedAfter = downAt.duration(to: clock.now)
            try #require(central.server.isRunning, "the central must survive its database going away:\n\(Self.crashReport(central.server.stderr()))")
            let readyAsked = clock.now
            let ready = try RawHTTPConnection(port: central.server.port, timeout: 120).get(path: "/readyz")
            let readyTook = readyAsked.duration(to: clock.now)
            #expect(ready.status == 503 && ready.text.contains("not ready"), "\(ready.status) \(ready.text)")
            try cluster.startServer()
            let upAt = clock.now
            let afterStart = try storedCount()
            do {
                try await poll("pushes resume after the database came back", timeout: 120) { try storedCount() > afterStart + plants.count }
            } catch {
                throw Self.stalled(error, loops: loops, central: central, stored: (try? storedCount()) ?? -1, before: afterStart)
            }
            let resumedAfter = upAt.duration(to: clock.now)
            #expect(try central.get("/readyz").status == 200)

            // Restart in one step (pg_ctl restart -m fast) under the same load.
            let restartAt = clock.now
            try cluster.restart()
            let afterRestart = try storedCount()
            do {
                try await poll("pushes resume after pg_ctl restart", timeout: 120) { try storedCount() > afterRestart + plants.count }
            } catch {
                throw Self.stalled(error, loops: loops, central: central, stored: (try? storedCount()) ?? -1, before: afterRestart)
            }
            let resumedAfterRestart = restartAt.duration(to: clock.now)

            for appender in appenders { try await appender.stop() }
            for loop in loops {
                let summary = try await loop.finish()
                #expect(summary.centralSize == (try loop.plant.store.size()), "\(loop.plant.origin) pushed to current")
            }
            // Clean failures: the central's 503, a timeout, or a cut connection; never a refusal or an alarm.
            let records = loops.map(\.record)
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
