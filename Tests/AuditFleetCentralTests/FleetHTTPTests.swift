import AuditCore
import AuditCrypto
import AuditFleet
@testable import AuditFleetCentral
import AuditLedger
import AuditTesting
import Foundation
import Testing

/// The routes over a real socket: the tlog-witness answers with their content types, a push
/// cut mid-body, the central log's checkpoint and proofs, the keys, and metrics.
@Suite struct FleetHTTPTests {
    @Test func pushAnswersAsTlogWitnessDoes() async throws {
        let plant = try await TestPlant.make(entries: 20)
        try await FleetFixture.with { f in
            try await f.serve { http in
                let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0, maxEntries: 12))
                // Unknown origin: 404, JSON.
                let unknown = try await http.post("/fleet/v1/push", body: push.body)
                #expect(unknown.status == 404)
                #expect(unknown.header("Content-Type")?.hasPrefix("application/json") == true)
                #expect(unknown.text.contains("unknown_origin"))
                try await f.enroll(plant)
                // Accepted: 200, the cosignature line(s) as text.
                let ok = try await http.post("/fleet/v1/push", body: push.body)
                #expect(ok.status == 200)
                #expect(ok.header("Content-Type")?.hasPrefix("text/plain") == true)
                #expect(ok.header("X-Request-ID") != nil && ok.header("X-Content-Type-Options") == "nosniff")
                let text = try Cosignature.split(note: push.checkpoint).text
                #expect(try Cosignature.verify(checkpointText: text, signatureLines: ok.text, witnesses: [f.central.witnessKey]).count == 1)
                // Retried: 200 again, nothing stored twice.
                #expect(try await http.post("/fleet/v1/push", body: push.body).status == 200)
                // Wrong old: 409 text/x.tlog.size with the central's size.
                let next = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 3))
                let conflict = try await http.post("/fleet/v1/push", body: next.body)
                #expect(conflict.status == 409)
                #expect(conflict.header("Content-Type") == "text/x.tlog.size")
                #expect(conflict.text == "\(push.entries.count)\n")
                // Malformed: 400, JSON naming the field.
                var bad = next
                bad.entries[0].seq = 7
                let malformed = try await http.post("/fleet/v1/push", body: bad.body)
                #expect(malformed.status == 400)
                let error = try JSONValue.parse(malformed.body)["error"]
                #expect(error?["field"]?.stringValue == "entries[0].seq")
                #expect(error?["requestId"]?.stringValue == malformed.header("X-Request-ID"))
                // Another key: 403.
                let impostor = try NoteSigner(name: plant.origin, privateKey: .generate())
                let forged = try ForgedHistory(origin: plant.origin, entries: plant.pushedEntries())
                #expect(try await http.post("/fleet/v1/push", body: forged.push(old: 12, size: 20, signer: impostor).body).status == 403)
                #expect(try await f.count("SELECT count(*) FROM plant_entries") == push.entries.count)
            }
        }
    }

    @Test func aConnectionCutMidPushStoresNothingAndThePushThenResumes() async throws {
        let plant = try await TestPlant.make(entries: 300)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.serve { http in
                let push = try #require(try FleetPushBuilder.next(from: plant.ledger.store, origin: plant.origin, centralSize: 0))
                let body = push.body
                for sent in [0, 1, body.count / 3, body.count - 1] {
                    try await http.postCut("/fleet/v1/push", body: body, sending: sent)
                }
                // The server is still up and stored nothing of the cut pushes.
                #expect(try await http.get("/healthz").status == 200)
                #expect(try await f.count("SELECT count(*) FROM plant_entries") == 0)
                let ok = try await http.post("/fleet/v1/push", body: body)
                #expect(ok.status == 200)
                #expect(try await f.count("SELECT count(*) FROM plant_entries") == push.entries.count)
            }
        }
    }

    @Test func aForkOverHTTPIs422AndCountedInMetrics() async throws {
        let plant = try await TestPlant.make(entries: 10)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.pushAll(plant)
            let held = try plant.ledger.store.size()
            var forged = try ForgedHistory(origin: plant.origin, entries: plant.pushedEntries())
            try forged.edit(seq: 4, actor: "mallory")
            let fork = try forged.push(old: held, size: held, signer: plant.signer).body
            try await f.serve { http in
                let before = try await http.get("/metrics")
                #expect(before.status == 200)
                #expect(!before.text.contains("auditctl_fleet_alarms_total{"))
                let refused = try await http.post("/fleet/v1/push", body: fork)
                #expect(refused.status == 422)
                #expect(try JSONValue.parse(refused.body)["error"]?["code"]?.stringValue == "fork")
                let after = try await http.get("/metrics")
                #expect(after.text.contains("auditctl_fleet_alarms_total{") && after.text.contains("kind=\"fork\""))
                #expect(after.text.contains("auditctl_http_requests_total"))
            }
        }
    }

    @Test func theCentralLogAndItsKeysAreServed() async throws {
        let plant = try await TestPlant.make(entries: 6)
        try await FleetFixture.with { f in
            try await f.enroll(plant)
            try await f.pushAll(plant, batch: 2)
            try await f.serve { http in
                let witness = try JSONValue.parse(try await http.get("/fleet/v1/witness").body)
                let logKey = try NoteVerifierKey.parse(try #require(witness["logKey"]?.stringValue))
                let witnessKey = try CosignerKey.parse(try #require(witness["witnessKey"]?.stringValue))
                #expect(logKey == f.keys.log.verifierKey && witnessKey == f.keys.witness.key)
                let note = try await http.get("/fleet/v1/log/checkpoint")
                #expect(note.status == 200)
                let head = try NoteCheckpointVerifier(key: logKey).open(note: note.text)
                let entries = try JSONValue.parse(try await http.get("/fleet/v1/log/entries?start=0&limit=1000").body)["entries"]?.arrayValue ?? []
                #expect(entries.count == head.size)
                for (seq, entry) in entries.enumerated() {
                    let leaf = MerkleHash.leaf(entry.canonicalBytes())
                    let answer = try JSONValue.parse(try await http.get("/fleet/v1/log/proof/inclusion?seq=\(seq)&size=\(head.size)").body)
                    let proof = try #require(answer["proof"]?.arrayValue).map { Digest(bytes: Base64.decode($0.stringValue ?? "") ?? [])! }
                    try MerkleVerifier.verifyInclusion(leafHash: leaf, index: seq, size: head.size, proof: proof, root: head.root)
                }
                let older = try #require(try await f.rows("SELECT note FROM central_checkpoints WHERE size = 2").first?.decode(String.self))
                let old = try NoteCheckpointVerifier(key: logKey).open(note: older)
                let answer = try JSONValue.parse(try await http.get("/fleet/v1/log/proof/consistency?from=2&to=\(head.size)").body)
                let proof = try #require(answer["proof"]?.arrayValue).map { Digest(bytes: Base64.decode($0.stringValue ?? "") ?? [])! }
                try MerkleVerifier.verifyConsistency(oldSize: 2, newSize: head.size, oldRoot: old.root, newRoot: head.root, proof: proof)
                // Bad parameters name the field.
                let bad = try await http.get("/fleet/v1/log/proof/inclusion?seq=x&size=3")
                #expect(bad.status == 400)
                #expect(try JSONValue.parse(bad.body)["error"]?["field"]?.stringValue == "seq")
                let beyond = try await http.get("/fleet/v1/log/proof/inclusion?seq=0&size=\(head.size + 5)")
                #expect(beyond.status == 400)
                #expect(try await http.get("/fleet/v1/nothing-here").status == 404)
            }
        }
    }
}
