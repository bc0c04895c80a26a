import AuditCrypto
import AuditFleetCentral
import AuditTesting
import Foundation
import Logging
import ServiceLifecycle

/// A central as `auditctl fleet serve` runs it (FleetServer, the default pool of 20
/// PostgreSQL connections, one reader token for the queries), in this process, on a fresh
/// database of the benchmark's cluster, with every plant enrolled. `body` gets the port; the
/// service stops when it returns.
enum BenchCentral {
    static let readerToken = "fleet-bench-reader-token"

    static func withServing<T: Sendable>(cluster: PostgresCluster, database: String, plants: [PlantDataSet.Plant],
                                         _ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let logger = { var l = Logger(label: "fleetbench"); l.logLevel = .error; return l }()
        let url = try DatabaseURL(cluster.url(database: database))
        let keys = try CentralKeys.generate(origin: "central.example/fleet", witnessName: "central.example/fleet/witness")
        return try await FleetDatabase.run(url: url, logger: logger) { db in
            let central = try await FleetCentral.initialize(database: db, keys: keys, by: "bench", logger: logger)
            for plant in plants {
                try await central.enroll(origin: plant.origin, verifierKey: plant.key, name: nil, by: "bench")
            }
            var options = FleetServerOptions()
            options.port = 0
            options.queryTokenDigests = [SHA256.hash(Array(readerToken.utf8)).bytes]
            let bound = PortBox()
            let app = try FleetServer(central: central, options: options).application(logger: logger) { port in bound.set(port) }
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            return try await withThrowingTaskGroup(of: T?.self) { tasks in
                tasks.addTask { try await group.run(); return nil }
                let port = try await bound.wait()
                let result: T
                do { result = try await body(port) } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                for try await _ in tasks {}
                return result
            }
        }
    }
}

/// The port the service bound, handed from its start-up callback to the benchmark.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?
    func set(_ p: Int) { lock.withLock { port = p } }
    func wait() async throws -> Int {
        for _ in 0..<6000 {
            if let p = lock.withLock({ port }) { return p }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchFailure("the fleet service did not start within 60 s")
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
