import AuditCore
import AuditTesting
import Foundation
import Testing

/// The release cycle through the binary, with the real ledger: an edge that keeps `--state`
/// (as Docs/edge-deployment.md says) takes the second and third approved release, an approved
/// rollback, refuses the replay of a superseded approval, and follows the ledger through a
/// refreshed bundle and a sync file — all offline, from the trust root and its state.
@Suite(.serialized) struct ReleaseCycleCLITests {
    let h: RecordsHome
    let trust: String
    let state: String

    init() throws {
        h = try RecordsHome.make(people: RecordsHome.defaultPeople + [TestCast.otto])
        trust = h.dir.file("trust-root.json")
        state = h.dir.file("edge-state")
        try h.expectOK(["trust-root", "export", "--out", trust])
    }

    func password(_ id: String) -> String { h.pw(id) }

    /// A model directory, its change proposed with the bundle digest, signed until approved,
    /// and the bundle built and signed by the approvers.
    func release(_ id: String, version: String, weights: String, type: String = "promote") throws -> String {
        let model = h.dir.file("bundles/\(id)")
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        try weights.write(toFile: model + "/model.onnx", atomically: true, encoding: .utf8)
        try h.expectOK(["change", "propose", "--id", id, "--model", "weld-defect", "--version", version, "--type", type,
                        "--reason", "release \(version)", "--bundle", model, "--target-zone", "line1-ai",
                        "--user", "alice", "--password-file", h.pw("alice")])
        let signers = type == "rollback" ? [("pat", "approved")] : [("quinn", "reviewed"), ("pat", "approved"), ("otto", "approved")]
        for (who, meaning) in signers {
            try h.expectOK(["sign", id, "--meaning", meaning, "--user", who, "--password-file", password(who)])
        }
        #expect(try h.entryKinds().last == "change.approved")
        try h.expectOK(["bundle", "create", model, "--change", id, "--user", "alice", "--password-file", h.pw("alice")])
        for (who, _) in signers {
            try h.expectOK(["bundle", "sign", model, "--user", who, "--password-file", password(who)])
        }
        return model
    }

    func deploy(_ model: String, stateDir: String? = nil) throws -> CommandResult {
        try CommandRunner.auditctl(["verify-bundle", model, "--trust-root", trust, "--zone", "line1-ai", "--state", stateDir ?? state],
                                   dataDir: h.dir.file("no-ledger-at-the-edge"))
    }

    @Test func secondAndThirdReleasesRollbackAndReplay() throws {
        let v1 = try release("chg-1", version: "1.0.0", weights: "v1")
        let r1 = try deploy(v1)
        #expect(r1.status == 0, "\(r1)")
        // model.sig is a Sigstore bundle with exactly one signature; approvers sign beside it.
        let sig = try JSONValue.parse(String(contentsOfFile: v1 + "/model.sig", encoding: .utf8))
        #expect(sig["dsseEnvelope"]?["signatures"]?.arrayValue?.count == 1)
        let approvers = try JSONValue.parse(String(contentsOfFile: v1 + "/model.approvers.dsse.json", encoding: .utf8))
        #expect(approvers["signatures"]?.arrayValue?.count == 3)

        let v2 = try release("chg-2", version: "1.1.0", weights: "v2")
        let r2 = try deploy(v2)
        #expect(r2.status == 0, "the second approved release loads at an edge that keeps --state: \(r2)")
        let v3 = try release("chg-3", version: "2.0.0", weights: "v3")
        #expect(try deploy(v3).status == 0)

        let replay = try deploy(v1)
        #expect(replay.status == 29, "\(replay)")
        #expect(replay.stdout.contains("superseded"))
        #expect(replay.stdout.contains("hint: an earlier version loads only through a newly approved rollback change"))

        let back = try release("chg-4", version: "1.1.0", weights: "v2", type: "rollback")
        let rolled = try deploy(back)
        #expect(rolled.status == 0, "an approved rollback loads: \(rolled)")
        #expect(try deploy(v3).status == 29, "the rolled-back release cannot come back without a new approval")
        #expect(try h.run(["verify"]).status == 0)
    }

