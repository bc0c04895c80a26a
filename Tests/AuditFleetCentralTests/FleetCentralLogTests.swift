import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import NIOCore
import Testing

/// The central is itself a log: every checkpoint it stored is signed by its log key, every
/// entry is included in the newest tree, and every older tree is a prefix of it, checked
/// with the same RFC 9162 verifier plants and edges use.
@Suite struct FleetCentralLogTests {
    @Test func theCentralLogVerifiesWithItsKeyAndRFC9162Proofs() async throws {
        let a = try await TestPlant.make(entries: 9)
        let b = try await TestPlant.make(entries: 14)
        try await FleetFixture.with { f in
            try await f.enroll(a)
            try await f.pushAll(a, batch: 4)
            try await f.enroll(b)
            try await f.pushAll(b, batch: 5)
            var forged = try ForgedHistory(origin: b.origin, entries: b.pushedEntries())
            try forged.edit(seq: 2, actor: "mallory")
            _ = try await f.central.ingest(body: try forged.push(old: 14, size: 14, signer: b.signer).body)

            let entries = try await f.centralEntries()
            let kinds = entries.map(\.kind)
            #expect(kinds.first == "fleet.created")
            #expect(kinds.filter { $0 == "plant.enrolled" }.count == 2)
            #expect(kinds.contains("alarm.raised"))
            // The hash chain: prev is the previous entry's leaf hash.
            var leaves: [Digest] = []
            for (i, e) in entries.enumerated() {
                #expect(e.seq == i)
                #expect(e.prev == (leaves.last ?? Digest(bytes: [UInt8](repeating: 0, count: 32))!))
                leaves.append(MerkleHash.leaf(e.canonicalBytes))
            }
            // Every stored checkpoint is signed by the central's log key and has the right root.
            let verifier = NoteCheckpointVerifier(key: f.central.logVerifierKey)
            let stored = try await f.rows("SELECT size, note FROM central_checkpoints ORDER BY size").map { try $0.decode((Int64, String).self) }
            #expect(stored.map { Int($0.0) } == Array(1...entries.count))
            for (size, note) in stored {
                let body = try verifier.open(note: note)
                #expect(body.origin == "fleet.test/central" && body.size == Int(size))
                #expect(body.root == InMemoryMerkleTree.referenceRoot(leaves: Array(leaves.prefix(Int(size)))))
            }
            // Inclusion of every entry in the newest tree, consistency of every older tree with it.
            let latest = try #require(try await f.central.reader.latestCheckpoint())
            #expect(latest.size == entries.count)
            let head = try verifier.open(note: latest.note)
            for e in entries {
                let (leaf, proof) = try await f.central.reader.inclusionProof(seq: e.seq, size: latest.size)
                #expect(leaf == leaves[e.seq])
                try MerkleVerifier.verifyInclusion(leafHash: leaves[e.seq], index: e.seq, size: latest.size, proof: proof, root: head.root)
            }
            for (size, note) in stored where Int(size) < latest.size {
                let old = try verifier.open(note: note)
                let proof = try await f.central.reader.consistencyProof(from: Int(size), to: latest.size)
                try MerkleVerifier.verifyConsistency(oldSize: old.size, newSize: head.size, oldRoot: old.root, newRoot: head.root, proof: proof)
            }
            // A proof for a size the central never signed is refused.
            await #expect(throws: FleetError.self) { _ = try await f.central.reader.inclusionProof(seq: 0, size: latest.size + 1) }
        }
    }

    @Test func theCentralLogRecordsEachAcceptedCheckpointWithItsCosignature() async throws {
        let plant = try await TestPlant.make(entries: 7)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.pushAll(plant, batch: 3)
            let logged = try await f.centralEntries().filter { $0.kind == "plant.checkpoint" }
            let accepted = try await f.rows("SELECT size, central_seq FROM plant_checkpoints ORDER BY size").map { try $0.decode((Int64, Int64).self) }
            #expect(logged.map(\.seq) == accepted.map { Int($0.1) })
            for entry in logged {
                let note = try #require(entry.payload["checkpoint"]?.stringValue)
                let line = try #require(entry.payload["cosignature"]?.stringValue)
                let text = try Cosignature.split(note: note).text
                #expect(try Cosignature.verify(checkpointText: text, signatureLines: line, witnesses: [f.central.witnessKey]).count == 1)
                _ = try NoteCheckpointVerifier(key: plant.signer.verifierKey).open(note: note)
            }
        }
    }
}
