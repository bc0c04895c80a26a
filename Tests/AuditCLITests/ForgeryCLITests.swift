import AuditBundle
import AuditCore
import AuditCrypto
import AuditLedger
import AuditRecords
import AuditTesting
import Foundation
import Testing

/// Issue 8 through the binary. A plant ledger with an approved, bundled change is forged at
/// the raw level (the attacker holds the files and the log key: chain and checkpoints stay
/// intact). For every forgery path: `auditctl verify` exits 1 (verification failed,
/// Docs/exit-codes.md) with a `record-invalid` problem naming the forged seq; every command
/// that acts on the records state (`user show`, `change show`, `trust-root export`,
/// `bundle create`, `sign`, `policy waive`, `policy check`) refuses with the needs-attention
/// error (exit 1) and writes nothing, so no forged waiver counts; and once an admin has
/// acknowledged the entries, users, changes, the trust root and the checks read exactly as
/// before the forgery.
@Suite struct ForgeryCLITests {
    static let unsafe = PolicyCheckTests.example("noncompliant-ai-writes-safety")
    static let finding = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"

    /// alice, quinn, pat, otto; chg-1 (promote, with the model's bundle digest) approved by
    /// quinn, pat and otto; chg-2 (register) pending; the trust root exported.
    struct Plant {
        let h: TestRecordsHome
        var model: String { h.dir.file("model") }
        var trust: String { h.dir.file("trust-root.json") }

        static func make() throws -> Plant {
            let h = try TestRecordsHome.make(people: TestRecordsHome.defaultPeople + [TestCast.otto])
            let p = Plant(h: h)
            try writeModel(p.model, seed: 7)
            try h.must(["change", "propose", "--id", "chg-1", "--model", "weld-defect", "--version", "2.4.0", "--type", "promote",
                        "--reason", "recall 0.97 -> 0.98", "--bundle", p.model, "--target-zone", "line1-ai",
                        "--user", "alice", "--password-file", h.pw("alice")])
            for (id, meaning) in [("quinn", "reviewed"), ("pat", "approved"), ("otto", "approved")] {
                try h.must(["sign", "chg-1", "--meaning", meaning, "--user", id, "--password-file", h.pw(id)])
            }
            try h.propose("chg-2")
            try h.must(["trust-root", "export", "--out", p.trust])
            return p
        }

