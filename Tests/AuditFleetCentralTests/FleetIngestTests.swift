import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// Push ingest against a real PostgreSQL: each entry stored exactly once whatever the
/// retries, cuts and races, the stored copy yields the plant's root, and the tlog-witness
/// answers (200 cosignature, 409 size, 400/403/404) come back as Docs/fleet.md says.
@Suite struct FleetIngestTests {
    @Test func batchesStoreEveryEntryOnceAndTheCopyYieldsThePlantsRoot() async throws {
        let plant = try await TestPlant.make(entries: 120)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let rounds = try await f.pushAll(plant, batch: 17)
            #expect(rounds >= 120 / 17)
            let size = try plant.ledger.store.size()
            let stored = try await f.storedEntries(plant.origin)
            #expect(stored.map(\.seq) == Array(0..<size))
            #expect(try await f.count("SELECT count(DISTINCT (origin, seq)) FROM plant_entries") == size)
            for e in stored {
                #expect(e.recomputed == e.storedHash)
                #expect(e.recomputed == (try plant.ledger.store.leafHash(seq: e.seq)))
            }
            #expect(InMemoryMerkleTree.referenceRoot(leaves: stored.map(\.recomputed)) == (try plant.root()))
            let held = try #require(try await f.central.plant(plant.origin))
            let plantRoot = try plant.root()
            #expect(held.size == size && held.root == plantRoot)
            // Every accepted checkpoint is the plant's signed note and is recorded in the central log.
            let accepted = try await f.rows("SELECT note, central_seq FROM plant_checkpoints ORDER BY size")
            #expect(accepted.count == rounds)
            let verifier = NoteCheckpointVerifier(key: plant.signer.verifierKey)
            for row in accepted { _ = try verifier.open(note: try row.decode((String, Int64).self).0) }
            let logged = try await f.centralEntries().filter { $0.kind == "plant.checkpoint" }
            #expect(logged.count == rounds)
            #expect(logged.last?.payload["size"]?.doubleValue == Double(size))
        }
    }

    @Test func theCosignatureVerifiesUnderTheWitnessKey() async throws {
        let plant = try await TestPlant.make(entries: 10)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            guard case let .cosigned(size, stored, lines) = try await f.central.ingest(body: push.body) else {
                Issue.record("push not cosigned")
                return
            }
            #expect(stored == size && size == push.entries.count)
            let text = try Cosignature.split(note: push.checkpoint).text
            let verified = try Cosignature.verify(checkpointText: text, signatureLines: lines, witnesses: [f.keys.witness.key])
            #expect(verified.count == 1)
            #expect(abs(Int(verified[0].timestamp) - Int(Date().timeIntervalSince1970)) < 60)
            // A key the central does not hold makes nothing verify.
            let other = try Cosigner(name: f.keys.witness.name, privateKey: .generate())
            #expect(try Cosignature.verify(checkpointText: text, signatureLines: lines, witnesses: [other.key]).isEmpty)
            #expect(try await f.count("SELECT count(*) FROM cosignatures") == 1)
        }
    }

    @Test func theSamePushRetriedFiveTimesStoresItsEntriesOnce() async throws {
        let plant = try await TestPlant.make(entries: 30)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            for attempt in 0..<6 {
                let decision = try await f.central.ingest(body: push.body)
                guard case let .cosigned(size, stored, _) = decision else {
                    Issue.record("attempt \(attempt): \(decision)")
                    continue
                }
                #expect(size == push.entries.count)
                #expect(stored == (attempt == 0 ? push.entries.count : 0))
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == push.entries.count)
            #expect(try await f.count("SELECT count(*) FROM plant_checkpoints") == 1)
            #expect(try await f.count("SELECT count(*) FROM cosignatures") == 6)
            #expect(try await f.centralEntries().filter { $0.kind == "plant.checkpoint" }.count == 1)
        }
    }

    @Test func concurrentCopiesOfOnePushStoreItOnce() async throws {
        let plant = try await TestPlant.make(entries: 200)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            let body = push.body
            let decisions = try await withThrowingTaskGroup(of: PushDecision.self) { group in
                for _ in 0..<8 { group.addTask { try await f.central.ingest(body: body) } }
                return try await group.reduce(into: [PushDecision]()) { $0.append($1) }
            }
            let storing = decisions.filter { if case let .cosigned(_, stored, _) = $0 { return stored > 0 } else { return false } }
            #expect(storing.count == 1, "\(decisions)")
            #expect(decisions.allSatisfy { $0.httpStatus == 200 })
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == push.entries.count)
        }
    }

    @Test func aPushCutAtAnyByteStoresNothingAndTheFullPushThenSucceeds() async throws {
        let plant = try await TestPlant.make(entries: 40)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            let body = push.body
            var generator = SystemRandomNumberGenerator()
            let cuts = [0, 1, body.count / 2, body.count - 1] + (0..<20).map { _ in Int.random(in: 1..<body.count, using: &generator) }
            for cut in cuts {
                let decision = try await f.central.ingest(body: Array(body.prefix(cut)))
                guard case .malformed = decision else {
                    Issue.record("cut at \(cut) of \(body.count): \(decision)")
                    continue
                }
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)
            #expect(try await f.count("SELECT size FROM plants") == 0)
            guard case .cosigned = try await f.central.ingest(body: body) else {
                Issue.record("the full push was not stored")
                return
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == push.entries.count)
        }
    }

    @Test func aPlantOfflineForDaysCatchesUpInBatches() async throws {
        let plant = try await TestPlant.make(entries: 15)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.pushAll(plant)
            try await plant.append(400)
            let rounds = try await f.pushAll(plant, batch: 64)
            #expect(rounds >= 400 / 64)
            let stored = try await f.storedEntries(plant.origin)
            #expect(stored.count == (try plant.ledger.store.size()))
            #expect(InMemoryMerkleTree.referenceRoot(leaves: stored.map(\.recomputed)) == (try plant.root()))
            // The roots at sizes the central never saw as checkpoints are the plant's too.
            let locked = try await f.central.database.transaction("test") { c in
                try await LockedPlant.lock(plant.origin, c, logger: f.central.logger)!
            }
            for size in [1, 7, 255, 256, 257, 300, stored.count - 1] where size <= stored.count {
                let root = try await f.central.database.transaction("test") { c in
                    try await locked.root(atSize: size, c, logger: f.central.logger)
                }
                #expect(root == InMemoryMerkleTree.referenceRoot(leaves: stored.prefix(size).map(\.recomputed)), "size \(size)")
            }
        }
    }

    @Test func wrongOldIsAConflictNamingTheCentralsSize() async throws {
        let plant = try await TestPlant.make(entries: 30)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let first = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0, maxEntries: 10))
            _ = try await f.central.ingest(body: first.body)
            let held = first.entries.count
            // The plant believes the central is at 0 (or ahead of it): 409 with the real size.
            let fromZero = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0, maxEntries: 25))
            #expect(try await f.central.ingest(body: fromZero.body) == .conflict(centralSize: held))
            let ahead = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: held + 2))
            #expect(try await f.central.ingest(body: ahead.body) == .conflict(centralSize: held))
            // A stale but consistent checkpoint (smaller size, matching root): 409, no alarm.
            let stale = try #require(try plant.ledger.store.checkpoints().first { $0.size == held - 3 })
            let entries = try plant.pushedEntries()
            let stalePush = FleetPush(origin: plant.origin, old: 0, proof: [], checkpoint: stale.note, entries: Array(entries[0..<stale.size]))
            #expect(try await f.central.ingest(body: stalePush.body) == .conflict(centralSize: held))
            #expect(try await f.count("SELECT count(*) FROM alarms") == 0)
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == held)
        }
    }

    @Test func unknownOriginIsNotFoundAndAnotherKeyIsForbidden() async throws {
        let plant = try await TestPlant.make(entries: 5)
        try await FleetFixture.with { f in
            let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            #expect(try await f.central.ingest(body: push.body) == .unknownOrigin(plant.origin))
            try await f.enroll(plant)
            // Same origin and history, signed by a key that is not the enrolled one.
            let impostor = try NoteSigner(name: plant.origin, privateKey: .generate())
            let forged = try ForgedHistory(origin: plant.origin, entries: plant.pushedEntries())
            let decision = try await f.central.ingest(body: try forged.push(old: 0, size: forged.entries.count, signer: impostor).body)
            guard case .forbidden = decision else {
                Issue.record("expected 403, got \(decision)")
                return
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)
            #expect(try await f.count("SELECT count(*) FROM evidence") == 0)
        }
    }

    @Test func malformedPushesNameTheField() async throws {
        let plant = try await TestPlant.make(entries: 8)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            let good = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
            func field(_ push: FleetPush) async throws -> String? {
                if case let .malformed(field, _) = try await f.central.ingest(body: push.body) { return field }
                return nil
            }
            var p = good
            p.format = "other/v9"
            #expect(try await field(p) == "format")
            p = good
            p.entries.removeLast()
            #expect(try await field(p) == "entries")
            p = good
            p.entries[3].seq = 99
            #expect(try await field(p) == "entries[3].seq")
            p = good
            p.old = good.entries.count + 1
            p.entries = []
            #expect(try await field(p) == "old")
            p = good
            p.entries[2].payload = "{ \"a\":1}"
            #expect(try await field(p) == "entries[seq 2].payload")
            p = good
            p.proof = ["not base64!"]
            #expect(try await field(p) == "proof[0]")
            p = good
            p.checkpoint = "garbage"
            #expect(try await field(p) == "checkpoint")
            var json = try #require(try JSONSerialization.jsonObject(with: Data(good.body)) as? [String: Any])
            json["old"] = "ten"
            let text = try JSONSerialization.data(withJSONObject: json)
            guard case .malformed(field: "old", _) = try await f.central.ingest(body: Array(text)) else {
                Issue.record("a string for old was not refused naming the field")
                return
            }
            json = try #require(try JSONSerialization.jsonObject(with: Data(good.body)) as? [String: Any])
            json["extra"] = 1
            let extra = try JSONSerialization.data(withJSONObject: json)
            guard case .malformed(field: "extra", _) = try await f.central.ingest(body: Array(extra)) else {
                Issue.record("an unknown field was not refused")
                return
            }
            #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)
        }
    }
}
