import Foundation
import NIOSSL
import PostgresNIO

/// Where the fleet database is, from a libpq-style URL:
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require][&host=/socket/dir]`.
/// A password in the URL is visible in process listings, so `PGPASSWORD` (set by a secrets
/// manager) is read when the URL has none. `redacted` is the only form ever logged.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public let user: String
    let password: String?
    public let host: String
    public let port: Int
    public let database: String
    /// A folder holding the server's unix socket (`?host=/path`); TCP when nil.
    public let socketDirectory: String?
    public let sslMode: SSLMode

    public enum SSLMode: String, Sendable {
        case disable, prefer, require
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(FleetError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .invalidInput(field: "--database", reason: "expected postgres://user@host:port/database")
        }
        guard let user = url.user, !user.isEmpty else {
            throw .invalidInput(field: "--database", reason: "the URL names no user (postgres://USER@host/database)")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidInput(field: "--database", reason: "the URL names no database (postgres://user@host/DATABASE)")
        }
        var sslMode = SSLMode.prefer
        var socketDirectory: String?
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let v = item.value, let mode = SSLMode(rawValue: v) else {
                    throw .invalidInput(field: "--database sslmode", reason: "must be disable, prefer or require")
                }
                sslMode = mode
            case "host":
                guard let v = item.value, v.hasPrefix("/") else {
                    throw .invalidInput(field: "--database host", reason: "must be the absolute path of the socket folder")
                }
                socketDirectory = v
            default:
                throw .invalidInput(field: "--database \(item.name)", reason: "unknown parameter (known: sslmode, host)")
            }
        }
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGPASSWORD"]
        self.host = url.host ?? "localhost"
        self.port = url.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.socketDirectory = socketDirectory
        self.sslMode = sslMode
    }

    /// The URL without its password, for logs and messages.
    public var redacted: String {
        let place = socketDirectory.map { "\(host):\(port) (socket in \($0))" } ?? "\(host):\(port)"
        return "postgres://\(user)@\(place)/\(database)"
    }

    public var description: String { redacted }

    /// The same server and credentials, another database (tests create one per case).
    public func with(database other: String) -> String {
        var c = URLComponents()
        c.scheme = "postgres"
        c.user = user
        c.password = password
        c.host = host
        c.port = port
        c.path = "/" + other
        var items = [URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
        if let socketDirectory { items.append(URLQueryItem(name: "host", value: socketDirectory)) }
        c.queryItems = items
        return c.string ?? ""
    }

    /// For a single connection (`FleetDatabase.probe`).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketDirectory {
            return .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
