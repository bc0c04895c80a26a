import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The raw baseline: the same rows `COPY … FROM STDIN` into a scratch copy of
/// `plant_entries` (same columns, primary key and indexes) in the same database, with no
/// parsing, hashing, signing or HTTP. `streams` connections at once, one transaction per
/// push-sized batch, exactly as the central writes them.
enum RawCopyLoad {
    static func run(cluster url: String, table: String, plants: [PlantDataSet.Plant], concurrent: Bool) async throws -> Double {
        let logger = { var l = Logger(label: "fleetbench.copy"); l.logLevel = .error; return l }()
        let components = URLComponents(string: url)!
        var configuration = PostgresClient.Configuration(host: components.host!, port: components.port!, username: components.user!,
                                                         password: components.password, database: String(components.path.dropFirst()),
                                                         tls: .disable)
        configuration.options.maximumConnections = 20
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Connections opened before the clock starts, as the central's pool is warm too.
            try await withThrowingTaskGroup(of: Void.self) { warm in
                for _ in 0..<20 { warm.addTask { try await client.query("SELECT 1", logger: logger) } }
                try await warm.waitForAll()
            }
            let start = ContinuousClock.now
            if concurrent {
                try await withThrowingTaskGroup(of: Void.self) { copies in
                    for plant in plants { copies.addTask { try await copy(plant.copyRows, into: table, client, logger) } }
                    try await copies.waitForAll()
                }
            } else {
                for plant in plants { try await copy(plant.copyRows, into: table, client, logger) }
            }
            let elapsed = start.duration(to: .now)
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    private static func copy(_ batches: [[UInt8]], into table: String, _ client: PostgresClient, _ logger: Logger) async throws {
        for batch in batches {
            try await client.withConnection { c in
                try await c.query("BEGIN", logger: logger)
                try await c.copyFrom(table: table, columns: CopyText.columns, logger: logger) { writer in
                    var offset = 0
                    while offset < batch.count {
                        let end = min(batch.count, offset + (1 << 20))
                        try await writer.write(ByteBuffer(bytes: batch[offset..<end]))
                        offset = end
                    }
                }
                try await c.query("COMMIT", logger: logger)
            }
        }
    }
}
