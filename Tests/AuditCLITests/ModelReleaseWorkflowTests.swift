import AuditCore
import AuditTesting
import Foundation
import Testing

/// The whole path a model takes, through the binary: propose with the bundle's digest, three
/// role-bound e-signatures, approval, trust-root export, bundle create + approver signatures,
/// offline verify-bundle at the edge with zone admission, decision signed by the enrolled
/// edge and recorded in the ledger.
@Suite(.serialized) struct ModelReleaseWorkflowTests {
    static let topology = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/examples/compliant-plant.yaml").standardized.path

    /// RecordsHome plus an OT security engineer, a model directory and an approved promotion.
    func approvedRelease() throws -> (RecordsHome, String) {
        let h = try RecordsHome.make(people: RecordsHome.defaultPeople + [TestCast.otto])
        let model = h.dir.file("model")
        try FileManager.default.createDirectory(atPath: model + "/weights", withIntermediateDirectories: true)
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: URL(fileURLWithPath: model + "/weights/model.onnx"))
        try #"{"threshold":0.42}"#.write(toFile: model + "/config.json", atomically: true, encoding: .utf8)

        try h.expectOK(["change", "propose", "--id", "chg-7", "--model", "weld-defect", "--version", "2.4.0", "--type", "promote",
                        "--reason", "recall 0.97 -> 0.98", "--bundle", model, "--target-zone", "line1-ai",
                        "--user", "alice", "--password-file", h.pw("alice")])
        for (id, meaning) in [("quinn", "reviewed"), ("pat", "approved"), ("otto", "approved")] {
            try h.expectOK(["sign", "chg-7", "--meaning", meaning, "--user", id, "--password-file", h.pw(id)])
        }
        #expect(try h.entryKinds().last == "change.approved")
        return (h, model)
    }

    @Test func approvedModelMayLoadAndTamperingIsBlocked() throws {
        let (h, model) = try approvedRelease()
        let trust = h.dir.file("trust-root.json")
        try h.expectOK(["trust-root", "export", "--out", trust])
        try h.expectOK(["bundle", "create", model, "--change", "chg-7", "--user", "alice", "--password-file", h.pw("alice")])
        for id in ["quinn", "pat", "otto"] {
            try h.expectOK(["bundle", "sign", model, "--user", id, "--password-file", h.pw(id)])
        }
        let state = h.dir.file("edge-state")
        try h.enrollEdge("edge-ipc-1", state: state)
        let ok = try h.run(["verify-bundle", model, "--trust-root", trust, "--zone", "line1-ai", "--topology", Self.topology,
                            "--state", state, "--record", "--edge-key-password-file", h.edgePassword])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("verdict: may load"))
        #expect(try h.entryKinds().last == "deployment.verified")

        // One byte changed in the weights: blocked with the file check's own code, recorded.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: model + "/weights/model.onnx")))
        bytes[1000] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: model + "/weights/model.onnx"))
        let bad = try h.run(["verify-bundle", model, "--trust-root", trust, "--zone", "line1-ai", "--state", state, "--record",
                             "--edge-key-password-file", h.edgePassword])
        #expect(bad.status == 21, "\(bad)")
        #expect(try h.entryKinds().last == "deployment.blocked")
        let v = try h.run(["verify"])
        #expect(v.status == 0, "\(v)")
    }

    @Test func bundleCreateRefusesOtherFilesAndUnapprovedChanges() throws {
        let (h, model) = try approvedRelease()
        try "extra".write(toFile: model + "/notes.txt", atomically: true, encoding: .utf8)
        let r = try h.run(["bundle", "create", model, "--change", "chg-7", "--user", "alice", "--password-file", h.pw("alice")])
        expectFailure(r, code: 6, contains: "differs from the approved")
        #expect(!FileManager.default.fileExists(atPath: model + "/model.sig"))
        try FileManager.default.removeItem(atPath: model + "/notes.txt")
        try h.propose("chg-8")
        let pending = try h.run(["bundle", "create", model, "--change", "chg-8", "--user", "alice", "--password-file", h.pw("alice")])
        expectFailure(pending, code: 6, contains: "not approved")
    }

    @Test func offlineDecisionsAreUploadedLater() throws {
        let (h, model) = try approvedRelease()
        let trust = h.dir.file("trust-root.json")
        try h.expectOK(["trust-root", "export", "--out", trust])
        try h.expectOK(["bundle", "create", model, "--change", "chg-7", "--user", "alice", "--password-file", h.pw("alice")])
        let state = h.dir.file("edge-state")
        try h.enrollEdge("edge-ipc-1", state: state)
        // No ledger reachable from the edge: the signed decision stays in the state directory.
        let r = try CommandRunner.auditctl(["verify-bundle", model, "--trust-root", trust, "--state", state, "--any-zone", "--record",
                                            "--edge-key-password-file", h.edgePassword],
                                           dataDir: h.dir.file("no-ledger-here"), environment: h.env)
        #expect(r.status == 24, "approver signatures are missing (no model.approvers.dsse.json): \(r)")
        #expect(r.stderr.contains("kept in --state"), "\(r)")
        let before = try h.entryKinds().count
        try h.expectOK(["edge", "upload", "--state", state])
        #expect(try h.entryKinds().count == before + 1)
        #expect(try h.entryKinds().last == "deployment.blocked")
        #expect(try h.run(["edge", "upload", "--state", state]).stdout.contains("uploaded 0"))
        let v = try h.run(["verify"])
        #expect(v.status == 0, "\(v)")
    }
}