    /// A bundle from an earlier auditctl kept the approvers as extra signatures in model.sig:
    /// verify-bundle refuses it as not a conformant Sigstore bundle, and `bundle refresh` moves
    /// those signatures, unchanged, into model.approvers.dsse.json.
    @Test func refreshSplitsALegacyMultiSignatureModelSig() throws {
        let v1 = try release("chg-1", version: "1.0.0", weights: "v1")
        var sig = try JSONValue.parse(String(contentsOfFile: v1 + "/model.sig", encoding: .utf8))
        let approvers = try JSONValue.parse(String(contentsOfFile: v1 + "/model.approvers.dsse.json", encoding: .utf8))
        guard case .object(var top) = sig, case .object(var envelope)? = top["dsseEnvelope"] else { Issue.record("shape"); return }
        envelope["signatures"] = .array((envelope["signatures"]?.arrayValue ?? []) + (approvers["signatures"]?.arrayValue ?? []))
        top["dsseEnvelope"] = .object(envelope)
        sig = .object(top)
        try sig.prettyString().write(toFile: v1 + "/model.sig", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: v1 + "/model.approvers.dsse.json")

        let legacy = try deploy(v1)
        #expect(legacy.status == 20, "\(legacy)")
        #expect(legacy.stdout.contains("4 signatures; model.sig carries exactly one"))
        let refreshed = try h.run(["bundle", "refresh", v1])
        #expect(refreshed.status == 0 && refreshed.stdout.contains("moved 3 approver signature(s)"), "\(refreshed)")
        #expect(try deploy(v1).status == 0)
    }

    @Test func refreshAndSyncFilesCarryCheckpointsToTheEdge() throws {
        let v1 = try release("chg-1", version: "1.0.0", weights: "v1")
        let sigBefore = try Data(contentsOf: URL(fileURLWithPath: v1 + "/model.sig"))
        for n in 0..<3 { try h.propose("chg-x\(n)") }  // the ledger moves on

        // The edge is commissioned from a sync file carrying only the newest checkpoint.
        let sync = h.dir.file("sync.json")
        let written = try h.run(["edge", "sync-file", "--out", sync, "--json"])
        #expect(written.status == 0, "\(written)")
        var bare = try JSONValue.parse(String(contentsOfFile: sync, encoding: .utf8))
        bare = .object((bare.objectValue ?? [:]).merging(["consistency": .array([])]) { _, n in n })
        let bareFile = h.dir.file("bare-sync.json")
        try bare.prettyString().write(toFile: bareFile, atomically: true, encoding: .utf8)
        let synced = try CommandRunner.auditctl(["edge", "sync", "--state", state, "--file", bareFile, "--trust-root", trust])
        #expect(synced.status == 0, "\(synced)")
        #expect(synced.stdout.contains("edge state at checkpoint size"))

        // v1's bundle, built before that checkpoint, cannot be related until refreshed.
        let stale = try deploy(v1)
        #expect(stale.status == 27, "\(stale)")
        #expect(stale.stdout.contains("hint: if this edge is only behind or ahead of the bundle"))
        let refreshed = try h.run(["bundle", "refresh", v1])
        #expect(refreshed.status == 0, "\(refreshed)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: v1 + "/model.sig")) == sigBefore, "signed payload untouched")
        #expect(try deploy(v1).status == 0)

        // A newer sync file moves the edge forward; the full one again is harmless.
        try h.propose("chg-y")
        #expect(try h.run(["edge", "sync-file", "--out", sync]).status == 0)
        let again = try CommandRunner.auditctl(["edge", "sync", "--state", state, "--file", sync, "--trust-root", trust, "--json"])
        #expect(again.status == 0, "\(again)")
        let outcome = try JSONValue.parse(again.stdout)
        #expect((outcome["after"]?.doubleValue ?? 0) > (outcome["before"]?.doubleValue ?? .infinity))

        // A sync file whose proof was altered is refused and the state stays.
        let stateBefore = try String(contentsOfFile: state + "/state.json", encoding: .utf8)
        try h.propose("chg-z")
        #expect(try h.run(["edge", "sync-file", "--out", sync]).status == 0)
        var text = try String(contentsOfFile: sync, encoding: .utf8)
        let root = try #require(text.range(of: #""fromRoot" : "sha256:"#) ?? text.range(of: #""fromRoot": "sha256:"#))
        let at = text.index(root.upperBound, offsetBy: 3)
        text.replaceSubrange(at...at, with: text[at] == "0" ? "1" : "0")
        try text.write(toFile: sync, atomically: true, encoding: .utf8)
        let forged = try CommandRunner.auditctl(["edge", "sync", "--state", state, "--file", sync, "--trust-root", trust])
        expectFailure(forged, code: 1, contains: "sync.json")
        #expect(try String(contentsOfFile: state + "/state.json", encoding: .utf8) == stateBefore)
    }
}
