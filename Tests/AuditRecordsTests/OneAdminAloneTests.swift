import AuditCore
import AuditCrypto
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Foundation
import Testing

/// Issue 8: no single person can create a signer. ada, a founding admin, enrolls invented
/// people, replaces their one-time passwords herself (she chose them) and tries to get a
/// change approved — through the service (refused at every step) and at the raw level
/// (every entry rejected). With bob, the second admin, confirming, the same flow approves.
@Suite struct OneAdminAloneTests {
    static let puppets = [
        TestCast.Person("p-author", "Puppet Author", ["author"]), TestCast.Person("p-qa", "Puppet QA", ["qa-reviewer"]),
        TestCast.Person("p-po", "Puppet Process", ["process-owner"]), TestCast.Person("p-ot", "Puppet Security", ["ot-security"]),
    ]
    static let signers = [("p-qa", "Puppet QA", "qa-reviewer"), ("p-po", "Puppet Process", "process-owner"),
                          ("p-ot", "Puppet Security", "ot-security")]

    /// ada enrolls every puppet and rotates each key with the one-time password she set.
    func puppetsEnrolledByAda() async throws -> TestRecords {
        let f = try await TestRecords.make(people: [])
        for p in Self.puppets { try await f.enroll(p, confirmer: nil) }
        return f
    }

