import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Foundation
import Testing

/// Issue 8: authority is proven, never asserted. Each test forges entries the way an attacker
/// with the data directory and the log key would — straight through `LedgerStore.append`,
/// so the hash chain and checkpoints stay intact — using each technique: no signature, a
/// signature by the wrong key, a valid signature copied from another entry, a valid statement
/// replayed at another seq, and a valid signature by someone without the power. The replay
/// must reject every forged entry (named by seq, kind and reason), give it no effect, and
/// make every state-based command refuse.
@Suite struct ForgeryTests {
    static let zero = Digest.zero

    // MARK: role.granted by "nobody", then puppets approving the author's own change

    @Test func aRoleGrantedByNobodyGivesNoPowerAndItsPuppetsApproveNothing() async throws {
        let f = try await TestRecords.make()
        let change = try await f.propose(.promote)
        let id = change.content.changeID
        // Unsigned, and signed by a key no one registered: actor "nobody" is no identity.
        let unsigned = try await f.forge(EntryKind.roleGranted, actor: "nobody", subject: "alice", payload: ForgedPayload.role("admin"))
        let stranger = Ed25519PrivateKey.generate()
        let signed = try await f.forge(EntryKind.roleGranted, actor: "nobody", subject: "alice", payload: ForgedPayload.role("admin"),
                                       signedBy: .key(stranger))
        // alice, who believes she is admin now, enrolls puppets and confirms them with her own key.
        let alice = try f.privateKey(of: "alice")
        var puppetKeys: [String: Ed25519PrivateKey] = [:]
        var enrolled: [Entry] = []
        for (pid, role) in [("puppet-qa", "qa-reviewer"), ("puppet-po", "process-owner"), ("puppet-ot", "ot-security")] {
            enrolled.append(try await f.forge(EntryKind.userAdded, actor: "alice", subject: pid,
                                              payload: ForgedPayload.userAdded(name: pid, roles: [role]), signedBy: .key(alice)))
            puppetKeys[pid] = .generate()
        }
        let confirmed = try await f.forge(EntryKind.authorityConfirmed, actor: "alice", subject: "puppet-qa",
                                          payload: ForgedPayload.confirms([enrolled[0].seq]), signedBy: .key(alice))
        // The puppets e-sign her change, and auditctl "approves" it.
        var signatures: [Entry] = []
        for (pid, role) in [("puppet-qa", "qa-reviewer"), ("puppet-po", "process-owner"), ("puppet-ot", "ot-security")] {
            let key = try #require(puppetKeys[pid])
            signatures.append(try await f.forge(EntryKind.signatureAdded, actor: pid, subject: id,
                                                payload: ForgedPayload.signature(changeDigest: change.digest, signer: pid, name: pid,
                                                                                 meaning: .approved, key: key, roles: [role]),
                                                signedBy: .key(key)))
        }
        let record = try #require(f.replayed().changes[id])
        let approval = try await f.forge(EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: id,
                                         payload: ForgedPayload.approval(of: record, policy: f.policy.digest,
                                                                         signers: signatures.map { ("role", $0.actor, $0.seq) }))

        try f.expectRejected([
            Rejection(unsigned, "carries no authority signature: anyone could have appended it"),
            Rejection(signed, "actor 'nobody' is not an enrolled identity"),
        ] + enrolled.map { Rejection($0, "'alice' did not hold the admin role in force at this seq") } + [
            Rejection(confirmed, "'alice' did not hold the admin role in force at this seq"),
        ] + signatures.map { Rejection($0, "actor '\($0.actor)' is not an enrolled identity") } + [
            Rejection(approval, "does not directly follow a valid signature on '\(id)' that could have decided it"),
        ])
        let state = try f.replayed()
        #expect(state.users["alice"]?.roles == ["author"])
        #expect(state.users["alice"]?.pendingRoles.isEmpty == true)
        #expect(state.users.keys.filter { $0.hasPrefix("puppet") }.isEmpty)
        let after = try #require(state.changes[id])
        #expect(after.decision == nil)
        #expect(after.signatures.isEmpty)
        #expect(after.status(policy: f.policy, now: f.clock.date).name == "pending")
        // Nothing acts on it: not even the genuine signers.
        await expectNeedsAttention(first: unsigned.seq) { try await f.sign(id, "quinn", .approved) }
    }

    // MARK: change.approved / change.rejected written by hand

