import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditTesting
import Foundation

/// The benchmark's fleet: `plants` real plant ledgers (each its own log key) of
/// `entriesPerPlant` entries (`PlantRecordsMaker`), and every push a plant makes to bring an
/// empty central up to date, built in advance: the JSON body the plant sends and the same
/// rows in COPY text form for the raw baseline.
struct PlantDataSet: Sendable {
    struct Plant: Sendable {
        let ledger: TestRecords
        let origin: String
        let key: NoteVerifierKey
        /// Push bodies in order (each from the previous push's checkpoint size).
        let pushes: [[UInt8]]
        /// The same entries, per push, as `COPY … FROM STDIN` text rows.
        let copyRows: [[UInt8]]
        let entries: Int
    }

    let plants: [Plant]
    var entries: Int { plants.map(\.entries).reduce(0, +) }
    var pushes: Int { plants.map(\.pushes.count).reduce(0, +) }
    var bodyBytes: Int { plants.flatMap(\.pushes).map(\.count).reduce(0, +) }

    static let pushBatch = 5_000

    static func make(plants count: Int, entriesPerPlant: Int, changesPerPlant: Int) async throws -> PlantDataSet {
        let plants = try await withThrowingTaskGroup(of: Plant.self) { group in
            var made: [Plant] = []
            for i in 0..<count {
                if i >= 2, let plant = try await group.next() { made.append(plant) }
                group.addTask { try await makePlant(index: i, entries: entriesPerPlant, changes: changesPerPlant) }
            }
            for try await plant in group { made.append(plant) }
            return made.sorted { $0.origin < $1.origin }
        }
        return PlantDataSet(plants: plants)
    }

    static func origin(_ i: Int) -> String { String(format: "plant-%03d.example.com/line-%d", i, i % 4 + 1) }

    private static func makePlant(index: Int, entries: Int, changes: Int) async throws -> Plant {
        let origin = origin(index)
        let ledger = try await PlantRecordsMaker.make(index: index, origin: origin, entries: entries, changes: changes)
        var pushes: [[UInt8]] = [], rows: [[UInt8]] = []
        var central = 0
        let encoder = JSONEncoder()
        while let push = try FleetPushBuilder.next(from: ledger.store, origin: origin, centralSize: central, maxEntries: pushBatch) {
            pushes.append(Array(try encoder.encode(push)))
            var text: [UInt8] = []
            try ledger.store.forEachRow(fromSeq: push.old, toSeq: push.old + push.entries.count - 1) { row in
                CopyText.appendRow(origin: origin, row, to: &text)
            }
            rows.append(text)
            central = push.old + push.entries.count
        }
        return Plant(ledger: ledger, origin: origin, key: try ledger.home.verifierKey(), pushes: pushes, copyRows: rows,
                     entries: try ledger.store.size())
    }
}
