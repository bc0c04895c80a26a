@testable import AuditFleetCentral
import Foundation
import Logging
import ServiceLifecycle

extension FleetFixture {
    /// Runs the central's HTTP service on 127.0.0.1 (a port the system picks), calls `body`
    /// with a client for it, then shuts the service down gracefully.
    func serve(_ body: @Sendable (RawHTTP) async throws -> Void) async throws {
        var options = FleetServerOptions()
        options.port = 0
        try await Self.serve(central, options: options, body)
    }

    /// The same for any central and options (query tokens, limits).
    static func serve(_ central: FleetCentral, options: FleetServerOptions, _ body: @Sendable (RawHTTP) async throws -> Void) async throws {
        let server = try FleetServer(central: central, options: options)
        var logger = Logger(label: "fleet.http.test")
        logger.logLevel = .warning
        let port = PortBox()
        let app = try server.application(logger: logger) { p in port.set(p) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var failure: (any Error)?
            do { try await body(RawHTTP(port: try await port.wait())) } catch { failure = error }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }
}

/// The bound port, once the server runs.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    func set(_ p: Int) { lock.withLock { value = p } }
    func wait() async throws -> Int {
        for _ in 0..<1200 {
            if let v = lock.withLock({ value }) { return v }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CancellationError()
    }
}