        static func writeModel(_ dir: String, seed: Int) throws {
            try FileManager.default.createDirectory(atPath: dir + "/weights", withIntermediateDirectories: true)
            try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* seed) }).write(to: URL(fileURLWithPath: dir + "/weights/model.onnx"))
            try #"{"threshold":0.42}"#.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        }

        /// What commands show of the records state, to compare before and after.
        func snapshot() throws -> [String] {
            [try h.must(["user", "list", "--json"]).stdout, try h.must(["change", "show", "chg-1", "--json"]).stdout,
             try h.must(["change", "show", "chg-2", "--json"]).stdout, try String(contentsOfFile: trust, encoding: .utf8)]
        }
    }

    enum Path: String, CaseIterable, Sendable {
        case adminRoleByNobody, handWrittenApproval, policyByNonAdmin, keyAndPasswordOfAnotherUser,
             revokeUnlockDeactivateByNonAdmins, lockWithoutTheLogKey, waiverAfterAForgedRole
    }

    /// Appends the path's forged entries; returns them with the reason the replay gives for the first.
    static func forge(_ path: Path, _ h: TestRecordsHome) async throws -> ([Entry], String) {
        switch path {
        case .adminRoleByNobody:
            let grant = try await h.forge(EntryKind.roleGranted, actor: "nobody", subject: "alice", payload: ForgedPayload.role("admin"))
            let puppet = try await h.forge(EntryKind.userAdded, actor: "alice", subject: "puppet",
                                           payload: ForgedPayload.userAdded(name: "Puppet", roles: ["qa-reviewer"]),
                                           signedBy: .key(try h.privateKey(of: "alice")))
            return ([grant, puppet], "carries no authority signature: anyone could have appended it")
        case .handWrittenApproval:
            let change = try #require(h.replayed().changes["chg-2"])
            let approval = try await h.forge(EntryKind.changeApproved, actor: "auditctl", subject: "chg-2",
                                             payload: ForgedPayload.approval(of: change, policy: try #require(h.replayed().policyDigest), signers: []))
            return ([approval], "does not directly follow a valid signature on 'chg-2' that could have decided it")
        case .policyByNonAdmin:
            let lax = try TestCast.approvalPolicyText(security: ["identityConfirmations": "0"])
            let policy = try await h.forge(EntryKind.policyUpdated, actor: "quinn", subject: "approval-policy",
                                           payload: try ForgedPayload.policy(lax, previous: h.replayed().policyDigest),
                                           signedBy: .key(try h.privateKey(of: "quinn")))
            return ([policy], "'quinn' did not hold the admin role in force at this seq")
        case .keyAndPasswordOfAnotherUser:
            let attacker = Ed25519PrivateKey.generate()
            let key = try await h.forge(EntryKind.keyRegistered, actor: "quinn", subject: "quinn",
                                        payload: ForgedPayload.keyRegistered(attacker.publicKey), signedBy: .key(attacker))
            let password = try await h.forge(EntryKind.credentialChanged, actor: "quinn", subject: "quinn",
                                             payload: ForgedPayload.credentialChanged(), signedBy: .key(attacker))
            return ([key, password], "in force: a new key is registered under its signature")
        case .revokeUnlockDeactivateByNonAdmins:
            let otto = try #require(h.replayed().users["otto"]?.activeKey?.keyID)
            let revoke = try await h.forge(EntryKind.keyRevoked, actor: "alice", subject: "otto", payload: ForgedPayload.keyRevoked(otto),
                                           signedBy: .key(try h.privateKey(of: "alice")))
            let deactivate = try await h.forge(EntryKind.userDeactivated, actor: "nobody", subject: "pat", payload: ForgedPayload.reason())
            let unlock = try await h.forge(EntryKind.accountUnlocked, actor: "pat", subject: "quinn", payload: ForgedPayload.reason(),
                                           signedBy: .key(try h.privateKey(of: "pat")))
            return ([revoke, deactivate, unlock], "'alice' did not hold the admin role in force at this seq")
        case .lockWithoutTheLogKey:
            let lock = try await h.forge(EntryKind.accountLocked, actor: "auditctl", subject: "quinn",
                                         payload: ["consecutiveFailures": 5, "threshold": 5],
                                         signedBy: .key(try h.privateKey(of: "bob")))
            return ([lock], "not signed by the log key: only auditctl itself writes this kind")
        case .waiverAfterAForgedRole:
            let enrolled = try #require(h.replayed().users["quinn"]).addedSeq
            let adaSignature = try h.openStore().entry(seq: enrolled).authoritySignatures
            let grant = try await h.forge(EntryKind.roleGranted, actor: "ada", subject: "quinn", payload: ForgedPayload.role("ot-security"),
                                          signedBy: .copied(adaSignature))
            let quinn = try h.privateKey(of: "quinn")
            let waiver = try await h.forge(EntryKind.waiverGranted, actor: "quinn", subject: finding,
                                           payload: ForgedPayload.waiver(finding: finding, by: "quinn", name: "Quinn QA", key: quinn,
                                                                         roles: ["ot-security", "qa-reviewer"]),
                                           signedBy: .key(quinn))
            return ([grant, waiver], "authority signature does not verify under key")
        }
    }

    @Test(arguments: Path.allCases)
    func aForgedEntryIsRecordInvalidAndNothingActsOnIt(_ path: Path) async throws {
        let plant = try Plant.make()
        let h = plant.h
        let before = try plant.snapshot()
        #expect(try h.run(["policy", "check", "--topology", Self.unsafe]).status == 7)
        #expect(try h.run(["verify"]).status == 0)

        let (forged, reason) = try await Self.forge(path, h)
        let first = try #require(forged.first)
        let size = try h.size()

        // verify: exit 1, record-invalid naming every forged seq, the first one on stderr.
        let (v, report) = try h.verifyReport()
        #expect(v.status == 1, "\(v)")
        let problems = report["problems"]?.arrayValue ?? []
        #expect(problems.compactMap { $0["seq"]?.int64Value.map(Int.init) } == forged.map(\.seq), "\(report)")
        #expect(problems.allSatisfy { $0["kind"] == "record-invalid" })
        #expect(report["firstBadSeq"] == .number(Double(first.seq)))
        #expect(problems.first?["message"]?.stringValue?.hasPrefix("\(first.kind): ") == true)
        #expect(problems.first?["message"]?.stringValue?.contains(reason) == true, "\(report)")
        #expect(v.stderr.contains("error: ledger verification failed: seq \(first.seq): \(first.kind): "), "\(v.stderr)")

        // Commands acting on the records state refuse, and write nothing.
        let attention = "the ledger needs attention: \(forged.count) entr\(forged.count == 1 ? "y does" : "ies do") not hold when replayed, first seq \(first.seq) (\(first.kind))"
        let bundleDir = h.dir.file("bundle-copy")
        try FileManager.default.copyItem(atPath: plant.model, toPath: bundleDir)
        for args in [["user", "show", "alice"], ["user", "list"], ["change", "show", "chg-1"], ["trust-root", "export"],
                     ["bundle", "create", bundleDir, "--change", "chg-1", "--user", "alice", "--password-file", h.pw("alice")],
                     ["sign", "chg-2", "--meaning", "reviewed", "--user", "quinn", "--password-file", h.pw("quinn")],
                     ["policy", "waive", "--finding", Self.finding, "--reason", "interim", "--expires", WaiverCLITests.expiry(days: 5),
                      "--user", "otto", "--password-file", h.pw("otto")],
                     ["user", "confirm", "alice", "--admin", "bob", "--admin-password-file", h.pw("bob"), "--reason", "x"]] {
            expectFailure(try h.run(args), code: 1, contains: attention)
        }
        // policy check reads its waivers through the same checked state: it refuses too, so
        // no forged waiver can make the unsafe plant pass.
        expectFailure(try h.run(["policy", "check", "--topology", Self.unsafe]), code: 1, contains: attention)
        #expect(!FileManager.default.fileExists(atPath: bundleDir + "/model.sig"))
        #expect(try h.size() == size)

        // After an admin investigates and acknowledges them, everything reads as before.
        try h.must(["acknowledge", "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "INC-42: forged entries"])
        let after = try plant.snapshot()
        for (i, (a, b)) in zip(after, before).enumerated() { #expect(a == b, "snapshot \(i) differs:\n\(b)\n---\n\(a)") }
        #expect(try h.run(["policy", "check", "--topology", Self.unsafe]).status == 7)
        expectFailure(try h.run(["user", "show", "puppet"]), code: 4, contains: "no user 'puppet'")
        try h.must(["sign", "chg-2", "--meaning", "reviewed", "--user", "quinn", "--password-file", h.pw("quinn")])
        #expect(try h.entryKinds().suffix(2) == ["signature.added", "change.approved"])
        try h.must(["bundle", "create", bundleDir, "--change", "chg-1", "--user", "alice", "--password-file", h.pw("alice")])
    }

    /// ada alone enrolls puppets and rotates their keys; the attacker forges their signatures
    /// and the approval, and builds the bundle by hand with the puppets' keys and a genuine
    /// inclusion proof under the genuine log key. The edge refuses it.
    @Test func aBundleBuiltOnForgedAuthorityIsRefusedByTheEdge() async throws {
        let plant = try Plant.make()
        let h = plant.h
        let puppets = [TestCast.Person("p-qa", "Puppet QA", ["qa-reviewer"]), TestCast.Person("p-po", "Puppet Process", ["process-owner"]),
                       TestCast.Person("p-ot", "Puppet Security", ["ot-security"])]
        for p in puppets {
            try h.enroll(p, confirmer: nil)
            expectFailure(try h.run(["user", "confirm", p.id, "--admin", "ada", "--admin-password-file", h.pw("ada"), "--reason", "trust me"]),
                          code: 6, contains: "'ada' enrolled '\(p.id)' and knew the one-time password; another admin must confirm")
        }
        let model = h.dir.file("model-9")
        try Plant.writeModel(model, seed: 9)
        try h.must(["change", "propose", "--id", "chg-9", "--model", "weld-defect", "--version", "9.9.9", "--type", "promote",
                    "--reason", "nobody checked", "--bundle", model, "--target-zone", "line1-ai", "--user", "alice", "--password-file", h.pw("alice")])
        // The puppets cannot sign through the binary: their roles (and keys) wait for a second admin.
        expectFailure(try h.run(["sign", "chg-9", "--meaning", "approved", "--user", "p-qa", "--password-file", h.pw("p-qa")]),
                      code: 6, contains: "p-qa cannot sign 'chg-9' as 'approved'")

        // Raw: their signatures and the approval, appended with the log key (checkpoint signed).
        let change = try #require(h.replayed().changes["chg-9"])
        var keys: [Ed25519PrivateKey] = []
        var signatures: [Entry] = []
        for p in puppets {
            let key = try h.privateKey(of: p.id)
            keys.append(key)
            signatures.append(try await h.forge(EntryKind.signatureAdded, actor: p.id, subject: "chg-9",
                                                payload: ForgedPayload.signature(changeDigest: change.current.digest, signer: p.id, name: p.name,
                                                                                 meaning: .approved, key: key, roles: p.roles),
                                                signedBy: .key(key)))
        }
        let approval = try await h.forge(EntryKind.changeApproved, actor: "auditctl", subject: "chg-9",
                                         payload: ForgedPayload.approval(of: change, policy: try #require(h.replayed().policyDigest),
                                                                         signers: zip(puppets, signatures).map { ($0.roles[0], $0.id, $1.seq) }))
        let (v, report) = try h.verifyReport()
        #expect(v.status == 1)
        #expect(report["firstBadSeq"] == .number(Double(signatures[0].seq)))
        #expect(report["problems"]?.arrayValue?.compactMap { $0["seq"]?.int64Value.map(Int.init) } == signatures.map(\.seq) + [approval.seq])
        #expect(report["problems"]?[0]?["message"]?.stringValue?.contains("which was awaiting confirmation at this seq") == true, "\(report)")
        expectFailure(try h.run(["bundle", "create", model, "--change", "chg-9", "--user", "alice", "--password-file", h.pw("alice")]),
                      code: 1, contains: "the ledger needs attention: 4 entries do not hold when replayed")
        expectFailure(try h.run(["trust-root", "export"]), code: 1, contains: "the ledger needs attention")

        // The attacker builds the bundle by hand: puppets' signatures over the statement, the
        // forged approval's genuine inclusion proof under a checkpoint signed by the log key.
        let store = try h.openStore()
        let checkpoint = try #require(try store.latestCheckpoint())
        #expect(checkpoint.size > approval.seq)
        let proof = ApprovalProof(entry: try store.entry(seq: approval.seq), treeSize: checkpoint.size,
                                  inclusionPath: try store.inclusionProof(seq: approval.seq, size: checkpoint.size).path,
                                  checkpoint: checkpoint.note)
        let release = ReleaseInfo(changeID: "chg-9", modelName: "weld-defect", modelVersion: "9.9.9", zones: ["line1-ai"])
        let statement = try BundleSigner.makeStatement(directory: model, release: release)
        #expect(statement.subjectDigest == change.current.content.artifactDigest)
        // model.sig by a puppet as producer, the puppets as approvers beside it.
        let signatureFile = try BundleSigner.sign(statement, producer: .ed25519(keys[0]))
        try signatureFile.write(path: model + "/" + BundleLayout.signatureFileName)
        try ApproverSignatures.write(BundleSigner.approve(signatureFile, existing: nil, keys: keys),
                                     path: model + "/" + BundleLayout.approverSignaturesFileName)
        try proof.write(path: model + "/" + BundleLayout.approvalProofFileName)
        // A trust root the attacker derives from the replayed state lists no puppet key either.
        let derived = try LedgerBundleSources.trustRoot(store: store, state: h.replayed())
        #expect(!derived.signers.contains { $0.id.hasPrefix("p-") })
        let derivedPath = h.dir.file("derived-trust.json")
        try Data(derived.encoded).write(to: URL(fileURLWithPath: derivedPath))

        for trust in [plant.trust, derivedPath] {
            let r = try h.run(["verify-bundle", model, "--trust-root", trust, "--zone", "line1-ai", "--no-state", "--json"])
            #expect(r.status == 24, "\(r)")
            let result = try JSONValue.parse(r.stdout)
            #expect(result["verdict"] == "blocked")
            let checks = result["checks"]?.arrayValue ?? []
            let signatureCheck = try #require(checks.first { $0["code"] == "signatures" })
            #expect(signatureCheck["status"] == "failed")
            let findings = signatureCheck["findings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(findings.first?.contains("no trusted key verifies it (unknown producer)") == true, "\(signatureCheck)")
            #expect(findings.filter { $0.contains("no trusted key verifies it (unknown signer)") }.count == 3, "\(signatureCheck)")
            // The proof itself holds: the log key is genuine. Authority is what the edge refuses.
            #expect(checks.first { $0["code"] == "approval.proof" }?["status"] == "passed")
        }
    }

    /// One admin alone, through the binary: ada enrolls an author and three approvers and
    /// replaces their one-time passwords herself; her confirmations are refused and nobody can
    /// propose or sign. With bob confirming, the same people get the change approved.
    @Test func oneAdminAloneCannotButTwoAdminsCan() throws {
        let h = try TestRecordsHome.make(people: [])
        let people = [TestCast.Person("p-author", "Puppet Author", ["author"]), TestCast.Person("p-qa", "Puppet QA", ["qa-reviewer"]),
                      TestCast.Person("p-po", "Puppet Process", ["process-owner"]), TestCast.Person("p-ot", "Puppet Security", ["ot-security"])]
        var keys: [String: String] = [:]
        for p in people {
            keys[p.id] = try h.enroll(p, confirmer: nil)
            expectFailure(try h.run(["user", "confirm", p.id, "--key", try #require(keys[p.id]), "--admin", "ada",
                                     "--admin-password-file", h.pw("ada"), "--reason", "trust me"]),
                          code: 6, contains: "'ada' enrolled '\(p.id)' and knew the one-time password; another admin must confirm")
        }
        let size = try h.size()
        expectFailure(try h.run(["change", "propose", "--id", "chg-1", "--model", "vision-qc", "--version", "2.0", "--type", "promote",
                                 "--reason", "r", "--user", "p-author", "--password-file", h.pw("p-author")]),
                      code: 6, contains: "'p-author' does not hold the 'author' role in force")
        let shown = try JSONValue.parse(h.run(["user", "show", "p-qa", "--json"]).stdout)
        #expect(shown["roles"] == .array([]), "\(shown)")
        #expect(try h.size() == size)
        #expect(try h.run(["verify"]).status == 0)

        for p in people {
            try h.must(["user", "confirm", p.id, "--key", try #require(keys[p.id]), "--admin", "bob", "--admin-password-file", h.pw("bob"),
                        "--reason", "badge checked"])
        }
        try h.must(["change", "propose", "--id", "chg-1", "--model", "vision-qc", "--version", "2.0", "--type", "promote",
                    "--reason", "r", "--user", "p-author", "--password-file", h.pw("p-author")])
        for id in ["p-qa", "p-po", "p-ot"] {
            try h.must(["sign", "chg-1", "--meaning", "approved", "--user", id, "--password-file", h.pw(id)])
        }
        #expect(try h.entryKinds().last == "change.approved")
        let change = try JSONValue.parse(h.run(["change", "show", "chg-1", "--json"]).stdout)
        #expect(change["status"]?["state"] == "approved")
        let v = try h.run(["verify"])
        #expect(v.status == 0, "\(v)")
    }
}