    @Test func aHandAppendedApprovalWithoutSignaturesIsRejected() async throws {
        let f = try await TestRecords.make()
        let a = try await f.propose(.promote).content.changeID
        let b = try await f.propose(.promote).content.changeID
        let bare = try await f.forge(EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: a,
                                     payload: ForgedPayload.approval(of: try #require(f.replayed().changes[a]), policy: f.policy.digest, signers: []))
        // Right after a genuine signature that does not complete the requirements.
        try await f.forge(EntryKind.signatureAdded, actor: "quinn", subject: b,
                          payload: ForgedPayload.signature(changeDigest: try f.digest(of: b), signer: "quinn", name: "Quinn QA",
                                                           meaning: .approved, key: try f.privateKey(of: "quinn"), roles: ["qa-reviewer"]),
                          signedBy: .key(try f.privateKey(of: "quinn")))
        let early = try await f.forge(EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: b,
                                      payload: ForgedPayload.approval(of: try #require(f.replayed().changes[b]), policy: f.policy.digest, signers: []))
        try f.expectRejected([
            Rejection(bare, "does not directly follow a valid signature on '\(a)' that could have decided it"),
            Rejection(early, "the signatures and the policy in force do not decide '\(b)' at this point"),
        ])
        #expect(try f.replayed().changes[a]?.decision == nil)
        #expect(try f.replayed().changes[b]?.decision == nil)
        #expect(try f.replayed().changes[b]?.currentSignatures.count == 1)
    }

    @Test func aDecisionThatDiffersFromTheRecomputationIsRejected() async throws {
        let f = try await TestRecords.make()
        // Three promotions with two genuine signatures each (all service calls come first:
        // after the first forgery the service refuses to act).
        var ids: [String] = []
        for _ in 0..<3 {
            let id = try await f.propose(.promote).content.changeID
            try await f.sign(id, "quinn", .approved)
            try await f.sign(id, "pat", .approved)
            ids.append(id)
        }
        /// otto's genuine, completing signature, appended without the decision the service
        /// adds; returns the decision the replay recomputes for it.
        func completeRaw(_ id: String) async throws -> EntryDraft {
            let otto = try f.privateKey(of: "otto")
            try await f.forge(EntryKind.signatureAdded, actor: "otto", subject: id,
                              payload: ForgedPayload.signature(changeDigest: try f.digest(of: id), signer: "otto",
                                                               name: "Otto Security", meaning: .approved, key: otto, roles: ["ot-security"]),
                              signedBy: .key(otto))
            let change = try #require(f.replayed().changes[id])
            let signedAt = try #require(change.currentSignatures.last?.statement?.date)
            return try #require(RecordsState.decisionDraft(f.policy.evaluate(change.approvalFacts(now: signedAt)), change: change))
        }
        // Kind flipped: the signatures approve, the entry says rejected.
        let expected = try await completeRaw(ids[0])
        #expect(expected.kind == EntryKind.changeApproved)
        var rejectedPayload = try #require(expected.payload.objectValue)
        rejectedPayload["assignment"] = nil
        rejectedPayload["rejectedBy"] = [["signerId": "otto", "signature": "seq 0"]]
        let flipped = try await f.forge(EntryKind.changeRejected, actor: RecordIDs.systemActor, subject: ids[0], payload: .object(rejectedPayload))
        // Right kind, one assignment line dropped.
        var trimmed = try #require(try await completeRaw(ids[1]).payload.objectValue)
        trimmed["assignment"] = .array(Array(try #require(trimmed["assignment"]?.arrayValue).dropLast()))
        let altered = try await f.forge(EntryKind.changeApproved, actor: RecordIDs.systemActor, subject: ids[1], payload: .object(trimmed))
        // Control: the exact recomputed decision at the right place holds.
        let exact = try await completeRaw(ids[2])
        let honest = try await f.forge(exact.kind, actor: exact.actor, subject: exact.subject, payload: exact.payload)
        // That genuine approval replayed at a later seq: the change was already decided.
        let replayed = try await f.forge(honest.kind, actor: honest.actor, subject: honest.subject, payload: honest.payload)

        try f.expectRejected([
            Rejection(flipped, "does not match the decision recomputed from the signatures and the policy in force (change.approved)"),
            Rejection(altered, "does not match the decision recomputed from the signatures and the policy in force (change.approved)"),
            Rejection(replayed, "the change was already decided"),
        ])
        let state = try f.replayed()
        #expect(state.changes[ids[0]]?.decision == nil)
        #expect(state.changes[ids[1]]?.decision == nil)
        #expect(state.changes[ids[2]]?.decision?.seq == honest.seq)
    }

    // MARK: policy.updated by a non-admin; a policy confirmed by its recorder

    @Test func aPolicyRecordedByANonAdminOrConfirmedByItsRecorderNeverApplies() async throws {
        let f = try await TestRecords.make()
        let lax = try TestCast.approvalPolicyText(security: ["identityConfirmations": "0", "lockoutThreshold": "20"])
        let payload = try ForgedPayload.policy(lax, previous: f.policy.digest)
        let unsigned = try await f.forge(EntryKind.policyUpdated, actor: "ada", subject: RecordsState.policySubject, payload: payload)
        let byQuinn = try await f.forge(EntryKind.policyUpdated, actor: "quinn", subject: RecordsState.policySubject, payload: payload,
                                        signedBy: .key(try f.privateKey(of: "quinn")))
        let confirmedByPat = try await f.forge(EntryKind.authorityConfirmed, actor: "pat", subject: RecordsState.policySubject,
                                               payload: ForgedPayload.confirms([byQuinn.seq]), signedBy: .key(try f.privateKey(of: "pat")))
        // ada records it properly (it waits for a second admin) and confirms it herself.
        let recorded = try await f.forge(EntryKind.policyUpdated, actor: "ada", subject: RecordsState.policySubject, payload: payload,
                                         signedBy: .key(try f.privateKey(of: "ada")))
        let selfConfirmed = try await f.forge(EntryKind.authorityConfirmed, actor: "ada", subject: RecordsState.policySubject,
                                              payload: ForgedPayload.confirms([recorded.seq]), signedBy: .key(try f.privateKey(of: "ada")))
        try f.expectRejected([
            Rejection(unsigned, "carries no authority signature"),
            Rejection(byQuinn, "'quinn' did not hold the admin role in force at this seq"),
            Rejection(confirmedByPat, "'pat' did not hold the admin role in force at this seq"),
            Rejection(selfConfirmed, "'ada' recorded the policy at seq \(recorded.seq) and cannot also confirm it"),
        ])
        let state = try f.replayed()
        #expect(state.policyDigest == f.policy.digest)
        #expect(state.security.lockoutThreshold == 5 && state.security.identityConfirmations == 1)
        #expect(state.pendingPolicies.keys.sorted() == [recorded.seq])
    }

    // MARK: credential.changed + key.registered for another user, then signing as them

    @Test func anotherUsersKeyAndPasswordCannotBeReplaced() async throws {
        let f = try await TestRecords.make()
        let id = try await f.propose(.register).content.changeID
        let before = try #require(f.replayed().users["quinn"])
        let original = try #require(before.signingKey)
        let pat = try f.privateKey(of: "pat")
        let attacker = Ed25519PrivateKey.generate()
        // pat registers a key and a password for quinn, with the new key and with his own.
        let byPatNewKey = try await f.forge(EntryKind.keyRegistered, actor: "pat", subject: "quinn",
                                            payload: ForgedPayload.keyRegistered(attacker.publicKey), signedBy: .key(attacker))
        let byPatOwnKey = try await f.forge(EntryKind.keyRegistered, actor: "pat", subject: "quinn",
                                            payload: ForgedPayload.keyRegistered(attacker.publicKey), signedBy: .key(pat))
        let password = try await f.forge(EntryKind.credentialChanged, actor: "pat", subject: "quinn",
                                         payload: ForgedPayload.credentialChanged(), signedBy: .key(pat))
        // Posing as quinn: a self-signed key while quinn holds a confirmed key, then a
        // password change and an e-signature with it.
        let asQuinnKey = try await f.forge(EntryKind.keyRegistered, actor: "quinn", subject: "quinn",
                                           payload: ForgedPayload.keyRegistered(attacker.publicKey), signedBy: .key(attacker))
        let asQuinnPassword = try await f.forge(EntryKind.credentialChanged, actor: "quinn", subject: "quinn",
                                                payload: ForgedPayload.credentialChanged(), signedBy: .key(attacker))
        let asQuinnSignature = try await f.forge(EntryKind.signatureAdded, actor: "quinn", subject: id,
                                                 payload: ForgedPayload.signature(changeDigest: try f.digest(of: id), signer: "quinn",
                                                                                  name: "Quinn QA", meaning: .approved, key: attacker,
                                                                                  roles: ["qa-reviewer"]),
                                                 signedBy: .key(attacker))
        try f.expectRejected([
            Rejection(byPatNewKey, "a key can only be registered by its owner"),
            Rejection(byPatOwnKey, "only 'quinn' may change their own credentials"),
            Rejection(password, "only 'quinn' may change their own credentials"),
            Rejection(asQuinnKey, "'quinn' has key \(original.keyID.prefixed) in force: a new key is registered under its signature"),
            Rejection(asQuinnPassword, "signed with key \(attacker.publicKey.keyID.prefixed), which is not registered to 'quinn'"),
            Rejection(asQuinnSignature, "signed with key \(attacker.publicKey.keyID.prefixed), which is not registered to 'quinn'"),
        ])
        let after = try #require(f.replayed().users["quinn"])
        #expect(after.keys == before.keys)
        #expect(after.signingKey?.keyID == original.keyID)
        #expect(after.passwordDigest == before.passwordDigest)
        #expect(try f.replayed().changes[id]?.decision == nil)
    }

    // MARK: account.unlocked / user.deactivated / key.revoked by anyone

    @Test func unlockDeactivateAndRevokeNeedAnAdminOfTheirOwn() async throws {
        let f = try await TestRecords.make(security: ["lockoutThreshold": "2"])
        let id = try await f.propose(.register).content.changeID
        for _ in 0..<2 { _ = await recordsError { try await f.sign(id, "quinn", .approved, password: "not-quinns-password") } }
        #expect(try f.replayed().users["quinn"]?.locked == true)
        let quinnKey = try f.keyID(of: "quinn")
        let ada = try f.privateKey(of: "ada")
        let unlockByPat = try await f.forge(EntryKind.accountUnlocked, actor: "pat", subject: "quinn", payload: ForgedPayload.reason(),
                                            signedBy: .key(try f.privateKey(of: "pat")))
        let unlockUnsigned = try await f.forge(EntryKind.accountUnlocked, actor: "ada", subject: "quinn", payload: ForgedPayload.reason())
        let unlockByLogKey = try await f.forge(EntryKind.accountUnlocked, actor: RecordIDs.systemActor, subject: "quinn",
                                               payload: ForgedPayload.reason(), signedBy: .key(try f.logKey()))
        let deactivateByNobody = try await f.forge(EntryKind.userDeactivated, actor: "nobody", subject: "otto", payload: ForgedPayload.reason())
        let deactivateWrongKey = try await f.forge(EntryKind.userDeactivated, actor: "bob", subject: "otto", payload: ForgedPayload.reason(),
                                                   signedBy: .key(ada))
        let deactivateSelf = try await f.forge(EntryKind.userDeactivated, actor: "ada", subject: "ada", payload: ForgedPayload.reason(),
                                               signedBy: .key(ada))
        let revokeByAlice = try await f.forge(EntryKind.keyRevoked, actor: "alice", subject: "quinn", payload: ForgedPayload.keyRevoked(quinnKey),
                                              signedBy: .key(try f.privateKey(of: "alice")))
        let revokeByStranger = try await f.forge(EntryKind.keyRevoked, actor: "bob", subject: "quinn", payload: ForgedPayload.keyRevoked(quinnKey),
                                                 signedBy: .key(.generate()))
        let revokeByOwnRole = try await f.forge(EntryKind.roleRevoked, actor: "pat", subject: "quinn", payload: ForgedPayload.role("qa-reviewer"),
                                                signedBy: .key(try f.privateKey(of: "pat")))
        try f.expectRejected([
            Rejection(unlockByPat, "'pat' did not hold the admin role in force at this seq"),
            Rejection(unlockUnsigned, "carries no authority signature"),
            Rejection(unlockByLogKey, "actor 'auditctl' is not an enrolled identity"),
            Rejection(deactivateByNobody, "carries no authority signature"),
            Rejection(deactivateWrongKey, "signed with key \(ada.publicKey.keyID.prefixed), which is not registered to 'bob'"),
            Rejection(deactivateSelf, "an admin cannot act on their own identity; another admin must"),
            Rejection(revokeByAlice, "'alice' did not hold the admin role in force at this seq"),
            Rejection(revokeByStranger, "which is not registered to 'bob'"),
            Rejection(revokeByOwnRole, "'pat' did not hold the admin role in force at this seq"),
        ])
        let state = try f.replayed()
        #expect(state.users["quinn"]?.locked == true)
        #expect(state.users["otto"]?.active == true && state.users["ada"]?.active == true)
        #expect(state.users["quinn"]?.signingKey?.keyID == quinnKey)
        #expect(state.users["quinn"]?.roles == ["qa-reviewer"])
    }

    // MARK: auth.failed / account.locked without the log key

    @Test func systemEntriesWithoutTheLogKeySignatureAreRejected() async throws {
        let f = try await TestRecords.make()
        let payload: JSONValue = ["consecutiveFailures": 5, "threshold": 5]
        let unsigned = try await f.forge(EntryKind.accountLocked, actor: RecordIDs.systemActor, subject: "quinn", payload: payload)
        let byAdmin = try await f.forge(EntryKind.accountLocked, actor: RecordIDs.systemActor, subject: "quinn", payload: payload,
                                        signedBy: .key(try f.privateKey(of: "ada")))
        let wrongActor = try await f.forge(EntryKind.accountLocked, actor: "ada", subject: "quinn", payload: payload,
                                           signedBy: .key(try f.logKey()))
        let failure = try await f.forge(EntryKind.authFailed, actor: RecordIDs.systemActor, subject: "quinn",
                                        payload: ["operation": "sign", "reason": "wrong password", "consecutiveFailures": 1],
                                        signedBy: .copied(unsigned.authoritySignatures + byAdmin.authoritySignatures))
        // Control: the same lock signed with the log key holds (whoever holds it can lock, never unlock).
        let genuine = try await f.forge(EntryKind.accountLocked, actor: RecordIDs.systemActor, subject: "otto", payload: payload,
                                        signedBy: .key(try f.logKey()))
        try f.expectRejected([
            Rejection(unsigned, "not signed by the log key: only auditctl itself writes this kind"),
            Rejection(byAdmin, "not signed by the log key: only auditctl itself writes this kind"),
            Rejection(wrongActor, "written by auditctl, not 'ada'"),
            Rejection(failure, "not signed by the log key: only auditctl itself writes this kind"),
        ])
        let state = try f.replayed()
        #expect(state.users["quinn"]?.locked == false && state.users["quinn"]?.consecutiveFailures == 0)
        #expect(state.users["otto"]?.locked == true)
        #expect(!(try f.problems()).contains { $0.seq == genuine.seq })
    }

    // MARK: a forged role, then a waiver that would make the plant compliant

    @Test func aForgedRoleCannotWaiveAFinding() async throws {
        let f = try await TestRecords.make()
        let finding = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"
        let topology = try TopologyLoader.load(path: TestCast.policyExamples + "/noncompliant-ai-writes-safety.yaml")
        #expect(!ZoneEvaluation.evaluate(topology: topology, waivers: try f.replayed().waivers, now: f.clock.date).compliant)
        // ada's genuine signature on quinn's enrollment, copied onto a grant of ot-security; bob's
        // genuine confirmation of quinn copied onto a confirmation of that grant.
        let entries = try f.store.entries()
        let adaEnrolledQuinn = try #require(entries.first { $0.kind == EntryKind.userAdded && $0.subject == "quinn" })
        let bobConfirmedQuinn = try #require(entries.first { $0.kind == EntryKind.authorityConfirmed && $0.subject == "quinn" })
        let grant = try await f.forge(EntryKind.roleGranted, actor: "ada", subject: "quinn", payload: ForgedPayload.role("ot-security"),
                                      signedBy: .copied(adaEnrolledQuinn.authoritySignatures))
        let confirm = try await f.forge(EntryKind.authorityConfirmed, actor: "bob", subject: "quinn", payload: ForgedPayload.confirms([grant.seq]),
                                        signedBy: .copied(bobConfirmedQuinn.authoritySignatures))
        let quinn = try f.privateKey(of: "quinn")
        let waiver = try await f.forge(EntryKind.waiverGranted, actor: "quinn", subject: finding,
                                       payload: ForgedPayload.waiver(finding: finding, by: "quinn", name: "Quinn QA", key: quinn,
                                                                     roles: ["ot-security", "qa-reviewer"]),
                                       signedBy: .key(quinn))
        let adaKey = try #require(adaEnrolledQuinn.authoritySignatures.first?.keyID)
        let bobKey = try #require(bobConfirmedQuinn.authoritySignatures.first?.keyID)
        try f.expectRejected([
            Rejection(grant, "authority signature does not verify under key \(adaKey.prefixed) of 'ada'"),
            Rejection(confirm, "authority signature does not verify under key \(bobKey.prefixed) of 'bob'"),
            Rejection(waiver, "'quinn' does not hold the 'ot-security' role in force"),
        ])
        let state = try f.replayed()
        #expect(state.users["quinn"]?.roles == ["qa-reviewer"])
        #expect(state.waiverRecords.map(\.counts) == [false])
        let report = ZoneEvaluation.evaluate(topology: topology, waivers: state.waivers, now: f.clock.date)
        #expect(!report.compliant)
        #expect(report.openFindings.map(\.fingerprint) == [finding])
        // Through the service it is refused outright.
        await expectNeedsAttention(first: grant.seq) {
            try await f.service.grantWaiver(WaiverRequest(findingID: finding, reason: "forged", expiresAt: f.clock.date + 86_400),
                                            as: TestRecords.creds("quinn"))
        }
    }

    // MARK: a valid statement replayed at another seq

    @Test func aGenuineGrantAndConfirmationReplayedLaterDoNotVerify() async throws {
        let f = try await TestRecords.make()
        try await f.grant("qa-reviewer", to: "alice")
        #expect(try f.state().users["alice"]?.roles == ["author", "qa-reviewer"])
        try await f.service.setRole("qa-reviewer", granted: false, for: "alice", reason: "cover ended", knownRoles: f.knownRoles, by: f.admin)
        #expect(try f.state().users["alice"]?.roles == ["author"])
        let entries = try f.store.entries()
        let grant = try #require(entries.last { $0.kind == EntryKind.roleGranted && $0.subject == "alice" })
        let confirmation = try #require(entries.last { $0.kind == EntryKind.authorityConfirmed && $0.subject == "alice" })
        let replayedGrant = try await f.forge(grant.kind, actor: grant.actor, subject: grant.subject, payload: grant.unsignedPayload,
                                              signedBy: .copied(grant.authoritySignatures))
        let replayedConfirmation = try await f.forge(confirmation.kind, actor: confirmation.actor, subject: confirmation.subject,
                                                     payload: confirmation.unsignedPayload, signedBy: .copied(confirmation.authoritySignatures))
        try f.expectRejected([
            Rejection(replayedGrant, "authority signature does not verify under key \(try #require(grant.authoritySignatures.first).keyID.prefixed) of 'ada'"),
            Rejection(replayedConfirmation, "authority signature does not verify under key \(try #require(confirmation.authoritySignatures.first).keyID.prefixed) of 'bob'"),
        ])
        #expect(try f.replayed().users["alice"]?.roles == ["author"])
        #expect(try f.replayed().users["alice"]?.pendingRoles.isEmpty == true)
    }

    // MARK: user.added, change.proposed, signature.added by someone not (yet) allowed

    @Test func enrollingProposingAndSigningNeedThePowerInForce() async throws {
        let f = try await TestRecords.make()
        // nina: enrolled and rotated, not yet confirmed (role and key both wait for bob).
        try await f.enroll(TestCast.Person("nina", "Nina New", ["author", "qa-reviewer"]), confirmer: nil)
        let nina = try f.privateKey(of: "nina")
        let change = try await f.propose(.register)
        // pat holds process-owner in force; qa-reviewer is granted to him but not yet confirmed.
        try await f.service.setRole("qa-reviewer", granted: true, for: "pat", reason: "cover", knownRoles: f.knownRoles, by: f.admin)
        let byNobody = try await f.forge(EntryKind.userAdded, actor: "nobody", subject: "ghost", payload: ForgedPayload.userAdded(name: "Ghost", roles: ["author"]))
        let byAuthor = try await f.forge(EntryKind.userAdded, actor: "alice", subject: "ghost", payload: ForgedPayload.userAdded(name: "Ghost", roles: ["author"]),
                                         signedBy: .key(try f.privateKey(of: "alice")))
        func proposal(_ author: String, _ id: String) -> JSONValue {
            let content = ChangeRecordContent(changeID: id, changeType: .register, model: "vision-qc", modelVersion: "9.9",
                                              reason: "forged", authorID: author, artifactDigest: nil, targetZone: nil, previous: nil)
            return ["record": content.jsonValue, "digest": .string(content.digest.prefixed), "version": 1]
        }
        let byReviewer = try await f.forge(EntryKind.changeProposed, actor: "quinn", subject: "chg-quinn", payload: proposal("quinn", "chg-quinn"),
                                           signedBy: .key(try f.privateKey(of: "quinn")))
        let byAdmin = try await f.forge(EntryKind.changeProposed, actor: "ada", subject: "chg-ada", payload: proposal("ada", "chg-ada"),
                                        signedBy: .key(try f.privateKey(of: "ada")))
        let byPending = try await f.forge(EntryKind.changeProposed, actor: "nina", subject: "chg-nina", payload: proposal("nina", "chg-nina"),
                                          signedBy: .key(nina))
        let ninaSigns = try await f.forge(EntryKind.signatureAdded, actor: "nina", subject: change.content.changeID,
                                          payload: ForgedPayload.signature(changeDigest: change.digest, signer: "nina", name: "Nina New",
                                                                           meaning: .approved, key: nina, roles: ["qa-reviewer"]),
                                          signedBy: .key(nina))
        let pat = try f.privateKey(of: "pat")
        let patClaims = try await f.forge(EntryKind.signatureAdded, actor: "pat", subject: change.content.changeID,
                                          payload: ForgedPayload.signature(changeDigest: change.digest, signer: "pat", name: "Pat Process",
                                                                           meaning: .approved, key: pat, roles: ["process-owner", "qa-reviewer"]),
                                          signedBy: .key(pat))
        let patAsIs = try await f.forge(EntryKind.signatureAdded, actor: "pat", subject: change.content.changeID,
                                        payload: ForgedPayload.signature(changeDigest: change.digest, signer: "pat", name: "Pat Process",
                                                                         meaning: .approved, key: pat, roles: ["process-owner"]),
                                        signedBy: .key(pat))
        let ninaKey = nina.publicKey.keyID.prefixed
        try f.expectRejected([
            Rejection(byNobody, "carries no authority signature"),
            Rejection(byAuthor, "'alice' did not hold the admin role in force at this seq"),
            Rejection(byReviewer, "'quinn' did not hold the 'author' role in force at this seq"),
            Rejection(byAdmin, "'ada' is an admin; admins do not author changes"),
            Rejection(byPending, "signed with key \(ninaKey) of 'nina', which was awaiting confirmation at this seq"),
            Rejection(ninaSigns, "signed with key \(ninaKey) of 'nina', which was awaiting confirmation at this seq"),
            Rejection(patClaims, "claims the roles process-owner, qa-reviewer, but 'pat' held process-owner in force at this seq"),
            Rejection(patAsIs, "'pat' could not sign '\(change.content.changeID)' as 'approved'"),
        ])
        let state = try f.replayed()
        #expect(state.users["ghost"] == nil)
        #expect(Set(state.changes.keys) == [change.content.changeID])
        #expect(state.changes[change.content.changeID]?.signatures.map(\.seq) == [patClaims.seq, patAsIs.seq])
        #expect(state.changes[change.content.changeID]?.signatures.allSatisfy { $0.problem != nil } == true)
        #expect(state.users["pat"]?.roles == ["process-owner"] && state.users["nina"]?.roles.isEmpty == true)
        #expect(state.changes[change.content.changeID]?.decision == nil)
    }

    // MARK: ledger.created elsewhere than seq 0, or without every founder's signature

    @Test func aSecondLedgerCreatedBindsNoFounders() async throws {
        let f = try await TestRecords.make()
        let mallory = Ed25519PrivateKey.generate()
        let founder = FoundingAdmin(id: "mallory", printedName: "Mallory", publicKey: mallory.publicKey, passwordDigest: SHA256.hash("x"))
        let genesis = try f.store.entry(seq: 0)
        var payload = try #require(genesis.unsignedPayload.objectValue)
        payload["founders"] = [founder.jsonValue]
        let second = try await f.forge(EntryKind.ledgerCreated, actor: "system", subject: genesis.subject, payload: .object(payload),
                                       signedBy: .key(mallory))
        let enrolls = try await f.forge(EntryKind.userAdded, actor: "mallory", subject: "puppet", payload: ForgedPayload.userAdded(name: "Puppet", roles: ["qa-reviewer"]),
                                        signedBy: .key(mallory))
        try f.expectRejected([
            Rejection(second, "only the first entry of a ledger may be ledger.created"),
            Rejection(enrolls, "actor 'mallory' is not an enrolled identity"),
        ])
        #expect(try f.replayed().users["mallory"] == nil && f.replayed().users["puppet"] == nil)
        #expect(try f.replayed().users["ada"]?.isAdmin == true)
    }

    @Test(arguments: [0, 1])
    func aGenesisMissingAFoundersSignatureHasNoRootOfAuthority(signers: Int) async throws {
        let dir = TemporaryDirectory("genesis")
        let home = LedgerHome(directory: dir.file("data"))
        let keys = [Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()]
        let founders = zip(TestCast.founders, keys).map {
            FoundingAdmin(id: $0.id, printedName: $0.name, publicKey: $1.publicKey, passwordDigest: SHA256.hash($0.id))
        }
        let authority: (any EntryAuthorizing)? = signers == 0 ? nil : KeyAuthority(keys: Array(keys.prefix(signers)))
        let store = try await home.initialize(origin: "test.example/genesis", protection: .plainKeyFile(path: dir.file("log.key")),
                                              synchronous: .normal, genesis: ["founders": .array(founders.map(\.jsonValue))],
                                              authority: authority)
        // The "founders" act anyway, each with their own genuine key.
        let enrolled = try await store.append(EntryDraft(kind: EntryKind.userAdded, actor: "ada", subject: "puppet",
                                                         payload: ForgedPayload.userAdded(name: "Puppet", roles: ["qa-reviewer"]),
                                                         authority: KeyAuthority(keys[0])))
        let problems = try RecordsAudit.problems(in: store)
        let missing = signers == 0 ? "ada" : "bob"
        #expect(problems.map(\.seq) == [0, enrolled.seq])
        #expect(problems.first?.kind == EntryKind.ledgerCreated)
        #expect(problems.first?.message == "founding admin '\(missing)' did not sign ledger.created")
        #expect(problems.last?.message == "actor 'ada' is not an enrolled identity")
        #expect(try RecordsState.fold(store: store).users.isEmpty)
    }

    // MARK: evidence, clock corrections and acknowledgements

    @Test func evidenceClockCorrectionsAndAcknowledgementsNeedTheirAuthority() async throws {
        let f = try await TestRecords.make()
        // quinn keeps a confirmed key but no role in force.
        try await f.service.setRole("qa-reviewer", granted: false, for: "quinn", reason: "moved to logistics", knownRoles: f.knownRoles, by: f.admin)
        let check: JSONValue = ["topologyDigest": .string(SHA256.hash("plant").prefixed), "compliant": true, "openFindings": []]
        let unsignedCheck = try await f.forge(EntryKind.topologyChecked, actor: "nobody", subject: "riverside", payload: check)
        let roleless = try await f.forge(EntryKind.topologyChecked, actor: "quinn", subject: "riverside", payload: check,
                                         signedBy: .key(try f.privateKey(of: "quinn")))
        let export = try await f.forge(EntryKind.exportGenerated, actor: "alice", subject: "export-1", payload: ["digest": .string(SHA256.hash("zip").prefixed)],
                                       signedBy: .key(try f.privateKey(of: "alice")))
        let clock = try await f.forge(EntryKind.clockCorrected, actor: "pat", subject: "3", payload: ["seq": 3, "recordedTime": "2099-01-01T00:00:00.000Z", "reason": "x"],
                                      signedBy: .key(try f.privateKey(of: "pat")))
        // Acknowledgements that would silence the replay: unsigned, and by a non-admin.
        let seqs: JSONValue = ["seqs": .array([unsignedCheck, roleless, export, clock].map { .number(Double($0.seq)) }), "reason": "nothing to see"]
        let silentAck = try await f.forge(EntryKind.problemAcknowledged, actor: "ada", subject: "ledger", payload: seqs)
        let aliceAck = try await f.forge(EntryKind.problemAcknowledged, actor: "alice", subject: "ledger", payload: seqs,
                                         signedBy: .key(try f.privateKey(of: "alice")))
        try f.expectRejected([
            Rejection(unsignedCheck, "carries no authority signature"),
            Rejection(roleless, "'quinn' holds no role in force that may record evidence"),
            Rejection(export, "only admins and auditors generate exports"),
            Rejection(clock, "'pat' did not hold the admin role in force at this seq"),
            Rejection(silentAck, "carries no authority signature"),
            Rejection(aliceAck, "'alice' did not hold the admin role in force at this seq"),
        ])
        // Control: a genuine admin acknowledgement makes the ledger usable again, and the
        // rejected entries still change nothing.
        try await f.service.acknowledgeProblems(reason: "INC-1 investigated", by: f.admin)
        #expect(try f.problems().isEmpty)
        let state = try f.state()
        #expect(state.users["quinn"]?.roles.isEmpty == true)
        #expect(state.users["pat"]?.isAdmin == false && state.users["alice"]?.isAdmin == false)
    }
}
