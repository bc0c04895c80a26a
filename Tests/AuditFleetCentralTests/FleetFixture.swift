import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing

/// A central on its own fresh database in the shared test cluster, initialized with new
/// keys; its log lines are captured so tests can look for the alarm's error line.
struct FleetFixture: Sendable {
    let cluster: PostgresCluster
    let urlText: String
    let keys: CentralKeys
    let central: FleetCentral
    let logs: LogCapture

    var databaseName: String { PostgresCluster.databaseName(of: urlText) }

    static func with(_ body: @Sendable (FleetFixture) async throws -> Void) async throws {
        let cluster = try PostgresCluster.shared()
        let urlText = try cluster.createDatabase()
        let keys = try CentralKeys.generate(origin: "fleet.test/central", witnessName: "fleet.test/witness")
        let logs = LogCapture()
        let logger = Logger(label: "fleet.test") { _ in LogCapture.Handler(capture: logs) }
        try await FleetDatabase.run(url: DatabaseURL(urlText), logger: logger) { db in
            let central = try await FleetCentral.initialize(database: db, keys: keys, by: "ada", logger: logger)
            try await body(FleetFixture(cluster: cluster, urlText: urlText, keys: keys, central: central, logs: logs))
        }
    }

    @discardableResult
    func enroll(_ plant: TestPlant) async throws -> Int {
        try await central.enroll(origin: plant.origin, verifierKey: plant.signer.verifierKey, name: "Plant \(plant.origin)", by: "ada")
    }

    /// Pushes everything the plant has, `batch` entries at a time, as `fleet push` would.
    @discardableResult
    func pushAll(_ plant: TestPlant, batch: Int = 5_000) async throws -> Int {
        var rounds = 0
        while true {
            let held = try #require(try await central.plant(plant.origin)).size
            guard let push = try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: held, maxEntries: batch) else {
                return rounds
            }
            let decision = try await central.ingest(body: push.body)
            guard case .cosigned = decision else { throw UnexpectedDecision(decision: decision) }
            rounds += 1
        }
    }

    /// Runs SQL on this fixture's database through postgres-nio.
    func rows(_ sql: String) async throws -> [PostgresRow] {
        try await central.database.rows(PostgresQuery(unsafeSQL: sql))
    }

    func count(_ sql: String) async throws -> Int {
        Int(try await rows(sql)[0].decode(Int64.self))
    }

    /// The plant's entries as the central stores them, with leaf hashes recomputed from the
    /// stored columns (not the stored hash column).
    func storedEntries(_ origin: String) async throws -> [(seq: Int, recomputed: Digest, storedHash: Digest)] {
        let rows = try await central.database.rows("""
            SELECT seq, time, kind, actor, subject, payload, prev, leaf_hash FROM plant_entries WHERE origin = \(origin) ORDER BY seq
            """)
        return try rows.map { row in
            let (seq, time, kind, actor, subject, payload, prev, hash) =
                try row.decode((Int64, String, String, String, String, String, ByteBuffer, ByteBuffer).self)
            let leaf = SHA256.hash(EntryEncoding.leafInput(seq: Int(seq), time: time, kind: kind, actor: actor, subject: subject,
                                                           canonicalPayload: payload, prev: Digest(bytes: Array(prev.readableBytesView))!))
            return (Int(seq), leaf, Digest(bytes: Array(hash.readableBytesView))!)
        }
    }

    /// The central's own log entries, every one.
    func centralEntries() async throws -> [Entry] {
        try await central.reader.entries(from: 0, limit: 100_000)
    }
}

struct UnexpectedDecision: Error, CustomStringConvertible {
    let decision: PushDecision
    var description: String { "unexpected push decision: \(decision)" }
}

/// A plant: a real ledger (`TestLedger`) and its log key, so tests can also forge what a
/// compromised plant host holding that key could sign.
struct TestPlant: Sendable {
    let ledger: TestLedger
    let origin: String
    let signer: NoteSigner

    static func make(origin: String = "plant-\(UUID().uuidString.prefix(6).lowercased()).test/line-3", entries: Int) async throws -> TestPlant {
        let ledger = try await TestLedger.make(origin: origin, entries: entries)
        let signer = try NoteSigner.parse(String(contentsOfFile: ledger.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        return TestPlant(ledger: ledger, origin: origin, signer: signer)
    }

    func append(_ count: Int, from start: Int = 1_000) async throws {
        for i in 0..<count { try await ledger.store.append(TestLedger.sampleDraft(start + i)) }
    }

    /// The plant's entries as pushed (all of them).
    func pushedEntries() throws -> [PushedEntry] {
        let size = try ledger.store.size()
        let push = try #require(try FleetPushBuilder.next(from: ledger.store, origin: origin, centralSize: 0, maxEntries: size))
        try #require(push.entries.count == size)
        return push.entries
    }

    /// The root of the plant's own tree.
    func root() throws -> Digest {
        try #require(try ledger.store.latestCheckpoint()).root
    }
}

extension FleetPush {
    /// The JSON body, with sorted keys so the same push always gives the same bytes.
    var body: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try! encoder.encode(self))
    }
}

/// Log lines a test can search (level, message, metadata).
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            capture.append("\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
    }
}
