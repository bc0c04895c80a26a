import AuditServer
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// The HTTP service of the central (`auditctl fleet serve`): the push endpoint plants call,
/// the central log's checkpoint and proofs, its keys, health and metrics. Built on the
/// pieces of `auditctl serve` (request context and ids, security headers, request metrics
/// and logging), with its own routes and JSON error answers.
public struct FleetServer: Sendable {
    public let central: FleetCentral
    public let options: FleetServerOptions

    public init(central: FleetCentral, options: FleetServerOptions) throws(FleetError) {
        if !options.isLoopback && !options.usesTLS {
            throw .invalidInput(field: "--listen", reason: "refusing to listen on \(options.host) without TLS: pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy")
        }
        if (options.tlsCertificatePath == nil) != (options.tlsKeyPath == nil) {
            throw .invalidInput(field: "--tls-cert/--tls-key", reason: "go together")
        }
        self.central = central
        self.options = options
    }

    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: SecurityHeadersMiddleware(tls: options.usesTLS))
        router.add(middleware: ObservabilityMiddleware(metrics: central.metrics.server))
        router.add(middleware: FleetErrorMiddleware())
        let routes = FleetRoutes(central: central, options: options)
        routes.addPush(to: router)
        routes.addLog(to: router)
        routes.addQueries(to: router)
        routes.addHealth(to: router)
        return router
    }

    /// Every route served, as (method, path): `FleetSpecTests` proves Schemas/fleet-openapi.yaml
    /// lists exactly these.
    public var routes: [(method: String, path: String)] {
        makeRouter().routes.map { (method: $0.method.rawValue, path: "\($0.path)") }
    }

    /// The Hummingbird application; `onRunning` gets the bound port (tests bind port 0).
    public func application(logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol {
        let server: HTTPServerBuilder
        do { server = try .http1(tlsCertificatePath: options.tlsCertificatePath, keyPath: options.tlsKeyPath) } catch {
            throw FleetError.keyFile(path: options.tlsCertificatePath ?? "", reason: "cannot load the TLS certificate or key: \(error)")
        }
        return Application(router: makeRouter(), server: server,
                           configuration: .init(address: .hostname(options.host, port: options.port), serverName: "auditctl-fleet"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }
}
