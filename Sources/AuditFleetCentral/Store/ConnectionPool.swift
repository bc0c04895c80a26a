import Foundation
import Logging
import PostgresNIO

/// The central's own pool of PostgreSQL connections: at most `maximum` open, each used by one
/// caller at a time, opened on demand and closed after any error.
///
/// Why not postgres-nio's `PostgresClient` pool: under CI load, stopping or restarting
/// PostgreSQL under push load crashed `auditctl fleet serve` on a precondition inside that
/// pool's state machine (its timers and connection events racing; 1.33.2 is the version this
/// machine has). A central must ride out a database restart, so the pool is this small,
/// lock-free-of-timers actor instead: no keep-alive, no idle timers, no background task.
/// While the database is down every lease fails at once (connection refused, or after the
/// connect timeout), which the routes answer with 503; the first lease after it is back opens
/// a fresh connection.
actor FleetConnectionPool {
    private let configuration: PostgresConnection.Configuration
    private let maximum: Int
    private let leaseTimeout: Duration
    private let logger: Logger

    private var idle: [PostgresConnection] = []
    /// Open connections plus connections being opened.
    private var open = 0
    private var nextID = 1
    private var waiters: [(id: Int, continuation: CheckedContinuation<PostgresConnection?, any Error>)] = []
    private var nextWaiter = 0
    private var closed = false
    /// Connections handed out and not yet given back (or reclaimed).
    private var leased: Set<PostgresConnection.ID> = []
    /// How long a lease may outlive its connection's close before its place is reclaimed.
    private let reclaimAfter: Duration

    init(configuration: PostgresConnection.Configuration, maximum: Int, leaseTimeout: Duration = .seconds(30),
         reclaimAfter: Duration = .seconds(5), logger: Logger) {
        self.configuration = configuration
        self.maximum = max(1, maximum)
        self.leaseTimeout = leaseTimeout
        self.reclaimAfter = reclaimAfter
        self.logger = logger
    }

    struct PoolClosed: Error, CustomStringConvertible { var description: String { "the connection pool is closed" } }
    struct LeaseTimeout: Error, CustomStringConvertible {
        let seconds: Int
        var description: String { "no database connection became free within \(seconds) s" }
    }

    /// A connection for one caller: an idle one, a new one while under `maximum`, or the next
    /// one returned (waiting at most `leaseTimeout`).
    func lease() async throws -> PostgresConnection {
        if closed { throw PoolClosed() }
        while let connection = idle.popLast() {
            if !connection.isClosed { return handOut(connection) }
            open -= 1
        }
        if open < maximum { return handOut(try await connect(reserved: false)) }
        let id = nextWaiter
        nextWaiter += 1
        let timeout = leaseTimeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(waiter: id)
        }
        defer { timer.cancel() }
        // nil: a connection was closed meanwhile, so this caller may open one itself.
        guard let handed = try await withCheckedThrowingContinuation({ waiters.append((id, $0)) }) else {
            return handOut(try await connect(reserved: true))
        }
        return handed
    }

    private func handOut(_ connection: PostgresConnection) -> PostgresConnection {
        leased.insert(connection.id)
        return connection
    }

    /// Gives a connection back: to the oldest waiter, else to the idle list. A connection that
    /// saw an error (`reusable: false`) or was closed by the server is closed, and its place
    /// goes to the oldest waiter, who then opens a fresh one.
    func release(_ connection: PostgresConnection, reusable: Bool) {
        // Its place was reclaimed already (below): nothing of it is counted any more.
        guard leased.remove(connection.id) != nil else { return }
        if reusable, !connection.isClosed, !closed {
            if waiters.isEmpty {
                idle.append(connection)
            } else {
                leased.insert(connection.id)
                waiters.removeFirst().continuation.resume(returning: connection)
            }
            return
        }
        Task { try? await connection.close() }
        freePlace()
    }

    /// One open place fewer: it goes to the oldest waiter, who opens a fresh connection.
    private func freePlace() {
        open -= 1
        if !waiters.isEmpty {
            open += 1   // reserved for the waiter, who connects
            waiters.removeFirst().continuation.resume(returning: nil)
        }
    }

    /// Called `reclaimAfter` past a connection's close. A lease still out then belongs to a
    /// caller stuck on a statement the driver lost (see `guardedQuery`): its place is freed so
    /// the pool does not shrink, and its later release, if any, is ignored.
    private func closed(connectionID: PostgresConnection.ID) {
        guard leased.remove(connectionID) != nil else { return }
        logger.error("a database statement did not end after its connection closed; its pool place is reclaimed",
                     metadata: ["connection": "\(connectionID)"])
        freePlace()
    }

    /// Closes every idle connection and fails the waiters; leased ones close when released.
    func close() async {
        closed = true
        for waiter in waiters { waiter.continuation.resume(throwing: PoolClosed()) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        open -= connections.count
        for connection in connections { try? await connection.close() }
    }

    /// Opens a connection; `reserved` when a releaser already counted its place for us.
    private func connect(reserved: Bool) async throws -> PostgresConnection {
        if !reserved { open += 1 }
        let id = nextID
        nextID += 1
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            let grace = reclaimAfter
            connection.closeFuture.whenComplete { [weak self] _ in
                Task { [weak self] in
                    try? await Task.sleep(for: grace)
                    await self?.closed(connectionID: id)
                }
            }
            return connection
        } catch {
            open -= 1
            // A waiter may now open the place this attempt held.
            if !waiters.isEmpty {
                open += 1
                waiters.removeFirst().continuation.resume(returning: nil)
            }
            throw error
        }
    }

    private func expire(waiter id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: LeaseTimeout(seconds: Int(leaseTimeout.components.seconds)))
    }
}
