import AuditBundle
import AuditCore
import AuditRecords
import AuditTesting
import Foundation

/// One benchmark plant's ledger, as a plant writes it: people, policy and an enrolled edge;
/// changes to several models proposed and e-signed through the records service (two in
/// three approved by three roles and loaded by the edge in a zone, the rest waiting for
/// signatures); and between them operator notes, a tenth of them about a change, up to the
/// plant's size. The fleet queries read exactly these records back.
enum PlantRecordsMaker {
    static let models = ["weld-defect", "vision-qc", "paint-gloss", "torque-anomaly", "seal-leak", "label-ocr"]
    static let noteBatch = 1_000

    static func make(index: Int, origin: String, entries: Int, changes: Int) async throws -> TestRecords {
        let plant = try await TestRecords.make(origin: origin)
        let edge = try await enrollEdge(plant)
        var ids: [String] = []
        let notesPerChange = max(0, entries - changes * 7 - (try plant.store.size())) / max(1, changes)
        for c in 0..<changes {
            let model = models[(index + c) % models.count]
            let id = "\(model)-\(index)-\(c)", version = "\(c / models.count + 1).\(c % 10)"
            ids.append(id)
            _ = try await plant.service.propose(ChangeProposal(changeID: id, changeType: .promote, model: model, modelVersion: version,
                                                               reason: "retrained on line \(c % 3 + 1) images of week \(c)"),
                                                by: TestRecords.creds("alice"))
            try await plant.sign(id, "quinn", .approved)
            if c % 3 != 2 {
                try await plant.sign(id, "pat", .responsibility)
                try await plant.sign(id, "otto", .approved)
                try await deploy(plant, edge: edge, change: id, model: model, version: version, zone: "line\(c % 3 + 1)-ai")
            }
            try await appendNotes(plant, count: notesPerChange, about: ids, start: c * notesPerChange)
        }
        let size = try plant.store.size()
        if size < entries { try await appendNotes(plant, count: entries - size, about: ids, start: changes * notesPerChange) }
        return plant
    }

    /// Shift notes, in atomic batches (one signed checkpoint each); every tenth is about a change.
    static func appendNotes(_ plant: TestRecords, count: Int, about ids: [String], start: Int) async throws {
        var done = 0
        while done < count {
            let n = min(noteBatch, count - done)
            try await plant.store.append((0..<n).map { i in
                let k = start + done + i
                let subject = k % 10 == 0 && !ids.isEmpty ? ids[k / 10 % ids.count] : "shift-\(k / 40)"
                return EntryDraft(kind: EntryKind.noteAdded, actor: "line-operator-\(k % 7)", subject: subject, payload: [
                    "text": .string("shift \(k / 40): inspected \(k % 400) parts, reject rate \(Double(k % 17) / 10) %"),
                    "n": .number(Double(k)),
                ])
            })
            done += n
        }
    }

    struct Edge {
        let signer: EdgeSigner
    }

    /// An edge IPC enrolled by ada and confirmed by bob, whose decisions the plant uploads.
    static func enrollEdge(_ plant: TestRecords) async throws -> Edge {
        let state = EdgeStateStore(directory: plant.directory.file("edge"))
        try FileManager.default.createDirectory(atPath: state.directory, withIntermediateDirectories: true)
        let identity = try EdgeIdentity.create(id: "edge-01", password: "edge-key-password", store: state, parameters: .testing)
        try await plant.service.addEdge(id: "edge-01", printedName: "Line IPC", publicKey: identity.publicKey, reason: "line PC",
                                        by: plant.admin)
        try await plant.service.confirmIdentity(of: "edge-01", keyID: identity.publicKey.keyID.prefixed, evidence: "serial checked",
                                                by: plant.secondAdmin)
        return Edge(signer: try identity.signer(password: "edge-key-password", store: state))
    }

    static func deploy(_ plant: TestRecords, edge: Edge, change: String, model: String, version: String, zone: String) async throws {
        let decision = try edge.signer.sign(["kind": .string(EntryKind.deploymentVerified), "time": .string(UTCTime.now()),
                                             "subject": .string(change),
                                             "payload": ["verdict": "may-load", "bundle": .string("/models/\(change).bundle"),
                                                         "zone": .string(zone), "model": .string(model), "version": .string(version),
                                                         "changeId": .string(change)]])
        _ = try await plant.service.recordDeployments([decision], source: "edge-01 decisions.jsonl")
    }
}
