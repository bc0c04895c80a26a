import AuditFleet
import AuditTesting
import Foundation
import Testing

/// A central on a PostgreSQL cluster of its own under steady push load, for the database
/// fault tests: plants with entries already appended push in batches of 25 (with the plants'
/// default 60 s timeout, as `auditctl fleet push` runs) while they keep appending. A test
/// hurts the database, then checks how pushes fail and resume. `stop()` ends it all.
final class PushLoad: @unchecked Sendable {
    let cluster: PostgresCluster
    let central: CentralFixture
    let plants: [SimulatedPlant]
    let loops: [PushLoop]
    let appenders: [BackgroundAppender]

    private init(cluster: PostgresCluster, central: CentralFixture, plants: [SimulatedPlant], loops: [PushLoop],
                 appenders: [BackgroundAppender]) {
        (self.cluster, self.central, self.plants, self.loops, self.appenders) = (cluster, central, plants, loops, appenders)
    }

    /// Starts the cluster, the central and the plants' push loops and appenders, and returns
    /// once the first pushes are stored.
    static func start(plants count: Int, entries: Int, pushEvery: Duration, appendEvery: Duration,
                      using rng: inout SeededRandom) async throws -> PushLoad {
        let cluster = try PostgresCluster.startPrivate()
        let central: CentralFixture
        do {
            central = try CentralFixture(cluster: cluster)
        } catch {
            cluster.stop()
            throw error
        }
        do {
            let plants = try await SimulatedPlant.make(count)
            for plant in plants { try await plant.append(entries, maxBatch: 8, using: &rng) }
            try await central.enroll(plants.map { ($0.origin, $0.key) })
            try central.server.start()
            let loops = try plants.map { plant in
                PushLoop(plant: plant, pusher: FleetPusher(store: plant.store, transport: try FleetClient(central: central.server.baseURL),
                                                           witness: central.witnessKey, batchSize: 25),
                         interval: pushEvery)
            }
            loops.forEach { $0.start() }
            let appenders = plants.map { BackgroundAppender($0, seed: rng.next(), interval: appendEvery) }
            let load = PushLoad(cluster: cluster, central: central, plants: plants, loops: loops, appenders: appenders)
            try await poll("pushes stored") { try load.storedCheckpoints() > plants.count }
            return load
        } catch {
            central.server.stop()
            cluster.stop()
            throw error
        }
    }

    func storedCheckpoints() throws -> Int {
        try central.count("SELECT count(*) FROM plant_checkpoints")
    }

    /// Waits until more than one push per plant has been stored since `before`; a stall throws
    /// with what it looked like, so a CI failure can be diagnosed from its output alone.
    func waitForPushes(after before: Int, _ what: String, timeout: Double) async throws {
        do {
            try await poll(what, timeout: timeout) { try self.storedCheckpoints() > before + self.plants.count }
        } catch {
            throw PushStall(description: "\(error); stored checkpoints \(before) → \((try? storedCheckpoints()) ?? -1)\n" + diagnosis())
        }
    }

    /// Each plant's last failures, the central's database sessions and its log (the head of a
    /// crash report when it crashed).
    func diagnosis() -> String {
        let plants = loops.map { loop in
            let r = loop.record
            return "\(loop.plant.origin): rounds \(r.rounds), pushes \(r.pushes), last failures \(r.transient.suffix(2) + r.unexpected.suffix(2))"
        }.joined(separator: "\n")
        let sessions = (try? central.sql("SELECT state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity WHERE datname = current_database()"))
            .map { $0.map { $0.joined(separator: " | ") }.joined(separator: "\n") } ?? "(cannot read pg_stat_activity)"
        return "plants:\n\(plants)\nsessions:\n\(sessions)\ncentral running: \(central.server.isRunning); its log:\n\(crashReport())"
    }

    /// The head of the central's crash report (reason, crashed thread) rather than its
    /// register dump; the log's tail when there is no crash.
    func crashReport() -> String {
        let stderr = central.server.stderr()
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("Fatal error") || $0.contains("crashed") || $0.contains("Crash") }) else {
            return String(stderr.suffix(4000))
        }
        return lines[max(0, start - 5)..<min(lines.count, start + 45)].joined(separator: "\n")
    }

    /// Stops appending, pushes every plant to current and returns what each push loop saw.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [PushLoop.Record] {
        for appender in appenders { try await appender.stop() }
        for loop in loops {
            let summary = try await loop.finish()
            #expect(summary.centralSize == (try loop.plant.store.size()), "\(loop.plant.origin) pushed to current",
                    sourceLocation: sourceLocation)
        }
        return loops.map(\.record)
    }

    func stop() {
        central.server.stop()
        cluster.stop()
    }

    struct PushStall: Error, CustomStringConvertible { let description: String }
}
