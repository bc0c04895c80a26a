@testable import AuditFleetCentral
import AuditTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// The central's own connection pool: bounded, first come first served, a broken connection
/// replaced rather than reused, a bounded wait, and an unreachable database an immediate error.
@Suite struct FleetConnectionPoolTests {
    static func pool(maximum: Int, leaseTimeout: Duration = .seconds(30), reclaimAfter: Duration = .seconds(5)) throws -> FleetConnectionPool {
        let url = try PostgresCluster.shared().createDatabase(prefix: "pool")
        return FleetConnectionPool(configuration: try DatabaseURL(url).connectionConfiguration(), maximum: maximum,
                                   leaseTimeout: leaseTimeout, reclaimAfter: reclaimAfter, logger: Logger(label: "pool.test"))
    }

    static func backendPID(_ c: PostgresConnection) async throws -> Int32 {
        let rows = try await c.query("SELECT pg_backend_pid()", logger: Logger(label: "pool.test")).collect()
        return try rows[0].decode(Int32.self)
    }

    @Test func atMostMaximumOpenAndAWaiterGetsTheReturnedConnection() async throws {
        let pool = try Self.pool(maximum: 2)
        let a = try await pool.lease(), b = try await pool.lease()
        let waiter = Task { try await pool.lease() }
        try await Task.sleep(for: .milliseconds(200))
        await pool.release(a, reusable: true)
        let c = try await waiter.value
        #expect(c === a, "the returned sound connection goes to the waiter")
        #expect(try await Self.backendPID(c) == (try await Self.backendPID(a)))

        // A connection that saw an error is closed; the waiter opens a fresh one.
        let second = Task { try await pool.lease() }
        try await Task.sleep(for: .milliseconds(200))
        await pool.release(b, reusable: false)
        let d = try await second.value
        #expect(d !== b)
        #expect(try await Self.backendPID(d) != (try await Self.backendPID(c)))
        await pool.release(c, reusable: true)
        await pool.release(d, reusable: true)
        await pool.close()
        await #expect(throws: FleetConnectionPool.PoolClosed.self) { _ = try await pool.lease() }
    }

    @Test func aWaiterGivesUpAfterTheLeaseTimeout() async throws {
        let pool = try Self.pool(maximum: 1, leaseTimeout: .milliseconds(300))
        let held = try await pool.lease()
        await #expect(throws: FleetConnectionPool.LeaseTimeout.self) { _ = try await pool.lease() }
        await pool.release(held, reusable: true)
        let again = try await pool.lease()
        #expect(again === held)
        await pool.release(again, reusable: true)
        await pool.close()
    }

    @Test func anUnreachableDatabaseFailsEveryLeaseAtOnceAndHoldsNoPlace() async throws {
        let url = try DatabaseURL("postgres://nobody@127.0.0.1:1/none?sslmode=disable")
        // Maximum 1 and a lease timeout longer than the test: had a failed attempt kept its
        // place, the next lease would wait and end in LeaseTimeout instead of a connect error.
        let pool = FleetConnectionPool(configuration: try url.connectionConfiguration(), maximum: 1,
                                       leaseTimeout: .seconds(600), logger: Logger(label: "pool.test"))
        for attempt in 1...3 {
            do {
                _ = try await pool.lease()
                Issue.record("attempt \(attempt): a lease on an unreachable database succeeded")
            } catch {
                #expect(!(error is FleetConnectionPool.LeaseTimeout), "attempt \(attempt) waited for a place: \(error)")
            }
        }
        await pool.close()
    }

    /// Ends a connection's session from another one, as `pg_terminate_backend`, a restart or
    /// a failover does, and waits until the client has seen the close.
    static func terminate(_ victim: PostgresConnection, from pool: FleetConnectionPool) async throws {
        let pid = try await backendPID(victim)
        let killer = try await pool.lease()
        try await killer.guardedQuery("SELECT pg_terminate_backend(\(pid))", logger: Logger(label: "pool.test"))
        await pool.release(killer, reusable: true)
        try await poll("the client sees the session end") { victim.isClosed }
    }

    @Test func aStatementOnAConnectionTheServerClosedFailsAtOnce() async throws {
        // postgres-nio alone would wait forever here: its write to the closed channel is dropped.
        let pool = try Self.pool(maximum: 2)
        let c = try await pool.lease()
        try await c.guardedQuery("BEGIN", logger: Logger(label: "pool.test"))
        try await Self.terminate(c, from: pool)
        let clock = ContinuousClock(), asked = clock.now
        await #expect(throws: ConnectionLost.self) { try await c.guardedQuery("SELECT 1", logger: Logger(label: "pool.test")) }
        #expect(asked.duration(to: clock.now) < .seconds(5))
        #expect(!FleetDatabase.leavesSessionSound(ConnectionLost()), "the pool closes it instead of reusing it")
        await pool.release(c, reusable: false)
        await pool.close()
    }

    @Test func aLeaseStuckOnAClosedConnectionGivesItsPlaceBack() async throws {
        let pool = try Self.pool(maximum: 2, leaseTimeout: .seconds(2), reclaimAfter: .milliseconds(200))
        let stuck = try await pool.lease()
        try await Self.terminate(stuck, from: pool)
        let other = try await pool.lease()
        // The pool is full (2 of 2): only reclaiming the stuck lease's place lets this one in.
        let next = try await pool.lease()
        #expect(next !== stuck)
        #expect(try await Self.backendPID(next) > 0)
        // The stuck caller's late release is ignored: had it counted, a third lease would get a
        // place beyond the maximum.
        await pool.release(stuck, reusable: false)
        await #expect(throws: FleetConnectionPool.LeaseTimeout.self) { _ = try await pool.lease() }
        await pool.release(next, reusable: true)
        await pool.release(other, reusable: true)
        await pool.close()
    }
}
