import AuditCore
import AuditCrypto
import AuditFleet
import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import Logging

// FleetBench: central ingest in entries/s with N plants pushing concurrently (in-process
// `FleetCentral.ingest`, the push bodies built beforehand so only the central is timed),
// beside the raw baseline: `COPY` of the same rows into the same table (`psql \copy`) in
// the same run on the same throwaway PostgreSQL. Goal: ingest ≥ 0.5 × raw COPY.
//
//   FleetBench [--plants 50] [--entries 20000] [--batch 5000]

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

let plants = option("--plants", 50)
let entriesPerPlant = option("--entries", 20_000)
let batch = option("--batch", 5_000)
var logger = Logger(label: "fleetbench")
logger.logLevel = .warning

struct Plant: @unchecked Sendable {
    let ledger: TestLedger
    let origin: String
    var bodies: [[UInt8]] = []
}

print("FleetBench: \(plants) plants × \(entriesPerPlant) entries, pushes of ≤ \(batch)")
let setupStart = ContinuousClock.now
var built: [Plant] = []
for p in 0..<plants {
    let origin = "plant-\(p).bench/line-1"
    let ledger = try await TestLedger.make(origin: origin, synchronous: .off)
    var i = 0
    while i < entriesPerPlant - 1 {
        let n = min(Limits.maxGroupCommitEntries, entriesPerPlant - 1 - i)
        _ = try await ledger.store.append((0..<n).map { TestLedger.sampleDraft(i + $0) })
        i += n
    }
    var plant = Plant(ledger: ledger, origin: origin)
    var size = 0
    let encoder = JSONEncoder()
    while let push = try FleetPushBuilder.next(from: ledger.store, origin: origin, centralSize: size, maxEntries: batch) {
        plant.bodies.append(Array(try encoder.encode(push)))
        size += push.entries.count
    }
    built.append(plant)
}
let total = built.reduce(0) { $0 + (try! $1.ledger.store.size()) }
print("plants built in \(ContinuousClock.now - setupStart): \(total) entries, \(built.reduce(0) { $0 + $1.bodies.count }) pushes")

let cluster = try PostgresCluster.shared()
let url = try DatabaseURL(try cluster.createDatabase(prefix: "bench"))
let keys = try CentralKeys.generate(origin: "bench.example/central", witnessName: "bench.example/witness")
let snapshot = built
let (ingestSeconds, stored) = try await FleetDatabase.run(url: url, logger: logger, maximumConnections: min(max(plants, 4), 64)) { db in
    let central = try await FleetCentral.initialize(database: db, keys: keys, by: "bench", logger: logger)
    for plant in snapshot {
        let key = try NoteVerifierKey.parse(String(contentsOfFile: plant.ledger.home.verifierKeyPath, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        try await central.enroll(origin: plant.origin, verifierKey: key, name: nil, by: "bench")
    }
    let start = ContinuousClock.now
    let stored = try await withThrowingTaskGroup(of: Int.self) { group in
        for plant in snapshot {
            group.addTask {
                var n = 0
                for body in plant.bodies {
                    guard case let .cosigned(_, count, _) = try await central.ingest(body: body) else {
                        fatalError("push refused for \(plant.origin)")
                    }
                    n += count
                }
                return n
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    // Every plant's copy yields the plant's root.
    for plant in snapshot {
        let held = try await central.plant(plant.origin)!
        guard held.root == (try plant.ledger.store.latestCheckpoint()!.root) else { fatalError("root mismatch for \(plant.origin)") }
    }
    return (seconds, stored)
}
guard stored == total else { fatalError("stored \(stored) of \(total) entries") }

// Raw baseline: the same rows (other origins, so the primary key accepts them) into the
// same table with `COPY … FROM STDIN` through psql.
let database = url.database
let file = NSTemporaryDirectory() + "fleetbench-\(getpid()).tsv"
let dump = try cluster.psql(database: database, """
    \\copy (SELECT 'raw/' || origin, seq, time, kind, actor, subject, payload, prev, leaf_hash FROM plant_entries) TO '\(file)'
    """)
guard dump.status == 0 else { fatalError("dump failed: \(dump)") }
let copyStart = ContinuousClock.now
let copy = try cluster.psql(database: database, "\\copy plant_entries FROM '\(file)'")
let copyElapsed = ContinuousClock.now - copyStart
unlink(file)
guard copy.status == 0 else { fatalError("raw COPY failed: \(copy)") }
let copySeconds = Double(copyElapsed.components.seconds) + Double(copyElapsed.components.attoseconds) / 1e18

let ingestRate = Double(stored) / ingestSeconds
let copyRate = Double(stored) / copySeconds
print(String(format: "central ingest: %d entries in %.2f s = %.0f entries/s (%d plants concurrently)", stored, ingestSeconds, ingestRate, plants))
print(String(format: "raw COPY:       %d rows    in %.2f s = %.0f rows/s", stored, copySeconds, copyRate))
print(String(format: "ratio: %.2f × raw COPY (goal ≥ 0.5): %@", ingestRate / copyRate, ingestRate / copyRate >= 0.5 ? "met" : "missed"))
cluster.stop()
exit(ingestRate / copyRate >= 0.5 ? 0 : 1)
