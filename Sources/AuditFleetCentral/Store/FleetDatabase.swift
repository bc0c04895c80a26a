import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// The central's connection pool to PostgreSQL (`FleetConnectionPool`) and the one place
/// database errors become `FleetError`s. Every user goes through `FleetDatabase.run(url:…)`,
/// which closes the pool's connections when it ends.
public final class FleetDatabase: Sendable {
    public let url: DatabaseURL
    let pool: FleetConnectionPool
    let logger: Logger

    public init(url: DatabaseURL, logger: Logger, maximumConnections: Int = 20) throws(FleetError) {
        var configuration: PostgresConnection.Configuration
        do { configuration = try url.connectionConfiguration() } catch {
            throw .invalidInput(field: "--database", reason: "cannot use its TLS settings: \(error)")
        }
        configuration.options.additionalStartupParameters = [("application_name", "auditctl-fleet")]
        // Connection-level chatter (each failed attempt while the database restarts) stays
        // below warning; the routes log what the operator needs.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        self.url = url
        self.pool = FleetConnectionPool(configuration: configuration, maximum: maximumConnections, logger: background)
        self.logger = logger
    }

    /// Checks the database answers, then runs the pool around `body` and closes it afterwards.
    public static func run<T: Sendable>(url: DatabaseURL, logger: Logger, maximumConnections: Int = 20,
                                        _ body: @Sendable (FleetDatabase) async throws -> T) async throws -> T {
        let database = try FleetDatabase(url: url, logger: logger, maximumConnections: maximumConnections)
        try await database.probe()
        return try await database.run { try await body(database) }
    }

    /// One direct connection attempt, so a command that starts says at once why it cannot
    /// connect.
    public func probe() async throws(FleetError) {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw Self.mapped(error, "connecting to \(url.redacted)")
        }
    }

    /// Runs `body`, then closes the pool's idle connections.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }

    /// One pooled connection for `body`. After an error the connection goes back to the pool
    /// only if the session is known to be sound (the server refused a statement, or our own
    /// check threw); after a broken connection or a failed ROLLBACK it is closed.
    private func withPooledConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await pool.lease()
        do {
            let value = try await body(connection)
            await pool.release(connection, reusable: true)
            return value
        } catch {
            await pool.release(connection, reusable: Self.leavesSessionSound(error))
            throw (error as? UnusableConnection)?.underlying ?? error
        }
    }

    /// A connection whose session state is unknown (its ROLLBACK failed).
    struct UnusableConnection: Error { let underlying: any Error }

    static func leavesSessionSound(_ error: any Error) -> Bool {
        if error is UnusableConnection || error is ConnectionLost || error is CancellationError { return false }
        if let e = error as? PSQLError { return e.serverInfo != nil }
        return true
    }

    /// Rows of a query (tests and tools read the database through the same pool).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withPooledConnection { c in try await c.guardedQuery(query, logger: logger).collect() }
    }

    /// One transaction on one pooled connection: committed when `body` returns, rolled back
    /// when it throws (the error `body` threw is the one rethrown, mapped to `FleetError`).
    func transaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws(FleetError) -> T {
        do {
            return try await withPooledConnection { c in
                try await c.guardedQuery("BEGIN", logger: logger)
                do {
                    let value = try await body(c)
                    try await c.guardedQuery("COMMIT", logger: logger)
                    return value
                } catch {
                    let original = error
                    do { try await c.guardedQuery("ROLLBACK", logger: logger) } catch { throw UnusableConnection(underlying: original) }
                    throw original
                }
            }
        } catch {
            throw Self.mapped(error, operation)
        }
    }

    /// A statement or read outside an explicit transaction.
    func connection<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws(FleetError) -> T {
        do {
            return try await withPooledConnection { c in try await body(c) }
        } catch {
            throw Self.mapped(error, operation)
        }
    }

    static func mapped(_ error: any Error, _ operation: String) -> FleetError {
        if let fleet = error as? FleetError { return fleet }
        return .database(operation: operation, message: message(error))
    }

    /// The server's SQLSTATE and message, or the client-side reason (never the query's binds).
    static func message(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        if let info = e.serverInfo {
            return "\(info[.message] ?? "error") (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        if let underlying = e.underlying { return "\(e.code): \(underlying)" }
        return "\(e.code)"
    }

    /// The SQLSTATE of a server error, for the few that mean something to the caller.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension PostgresConnection {
    /// Runs a statement whose text is a constant of this module (migrations).
    @discardableResult
    func run(_ sql: String, logger: Logger) async throws -> PostgresRowSequence {
        try await guardedQuery(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// `query`, failing with `ConnectionLost` rather than waiting forever once the server has
    /// ended the session.
    ///
    /// Why: postgres-nio 1.33.2 writes a query to its channel without a promise. When the
    /// server ends the session (`pg_terminate_backend`, a restart, a failover) just as the
    /// query is written, the channel may already have dropped its handlers: the write fails
    /// silently and the query's own promise is never completed. The caller would wait
    /// forever, holding its pool place, while the plant's push times out after a minute
    /// (`FleetSimulation.BackendsTerminated` saw 6 of 88 killed sessions do this).
    ///
    /// So the query starts in a task of its own, and a watch checks the connection while it
    /// has not answered: a query on a closed connection is failed by the driver at once, so
    /// one still waiting after its connection has been closed for `lostAfter` never will.
    /// The abandoned task stays suspended (a few hundred bytes per lost statement).
    @discardableResult
    func guardedQuery(_ query: PostgresQuery, logger: Logger, lostAfter: Duration = .milliseconds(500)) async throws -> PostgresRowSequence {
        guard !isClosed else { throw ConnectionLost() }
        let outcome = FirstOutcome<PostgresRowSequence>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.deliver(to: continuation)
            let started = Task {
                do { outcome.resolve(.success(try await self.query(query, logger: logger))) } catch { outcome.resolve(.failure(error)) }
            }
            Task {
                var closedSince: ContinuousClock.Instant?
                while !outcome.isResolved {
                    try? await Task.sleep(for: .milliseconds(100))
                    guard self.isClosed else { continue }
                    let since = closedSince ?? .now
                    closedSince = since
                    if since.duration(to: .now) >= lostAfter {
                        outcome.resolve(.failure(ConnectionLost()))
                        started.cancel()
                    }
                }
            }
        }
    }
}

/// The first of several racing results, handed to one continuation exactly once.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var continuation: CheckedContinuation<Value, any Error>?
    }
    private let state = NIOLockedValueBox(State())

    var isResolved: Bool { state.withLockedValue { $0.result != nil } }

    func deliver(to continuation: CheckedContinuation<Value, any Error>) {
        let ready = state.withLockedValue { s -> Result<Value, any Error>? in
            s.continuation = continuation
            return s.result
        }
        if let ready { continuation.resume(with: ready) }
    }

    func resolve(_ result: Result<Value, any Error>) {
        let waiting = state.withLockedValue { s -> CheckedContinuation<Value, any Error>? in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.continuation = nil }
            return s.continuation
        }
        waiting?.resume(with: result)
    }
}

/// The database session ended (the server closed it) before a statement was answered.
struct ConnectionLost: Error, CustomStringConvertible {
    var description: String { "the database closed the connection" }
}

extension ByteBuffer {
    /// The bytes of a `bytea` column.
    var bytes: [UInt8] { Array(readableBytesView) }
}
