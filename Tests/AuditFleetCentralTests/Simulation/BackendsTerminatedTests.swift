import AuditFleet
import AuditTesting
import Foundation
import Testing

extension FleetSimulation {
    /// The central's database sessions killed again and again under push load, as
    /// `pg_terminate_backend`, a fast shutdown or a failover does: each backend sends a FATAL
    /// error and closes its socket, in whatever step of a push it was (BEGIN, the entry bulk
    /// write, the checkpoint, COMMIT). The central must answer those pushes with 503 at once and
    /// go on. It once died here on a driver precondition (a session ended during `COPY`), and
    /// pushes hung for a minute when the driver lost a statement written as the session ended.
    @Suite struct BackendsTerminated {
        @Test(.timeLimit(.minutes(5)))
        func everySessionKilledMidPushLeavesTheCentralServing() async throws {
            var rng = SeededRandom.fromEnvironment()
            let clock = ContinuousClock(), started = clock.now
            let load = try await PushLoad.start(plants: 6, entries: 300, pushEvery: .milliseconds(10), appendEvery: .milliseconds(20), using: &rng)
            defer { load.stop() }
            let central = load.central

            // Kill the central's sessions that are inside a push (every tenth round, the idle ones
            // too), many times, at random moments: one psql session loops on the server, so the
            // kills come faster than a client's round trips.
            let rounds = SimulationScale.terminateRounds
            // On a thread of its own: the push loops run on this process's two cooperative threads.
            let killed = try await onOwnThread { try central.count("""
                CREATE TEMP TABLE kills (n int);
                DO $$ BEGIN
                  FOR i IN 1..\(rounds) LOOP
                    PERFORM pg_stat_clear_snapshot();  -- else the whole DO block sees one snapshot
                    INSERT INTO kills SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid()
                      AND (i % 10 = 0 OR state <> 'idle')) AS t;
                    PERFORM pg_sleep(random() * 0.02);
                  END LOOP;
                END $$;
                SELECT sum(n) FROM kills
                """) }
            try #require(central.server.isRunning,
                         "the central must survive its sessions being killed:\n\(load.crashReport())")
            let killingEnded = clock.now
            try await load.waitForPushes(after: try load.storedCheckpoints(), "pushes go on after the last kill", timeout: 60)

            let resumed = clock.now
            let records = try await load.finish()
            let finished = clock.now
            let failures = records.flatMap(\.transient).map { "\($0)" }
            // A lost session costs one push a 503, never a push that hangs until the plant gives up.
            #expect(!failures.isEmpty, "the kills must hit pushes, or this test proves nothing")
            let timedOut = failures.filter { $0.contains("did not answer within") }
            #expect(timedOut.isEmpty, "\(timedOut.count) pushes hung until the plant's timeout")
            let reclaimed = central.server.stderr().components(separatedBy: "pool place is reclaimed").count - 1
            #expect(reclaimed == 0, "statements stuck on a closed connection: \(reclaimed)")
            #expect(records.allSatisfy { $0.unexpected.isEmpty }, "only transient failures: \(records.flatMap(\.unexpected).prefix(5))")
            try central.expectEveryAuditPasses(load.plants)
            print("backends terminated (seed \(rng.seed)): \(killed) sessions killed in \(rounds) rounds; "
                + "\(failures.count) pushes failed cleanly (\(failures.filter { $0.contains("HTTP 503") }.count) × 503, "
                + "\(timedOut.count) client timeouts), \(reclaimed) pool places reclaimed, "
                + "\(records.map(\.pushes).reduce(0, +)) succeeded; killing ended at \(started.duration(to: killingEnded)), "
                + "pushes went on \(killingEnded.duration(to: resumed)) later, the plants caught up in \(resumed.duration(to: finished))")
        }
    }
}
