import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
@testable import AuditRecords
import Foundation
import Testing

/// A self-contained ledger for hostile-insider probes (independent of the shared fixtures):
/// founders ada and bob, the default policy recorded by ada and confirmed by bob.
struct RedTeamLedger {
    static let policyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path
    let directory: String
    let store: LedgerStore
    let service: RecordsService
    let policy: ApprovalPolicy
    let policyBytes: [UInt8]

    static func password(_ id: String) -> String { "\(id)-password-1" }
    static func creds(_ id: String, _ password: String? = nil) -> Credentials {
        Credentials(userID: id, password: password ?? Self.password(id))
    }
    var ada: Credentials { Self.creds("ada") }
    var bob: Credentials { Self.creds("bob") }

    static func make() async throws -> RedTeamLedger {
        let directory = NSTemporaryDirectory() + "redteam-" + UUID().uuidString
        let store = try await Genesis.create(
            home: LedgerHome(directory: directory), origin: "redteam.example/log",
            protection: .sealed(password: "log-key-password-1", parameters: .testing),
            founders: [Genesis.Founder(id: "ada", printedName: "Ada Admin", password: password("ada")),
                       Genesis.Founder(id: "bob", printedName: "Bob Admin", password: password("bob"))],
            configuration: .testing)
        let service = RecordsService(store: store, directory: directory, configuration: .testing)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: policyPath)))
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "approval.yaml")
        let l = RedTeamLedger(directory: directory, store: store, service: service, policy: policy, policyBytes: bytes)
        try await service.recordPolicy(policy, bytes: bytes, reason: "initial policy", by: l.ada)
        try await service.confirmPolicy(reason: "reviewed", by: l.bob)
        return l
    }

    /// ada enrolls, the person rotates, bob confirms.
    @discardableResult
    func enroll(_ id: String, roles: [String], by enroller: Credentials? = nil, confirmer: Credentials? = nil) async throws -> KeyRecord {
        try await service.addUser(NewUser(id: id, printedName: "\(id.capitalized) Person", roles: roles, initialPassword: "one-time-\(id)-pw"),
                                  reason: "new hire", knownRoles: Set(policy.roles), by: enroller ?? ada)
        let key = try await service.rotateKey(Self.creds(id, "one-time-\(id)-pw"), newPassword: Self.password(id), reason: "first login")
        try await service.confirmIdentity(of: id, keyID: String(key.keyID.hex.prefix(16)), evidence: "badge checked",
                                          by: confirmer ?? bob)
        return key
    }

    /// The unsealed active key of `id` (what the person, and only they, can open).
    func privateKey(of id: String) throws -> Ed25519PrivateKey {
        let user = try #require(replay().users[id])
        let key = try #require(user.activeKey)
        let (bytes, path) = try service.files.sealedKey(user: id, keyID: key.keyID)
        return try SealedKey.open(bytes, password: Self.password(id), source: path)
    }

    func replay() throws -> RecordsState { RecordsState.fold(try store.entries()) }

    /// A `key.registered` for `owner` that a fresh key signs itself (no password needed).
    func forgeKeyRegistration(for owner: String, key: Ed25519PrivateKey = .generate()) async throws -> (Entry, Ed25519PrivateKey) {
        let e = try await store.append([EntryDraft(kind: EntryKind.keyRegistered, actor: owner, subject: owner, payload: [
            "keyId": .string(key.publicKey.keyID.prefixed), "publicKey": .string(key.publicKey.base64),
            "algorithm": "ed25519", "reason": "rotation",
        ], authority: KeyAuthority(key))])[0]
        return (e, key)
    }
}

@Suite("Red team: authority")
struct RedTeamTests {
    /// An insider with the file (or anyone who can append) registers a key "for" an admin,
    /// signed by that key itself. Before the fix it superseded the admin's confirmed key:
    /// the admin could sign nothing any more, silently (the replay saw nothing wrong), and
    /// doing it to every admin bricked the ledger's authority for good.
    @Test func redTeamSelfSignedKeyCannotSupersedeAConfirmedKey() async throws {
        let l = try await RedTeamLedger.make()
        let bobKey = try #require(try l.replay().users["bob"]?.signingKey?.keyID)
        let (forged, _) = try await l.forgeKeyRegistration(for: "bob")
        let state = try l.replay()
        #expect(state.openProblems.map(\.seq) == [forged.seq])
        #expect(state.users["bob"]?.signingKey?.keyID == bobKey)
        // After acknowledging, bob still acts with his own key.
        try await l.service.acknowledgeProblems(reason: "INC-1 forged key registration", by: l.ada)
        try await l.service.addUser(NewUser(id: "quinn", printedName: "Quinn QA", roles: ["qa-reviewer"], initialPassword: "one-time-quinn-pw"),
                                    reason: "new hire", knownRoles: Set(l.policy.roles), by: l.bob)
        #expect(try l.service.state().users["quinn"] != nil)
    }