    @Test func oneAdminAloneCannotGetAnApprovedChange() async throws {
        let f = try await puppetsEnrolledByAda()
        // ada enrolls a second "admin" of her own; bob holds an extra role ada granted him.
        try await f.enroll(TestCast.Person("adam", "Adam Puppet", ["admin"]), confirmer: nil)
        try await f.service.setRole("auditor", granted: true, for: "bob", reason: "audit duty", knownRoles: f.knownRoles, by: f.admin)
        let size = try f.store.size()

        // Through the service: every way to a signer is refused, and nothing is written.
        for p in Self.puppets + [TestCast.Person("adam", "Adam Puppet", ["admin"])] {
            let byAda = await recordsError { try await f.service.confirmIdentity(of: p.id, evidence: "trust me", by: f.admin) }
            #expect(byAda == .refused("'ada' enrolled '\(p.id)' and knew the one-time password; another admin must confirm"))
        }
        let byAdam = await recordsError { try await f.service.confirmIdentity(of: "p-qa", evidence: "trust me", by: TestRecords.creds("adam")) }
        #expect(byAdam == .refused("'adam' does not hold the 'admin' role needed to confirm identities (granted, but not yet confirmed by another admin)"))
        let bobSelf = await recordsError { try await f.service.confirmIdentity(of: "bob", evidence: "me", by: f.secondAdmin) }
        #expect(bobSelf == .refused("nobody confirms their own identity"))
        let propose = await recordsError { _ = try await f.propose(.promote, author: "p-author") }
        #expect(propose == .refused("'p-author' does not hold the 'author' role in force (granted roles wait for a second admin's confirmation)"))
        let adaProposes = await recordsError { _ = try await f.propose(.promote, author: "ada") }
        #expect(adaProposes == .refused("admins enroll people and manage keys; they do not author changes"))
        #expect(try f.store.size() == size)
        #expect(try f.problems().isEmpty)
        let state = try f.state()
        for p in Self.puppets {
            #expect(state.users[p.id]?.roles.isEmpty == true)
            #expect(state.users[p.id]?.signingKey == nil)
            #expect(state.pendingItems(of: p.id).count == 2)
        }

        // At the raw level, with her valid key, ada confirms her puppets (and adam and bob
        // confirm what they may not); the puppets propose, sign, and auditctl "approves".
        let ada = try f.privateKey(of: "ada")
        var confirmations: [Rejection] = []
        for p in Self.puppets {
            let e = try await f.forge(EntryKind.authorityConfirmed, actor: "ada", subject: p.id,
                                      payload: ForgedPayload.confirms(state.pendingItems(of: p.id), keyID: state.users[p.id]?.activeKey?.keyID),
                                      signedBy: .key(ada))
            confirmations.append(Rejection(e, "'ada' enrolled '\(p.id)' (or is them) and cannot confirm their identity"))
        }
        let adam = try f.privateKey(of: "adam")
        let adamConfirms = try await f.forge(EntryKind.authorityConfirmed, actor: "adam", subject: "p-qa",
                                             payload: ForgedPayload.confirms(state.pendingItems(of: "p-qa"), keyID: state.users["p-qa"]?.activeKey?.keyID),
                                             signedBy: .key(adam))
        let bobConfirmsHimself = try await f.forge(EntryKind.authorityConfirmed, actor: "bob", subject: "bob",
                                                   payload: ForgedPayload.confirms(state.pendingItems(of: "bob")),
                                                   signedBy: .key(try f.privateKey(of: "bob")))
        let author = try f.privateKey(of: "p-author")
        let content = ChangeRecordContent(changeID: "chg-puppet", changeType: .promote, model: "vision-qc", modelVersion: "6.6.6",
                                          reason: "nobody checked", authorID: "p-author", artifactDigest: SHA256.hash("weights"),
                                          targetZone: "line1-ai", previous: nil)
        let proposal = try await f.forge(EntryKind.changeProposed, actor: "p-author", subject: "chg-puppet",
                                         payload: ["record": content.jsonValue, "digest": .string(content.digest.prefixed), "version": 1],
                                         signedBy: .key(author))
        var signatures: [Rejection] = []
        for (id, name, role) in Self.signers {
            let key = try f.privateKey(of: id)
            let e = try await f.forge(EntryKind.signatureAdded, actor: id, subject: "chg-puppet",
                                      payload: ForgedPayload.signature(changeDigest: content.digest, signer: id, name: name, meaning: .approved,
                                                                       key: key, roles: [role]),
                                      signedBy: .key(key))
            signatures.append(Rejection(e, "signed with key \(key.publicKey.keyID.prefixed) of '\(id)', which was awaiting confirmation at this seq"))
        }
        let approval = try await f.forge(EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: "chg-puppet",
                                         payload: ["changeDigest": .string(content.digest.prefixed), "policyDigest": .string(f.policy.digest.prefixed),
                                                   "changeId": "chg-puppet", "change": content.jsonValue, "assignment": []])
        try f.expectRejected(confirmations + [
            // adam's key, like his admin role, still waits for a second admin.
            Rejection(adamConfirms, "signed with key \(adam.publicKey.keyID.prefixed) of 'adam', which was awaiting confirmation at this seq"),
            Rejection(bobConfirmsHimself, "'bob' enrolled 'bob' (or is them) and cannot confirm their identity"),
            Rejection(proposal, "signed with key \(author.publicKey.keyID.prefixed) of 'p-author', which was awaiting confirmation at this seq"),
        ] + signatures + [
            Rejection(approval, "no change 'chg-puppet'"),
        ])
        let after = try f.replayed()
        #expect(after.changes.isEmpty)
        for p in Self.puppets { #expect(after.users[p.id]?.roles.isEmpty == true && after.users[p.id]?.signingKey == nil) }
        #expect(after.users["adam"]?.isAdmin == false)
        #expect(after.users["bob"]?.roles == ["admin"])
    }

    @Test func withASecondAdminConfirmingTheSameFlowApproves() async throws {
        let f = try await puppetsEnrolledByAda()
        for p in Self.puppets {
            // Without the key id the person read, bob's confirmation is refused; with it, it holds.
            let blind = await recordsError { try await f.service.confirmIdentity(of: p.id, evidence: "badge checked", by: f.secondAdmin) }
            guard case .invalidInput(field: "key", _)? = blind else { Issue.record("\(String(describing: blind))"); return }
            let key = try #require(f.state().users[p.id]?.activeKey?.keyID)
            try await f.service.confirmIdentity(of: p.id, keyID: String(key.hex.prefix(12)), evidence: "badge checked in person",
                                                by: f.secondAdmin)
        }
        let change = try await f.propose(.promote, author: "p-author")
        var last: SignResult?
        for (id, _, _) in Self.signers { last = try await f.sign(change.content.changeID, id, .approved) }
        let decision = try #require(last?.decision)
        #expect(decision.kind == EntryKind.changeApproved)
        #expect(try f.problems().isEmpty)
        let state = try f.state()
        #expect(state.changes[change.content.changeID]?.decision?.seq == decision.seq)
        #expect(state.changes[change.content.changeID]?.status(policy: f.policy, now: f.clock.date) == .approved(seq: decision.seq))
        for p in Self.puppets { #expect(state.users[p.id]?.roles == Set(p.roles) && state.users[p.id]?.signingKey != nil) }
    }
}
