import AuditLedger
import AuditRecords
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// Everything a route needs, built once per server.
struct ServerServices: Sendable {
    let options: ServerOptions
    let ledger: ServerLedger
    let sessions: SessionStore
    let limiter: LoginRateLimiter
    let metrics: ServerMetrics
    let pages: Pages
    /// Rendered JSON of list routes (`APIRouter.cachedJSON`).
    let responses = NIOLockedValueBox<[String: (version: LedgerVersion, second: Int, body: [UInt8])]>([:])
    /// The latest checkpoint reply (`GET /api/v1/checkpoint`).
    let checkpoints = VersionedBody()
}

/// A JSON operation as registered (method, path in OpenAPI form, operationId); the spec
/// test compares this list with Schemas/openapi.yaml, so the routes and the contract
/// cannot drift apart.
public struct APIOperation: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    public let path: String
    public let operationID: String
    public var description: String { "\(method) \(path) (\(operationID))" }

    public init(method: String, path: String, operationID: String) {
        self.method = method
        self.path = path
        self.operationID = operationID
    }
}

/// The HTTP service: builds the router, middleware and Hummingbird application over one
/// data directory. `auditctl serve` runs it; tests run it over a real socket.
public final class AuditServerApp: Sendable {
    public let options: ServerOptions
    let services: ServerServices
    private let operationList = NIOLockedValueBox<[APIOperation]>([])

    public init(options: ServerOptions) throws {
        if !options.isLoopback && !options.usesTLS {
            throw ServerSetupError.tlsRequired(host: options.host)
        }
        if (options.tlsCertificatePath == nil) != (options.tlsKeyPath == nil) {
            throw ServerSetupError.tlsIncomplete
        }
        self.options = options
        let ledger: ServerLedger
        do { ledger = try ServerLedger(options: options) } catch { throw ServerSetupError.ledger(error) }
        guard ledger.store.systemAuthority != nil else { throw ServerSetupError.logKeyLocked }
        services = ServerServices(
            options: options, ledger: ledger, sessions: SessionStore(clock: options.clock),
            limiter: LoginRateLimiter(perAddress: options.loginAttemptsPerAddress, perUser: options.loginAttemptsPerUser,
                                      window: options.loginWindow, clock: options.clock),
            metrics: ServerMetrics(), pages: try Pages())
    }

    /// The JSON operations the router serves.
    public var operations: [APIOperation] { operationList.withLockedValue { $0 } }

    public var store: LedgerStore { services.ledger.store }

    /// Builds the router: middleware outermost first, then pages and the JSON API.
    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        let failures = FailureRenderer(pages: services.pages)
        router.add(middleware: SecurityHeadersMiddleware(tls: options.usesTLS))
        router.add(middleware: ObservabilityMiddleware(metrics: services.metrics))
        router.add(middleware: SessionMiddleware(ledger: services.ledger, sessions: services.sessions, failures: failures))
        router.add(middleware: ErrorMiddleware(failures: failures))
        router.add(middleware: CSRFMiddleware(maxBodyBytes: options.maxBodyBytes))
        let api = APIRouter(router: router, services: services, operations: operationList)
        api.addHealthRoutes()
        api.addSessionRoutes()
        api.addChangeRoutes()
        api.addLedgerRoutes()
        api.addPolicyRoutes()
        api.addUserRoutes()
        PageRoutes(router: router, services: services).addAll()
        return router
    }

    /// The Hummingbird application; `onRunning` gets the bound port (tests bind port 0).
    public func application(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        do { server = try .http1(tlsCertificatePath: options.tlsCertificatePath, keyPath: options.tlsKeyPath) } catch {
            throw ServerSetupError.tlsFiles("\(error)")
        }
        return Application(router: makeRouter(), server: server,
                           configuration: .init(address: .hostname(options.host, port: options.port), serverName: "auditctl"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then stops the blocking-work threads.
    public func run(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(logger: logger, onRunning: onRunning)
        defer { shutdown() }
        try await app.runService()
    }

    /// Stops the blocking-work threads (after the server stopped).
    public func shutdown() { services.ledger.shutdown() }
}

/// Why the server does not start.
public enum ServerSetupError: Error, CustomStringConvertible {
    case tlsRequired(host: String)
    case tlsIncomplete
    case tlsFiles(String)
    case logKeyLocked
    case ledger(LedgerError)

    public var description: String {
        switch self {
        case .tlsRequired(let host):
            return "refusing to listen on \(host) without TLS: passwords and session tokens would cross the network in clear (21 CFR 11.30); pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy"
        case .tlsIncomplete: return "--tls-cert and --tls-key go together"
        case .tlsFiles(let m): return "cannot load the TLS certificate or key: \(m)"
        case .logKeyLocked:
            return "the log key is not unlocked: failed logins and lockouts must be recorded as entries signed with it"
        case .ledger(let e): return e.description
        }
    }
}
