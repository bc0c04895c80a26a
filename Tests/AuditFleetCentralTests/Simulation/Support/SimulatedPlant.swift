import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import AuditTesting
import Foundation

/// One plant of the simulation: a real ledger file with its own log key (every append batch
/// is covered by a checkpoint that key signs), appending as a production line does, and
/// pushing to the central over real HTTP with the plant's own push loop (`FleetPusher`).
final class SimulatedPlant: Sendable {
    let ledger: TestLedger
    let key: NoteVerifierKey
    let index: Int

    var store: LedgerStore { ledger.store }
    var origin: String { ledger.store.origin }

    init(index: Int) async throws {
        self.index = index
        ledger = try await TestLedger.make(origin: Self.origin(index))
        key = try ledger.home.verifierKey()
    }

    static func origin(_ index: Int) -> String {
        "plant-\(index < 10 ? "0" : "")\(index).example.com/line-\(index % 4 + 1)"
    }

    /// Makes `count` plants, a few at a time (each writes a genesis with two founders).
    static func make(_ count: Int) async throws -> [SimulatedPlant] {
        try await withThrowingTaskGroup(of: SimulatedPlant.self) { group in
            var made: [SimulatedPlant] = []
            for i in 0..<count {
                if i >= 4, let plant = try await group.next() { made.append(plant) }
                group.addTask { try await SimulatedPlant(index: i) }
            }
            for try await plant in group { made.append(plant) }
            return made.sorted { $0.index < $1.index }
        }
    }

    /// The push loop a plant runs (`auditctl fleet push` does the same), to `central`.
    func pusher(to central: CentralFixture, batch: Int) throws -> FleetPusher {
        FleetPusher(store: store, transport: try FleetClient(central: central.server.baseURL),
                    witness: central.witnessKey, batchSize: batch)
    }

    /// Appends `count` sample entries in atomic batches of random sizes up to `maxBatch`;
    /// the ledger signs a checkpoint after each batch.
    func append(_ count: Int, maxBatch: Int, using rng: inout SeededRandom) async throws {
        var done = 0
        while done < count {
            let n = min(count - done, Int.random(in: 1...maxBatch, using: &rng))
            let start = try store.size()
            try await store.append((0..<n).map { TestLedger.sampleDraft(start + $0) })
            done += n
        }
    }

    /// The size of the newest checkpoint this plant holds a valid cosignature of.
    func cosignedSize(by witness: CosignerKey) throws -> Int {
        try store.latestCosignedCheckpoint(witness: witness)?.checkpoint.size ?? 0
    }
}
