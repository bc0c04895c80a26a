import Logging
import NIOCore
import PostgresNIO

/// The central's connection pool to PostgreSQL and the one place database errors become
/// `FleetError`s. The pool only serves while `run` is active (postgres-nio's structured
/// lifecycle), so every user goes through `FleetDatabase.run(url:…)`.
public final class FleetDatabase: Sendable {
    public let url: DatabaseURL
    let client: PostgresClient
    let logger: Logger

    public init(url: DatabaseURL, logger: Logger, maximumConnections: Int = 20) {
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        // The pool logs every failed connection attempt at info; while the database restarts
        // that is one line per retry, so only warnings and worse reach the operator.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        self.url = url
        self.client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.logger = logger
    }

    /// Checks the database answers, then runs the pool around `body` and closes it afterwards.
    public static func run<T: Sendable>(url: DatabaseURL, logger: Logger, maximumConnections: Int = 20,
                                        _ body: @Sendable (FleetDatabase) async throws -> T) async throws -> T {
        let database = FleetDatabase(url: url, logger: logger, maximumConnections: maximumConnections)
        try await database.probe()
        return try await database.run { try await body(database) }
    }

    /// One direct connection attempt. The pool retries an unreachable server with backoff for
    /// about a minute before giving up (right for a running service riding out a database
    /// restart); a command that starts should say at once why it cannot connect.
    public func probe() async throws(FleetError) {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw Self.mapped(error, "connecting to \(url.redacted)")
        }
    }

    /// Keeps the pool running while `body` runs.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// One transaction on one pooled connection: committed when `body` returns, rolled back
    /// when it throws (the error `body` threw is the one rethrown, mapped to `FleetError`).
    func transaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws(FleetError) -> T {
        do {
            return try await client.withConnection { c in
                try await c.query("BEGIN", logger: logger)
                do {
                    let value = try await body(c)
                    try await c.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await c.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw Self.mapped(error, operation)
        }
    }

    /// A statement or read outside an explicit transaction.
    func connection<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws(FleetError) -> T {
        do {
            return try await client.withConnection { c in try await body(c) }
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
    /// Runs a statement whose text is a constant of this module (migrations, COPY setup).
    @discardableResult
    func run(_ sql: String, logger: Logger) async throws -> PostgresRowSequence {
        try await query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}

extension ByteBuffer {
    /// The bytes of a `bytea` column.
    var bytes: [UInt8] { Array(readableBytesView) }
}
