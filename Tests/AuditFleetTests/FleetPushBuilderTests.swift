import AuditCore
import AuditCrypto
@testable import AuditFleet
import AuditLedger
import AuditTesting
import Foundation
import Testing

@Suite struct FleetPushBuilderTests {
    /// The pushed entries, hashed on the receiving side, extend the central's tree to the
    /// checkpoint's root, and the proof links the two sizes: exactly what the central checks.
    @Test func pushesRebuildTheCheckpointRootBatchByBatch() async throws {
        let ledger = try await TestLedger.make(entries: 40)
        let origin = try ledger.home.verifierKey().name
        var central: [Digest] = []
        var rounds = 0
        while let push = try FleetPushBuilder.next(from: ledger.store, origin: origin, centralSize: central.count, maxEntries: 7) {
            rounds += 1
            #expect(push.format == FleetPush.formatTag)
            #expect(push.old == central.count)
            #expect(push.entries.map(\.seq) == Array(central.count..<(central.count + push.entries.count)))
            let opened = try NoteCheckpointVerifier(key: ledger.home.verifierKey()).open(note: push.checkpoint)
            #expect(opened.size == central.count + push.entries.count)
            let oldRoot = InMemoryMerkleTree.referenceRoot(leaves: central)
            central += try push.entries.map { try $0.leafHash() }
            #expect(InMemoryMerkleTree.referenceRoot(leaves: central) == opened.root)
            if push.old > 0 {
                try MerkleVerifier.verifyConsistency(oldSize: push.old, newSize: opened.size, oldRoot: oldRoot,
                                                     newRoot: opened.root, proof: push.proofDigests())
            } else {
                #expect(push.proof.isEmpty)
            }
            // The wire form round-trips byte for byte.
            let decoded = try JSONDecoder().decode(FleetPush.self, from: JSONEncoder().encode(push))
            #expect(decoded == push)
        }
        #expect(central.count == (try ledger.store.size()))
        #expect(rounds >= 40 / 7)
    }

    @Test func aPayloadThatIsNotCanonicalOrAnAlteredEntryIsRefusedOrChangesTheHash() async throws {
        let ledger = try await TestLedger.make(entries: 3)
        let push = try #require(try FleetPushBuilder.next(from: ledger.store, origin: "x", centralSize: 0))
        var entry = push.entries[2]
        let original = try entry.leafHash()
        #expect(original == (try ledger.store.leafHash(seq: 2)))
        entry.payload = " " + entry.payload
        #expect(throws: FleetProtocolError.self) { try entry.leafHash() }
        entry = push.entries[2]
        entry.actor += "x"
        #expect(try entry.leafHash() != original)
        entry = push.entries[2]
        entry.prev = "zz"
        #expect(throws: FleetProtocolError.self) { try entry.leafHash() }
    }

    @Test func nothingToPushWhenTheCentralIsCurrent() async throws {
        let ledger = try await TestLedger.make(entries: 2)
        let size = try ledger.store.size()
        #expect(try FleetPushBuilder.next(from: ledger.store, origin: "x", centralSize: size) == nil)
    }
}