    /// One admin (ada) with write access to the file takes over the other founder: a key
    /// registered in bob's name, then confirmed by ada herself (she is neither bob nor his
    /// enroller). With bob's identity she would confirm her own grants: one person makes signers.
    @Test func redTeamOneAdminCannotConfirmAKeySheSubstitutedForAnotherAdmin() async throws {
        let l = try await RedTeamLedger.make()
        let (forged, rogue) = try await l.forgeKeyRegistration(for: "bob")
        if try !l.replay().openProblems.isEmpty {
            try await l.service.acknowledgeProblems(reason: "INC-2", by: l.ada)
        }
        // Through the service, as an admin would: names the rogue key id she holds.
        _ = await #expect(throws: RecordsError.self) {
            try await l.service.confirmIdentity(of: "bob", keyID: rogue.publicKey.keyID.hex, evidence: "looks fine", by: l.ada)
        }
        let state = try l.replay()
        #expect(state.users["bob"]?.signingKey?.keyID != rogue.publicKey.keyID)
        #expect(state.problems.map(\.seq).contains(forged.seq))
    }

    /// Same takeover, with ada first revoking bob's key (one admin may revoke), so the rogue
    /// registration is unvouched but legal; ada then confirms it herself.
    @Test func redTeamAdminWhoRevokedAKeyCannotConfirmItsReplacement() async throws {
        let l = try await RedTeamLedger.make()
        try await l.service.revokeKey(of: "bob", keyID: nil, reason: "says he lost it", by: l.ada)
        let (_, rogue) = try await l.forgeKeyRegistration(for: "bob")
        let adaKey = try l.privateKey(of: "ada")
        let replacement = try #require(try l.replay().users["bob"]?.activeKey)
        #expect(replacement.keyID == rogue.publicKey.keyID)
        // The service refuses before writing anything.
        _ = await #expect(throws: RecordsError.self) {
            try await l.service.confirmIdentity(of: "bob", keyID: rogue.publicKey.keyID.hex, evidence: "x", by: l.ada)
        }
        // Raw confirmation signed by ada (what the service would write).
        let confirm = try await l.store.append([EntryDraft(kind: EntryKind.authorityConfirmed, actor: "ada", subject: "bob", payload: [
            "confirms": .array([.number(Double(replacement.registeredSeq))]), "keyId": .string(rogue.publicKey.keyID.prefixed),
            "evidence": "in person",
        ], authority: KeyAuthority(adaKey))])[0]
        let state = try l.replay()
        #expect(state.users["bob"]?.signingKey == nil)
        #expect(state.openProblems.map(\.seq).contains(confirm.seq))
    }

    // MARK: - probes that hold (kept as regression tests)

    /// ada enrolls quinn and confirms the grant and key herself (hand-written, signed by her key).
    @Test func redTeamEnrollerCannotConfirmHerOwnEnrollment() async throws {
        let l = try await RedTeamLedger.make()
        let added = try await l.service.addUser(NewUser(id: "quinn", printedName: "Quinn QA", roles: ["qa-reviewer"], initialPassword: "one-time-quinn-pw"),
                                                reason: "new hire", knownRoles: Set(l.policy.roles), by: l.ada)
        let key = try await l.service.rotateKey(RedTeamLedger.creds("quinn", "one-time-quinn-pw"), newPassword: RedTeamLedger.password("quinn"), reason: "first")
        let confirm = try await l.store.append([EntryDraft(kind: EntryKind.authorityConfirmed, actor: "ada", subject: "quinn", payload: [
            "confirms": .array([.number(Double(added.seq)), .number(Double(key.registeredSeq))]),
            "keyId": .string(key.keyID.prefixed), "evidence": "me",
        ], authority: KeyAuthority(try l.privateKey(of: "ada")))])[0]
        let state = try l.replay()
        #expect(state.openProblems.map(\.seq) == [confirm.seq])
        #expect(state.users["quinn"]?.roles.isEmpty == true)
        #expect(state.users["quinn"]?.signingKey == nil)
    }

    /// One admin records a policy asking for no confirmations and confirms it herself.
    @Test func redTeamOneAdminCannotPutAZeroConfirmationPolicyInForce() async throws {
        let l = try await RedTeamLedger.make()
        let text = String(decoding: l.policyBytes, as: UTF8.self)
            .replacingOccurrences(of: "identityConfirmations: 1", with: "identityConfirmations: 0")
        let lax = try ApprovalPolicy.load(bytes: Array(text.utf8), file: "lax.yaml")
        let recorded = try await l.service.recordPolicy(lax, bytes: Array(text.utf8), reason: "simplify", by: l.ada)
        _ = await #expect(throws: RecordsError.self) { try await l.service.confirmPolicy(reason: "ok", by: l.ada) }
        let confirm = try await l.store.append([EntryDraft(kind: EntryKind.authorityConfirmed, actor: "ada", subject: RecordsState.policySubject,
                                                           payload: ["confirms": .array([.number(Double(recorded.seq))]), "evidence": "me"],
                                                           authority: KeyAuthority(try l.privateKey(of: "ada")))])[0]
        let state = try l.replay()
        #expect(state.openProblems.map(\.seq) == [confirm.seq])
        #expect(state.policyDigest == l.policy.digest)
        #expect(state.security.identityConfirmations == 1)
    }

    /// A valid signed entry copied to a later position (what a raw SQL insert could do)
    /// fails: the authority statement names seq and prev.
    @Test func redTeamReplayedConfirmationHasNoEffect() async throws {
        let l = try await RedTeamLedger.make()
        let entries = try l.store.entries()
        let original = try #require(entries.last { $0.kind == EntryKind.authorityConfirmed })
        let last = try #require(entries.last)
        let copy = Entry(seq: last.seq + 1, time: last.time, kind: original.kind, actor: original.actor,
                         subject: original.subject, payload: original.payload, prev: last.prev)
        let state = RecordsState.fold(entries + [copy])
        #expect(state.openProblems.map(\.seq) == [copy.seq])
    }

    /// `edge upload` checked only "confirmed and not revoked"; the replay also requires the
    /// key not superseded. A decision signed with an edge's superseded key was appended and
    /// then rejected by the replay: every command refused until an admin acknowledged it.
    @Test func redTeamUploadRefusesADecisionSignedWithASupersededEdgeKey() async throws {
        let l = try await RedTeamLedger.make()
        let old = Ed25519PrivateKey.generate()
        try await l.service.addEdge(id: "edge-line1", printedName: "Line 1 PC", publicKey: old.publicKey, reason: "new line", by: l.ada)
        try await l.service.confirmIdentity(of: "edge-line1", keyID: old.publicKey.keyID.hex, evidence: "key read on the device", by: l.bob)
        // The edge rotates (signed by its confirmed key: vouched, in force at once).
        let new = Ed25519PrivateKey.generate()
        _ = try await l.store.append([EntryDraft(kind: EntryKind.keyRegistered, actor: "edge-line1", subject: "edge-line1", payload: [
            "keyId": .string(new.publicKey.keyID.prefixed), "publicKey": .string(new.publicKey.base64), "algorithm": "ed25519", "reason": "rotate",
        ], authority: KeyAuthority(old))])
        #expect(try l.service.state().users["edge-line1"]?.signingKey?.keyID == new.publicKey.keyID)
        let stale = EdgeDecision(edge: "edge-line1", counter: 1, kind: EntryKind.deploymentVerified, subject: "chg-1",
                                 time: UTCTime.format(Date()), decision: ["mayLoad": true]).signed(with: old)
        _ = await #expect(throws: RecordsError.self) { try await l.service.recordDeployments([stale], source: "decisions.jsonl") }
        #expect(try l.replay().openProblems.isEmpty)
        let fresh = EdgeDecision(edge: "edge-line1", counter: 2, kind: EntryKind.deploymentVerified, subject: "chg-1",
                                 time: UTCTime.format(Date()), decision: ["mayLoad": true]).signed(with: new)
        #expect(try await l.service.recordDeployments([fresh], source: "decisions.jsonl").appended.count == 1)
        #expect(try l.service.state().deployments.count == 1)
    }

    /// The access history (access report, exports) must not depend on Set/Dictionary
    /// iteration order, which Swift seeds per process.
    @Test func redTeamAccessHistoryOrderIsDeterministic() async throws {
        let l = try await RedTeamLedger.make()
        let roles = ["qa-reviewer", "process-owner", "ot-security", "auditor", "author"]
        try await l.enroll("dana", roles: roles)
        let history = try #require(try l.service.state().users["dana"]?.history)
        let granted = history.filter { $0.what == "role granted" }.map(\.detail)
        let confirmed = history.filter { $0.what == "role confirmed" }.map { String($0.detail.prefix { $0 != " " }) }
        #expect(granted == roles.sorted())
        #expect(confirmed == roles.sorted())
    }
}
