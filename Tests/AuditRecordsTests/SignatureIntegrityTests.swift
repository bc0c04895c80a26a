import AuditCore
import AuditCrypto
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Testing

/// Signatures are bound to one version of one change and to a live key of their owner;
/// the replay re-checks every `signature.added`, however it got into the ledger. The
/// forgeries here are appended raw, their entry authority made with the actor's own key
/// (the tamperer holds it), so what fails is the e-signature itself.
@Suite struct SignatureIntegrityTests {
    /// A stored signature.added payload without its entry authority, ready to be re-appended.
    static func unsigned(_ entry: Entry) throws -> [String: JSONValue] {
        try #require(EntryAuthority.unsignedPayload(entry.payload).objectValue)
    }

    @Test func aRevokedKeysNewSignatureIsRefusedButOldOnesStillVerify() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.promote).content.changeID
        let b = try await f.propose(.promote).content.changeID
        let before = try await f.sign(a, "quinn", .approved)
        let quinnKey = try f.openKey("quinn")
        try await f.service.revokeKey(of: "quinn", keyID: nil, reason: "laptop lost", by: f.admin)
        let error = await recordsError { try await f.sign(b, "quinn", .approved) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("no active signing key"))
        // The earlier signature still verifies and counts.
        let change = try #require(f.state().changes[a])
        #expect(change.currentSignatures.map(\.seq) == [before.signature.seq])
        // A signature made with the revoked key and appended by hand does not count.
        var forged = try Self.unsigned(before.signature)
        forged["statement"] = SignedStatement(changeDigest: try #require(f.state().changes[b]).current.digest, signerID: "quinn",
                                              printedName: "Quinn QA", meaning: .approved, time: UTCTime.now(), comment: "").jsonValue
        let entry = try await f.forge(EntryKind.signatureAdded, actor: "quinn", subject: b, payload: .object(forged), signedBy: .key(quinnKey))
        let problems = try RecordsAudit.problems(in: f.store)
        #expect(problems.map(\.seq) == [entry.seq])
        #expect(problems.first?.message.contains("which was revoked at this seq") == true, "\(problems)")
        #expect(try f.replayed().changes[b]?.currentSignatures.isEmpty == true)
        #expect(try f.replayed().changes[a]?.currentSignatures.map(\.seq) == [before.signature.seq])
    }

    @Test func aSignatureCopiedOntoAnotherChangeFails() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.register).content.changeID
        let b = try await f.propose(.register).content.changeID
        let original = try await f.sign(a, "quinn", .reviewed)
        #expect(original.decision?.kind == EntryKind.changeApproved)
        let copy = try await f.forge(EntryKind.signatureAdded, actor: "quinn", subject: b,
                                     payload: .object(try Self.unsigned(original.signature)), signedBy: .key(try f.openKey("quinn")))
        let changeB = try #require(f.replayed().changes[b])
        #expect(changeB.signatures.count == 1)
        #expect(changeB.signatures[0].seq == copy.seq)
        #expect(changeB.signatures[0].problem?.contains("no version of") == true)
        #expect(changeB.status(policy: f.policy, now: f.clock.date).name == "pending")
        #expect(try f.problems().map(\.seq) == [copy.seq])
    }

    @Test func forgedSignatureBytesAreRefused() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.promote).content.changeID
        let good = try await f.sign(a, "quinn", .approved)
        #expect(try RecordsAudit.problems(in: f.store).isEmpty)
        var payload = try Self.unsigned(good.signature)
        var bytes = try #require(payload["signature"]?.stringValue.flatMap(Base64.decode))
        bytes[7] ^= 0x01
        payload["signature"] = .string(Base64.encode(bytes))
        // Same bytes, other actor: also refused. Flipped bit under the right actor: refused.
        let asPat = try await f.forge(EntryKind.signatureAdded, actor: "pat", subject: a, payload: .object(payload),
                                      signedBy: .key(try f.openKey("pat")))
        var mine = try Self.unsigned(good.signature)
        mine["signature"] = .string(Base64.encode(bytes))
        let asQuinn = try await f.forge(EntryKind.signatureAdded, actor: "quinn", subject: a, payload: .object(mine),
                                        signedBy: .key(try f.openKey("quinn")))
        let problems = try RecordsAudit.problems(in: f.store)
        #expect(problems.map(\.seq) == [asPat.seq, asQuinn.seq])
        #expect(problems.first?.message.contains("signer 'quinn' is not the entry's actor") == true, "\(problems)")
        #expect(problems.last?.message.contains("do not verify") == true)
        #expect(try f.replayed().changes[a]?.currentSignatures.count == 1)
    }

    @Test func aHandWrittenApprovalDoesNotCount() async throws {
        let f = try await RecordsFixture.make()
        let change = try await f.propose(.promote)
        let forged = try await f.forge(EntryKind.changeApproved, actor: "mallory", subject: change.content.changeID,
                                       payload: ["changeDigest": .string(change.digest.prefixed),
                                                 "policyDigest": .string(f.policy.digest.prefixed)])
        let record = try #require(f.replayed().changes[change.content.changeID])
        #expect(record.decision == nil)
        #expect(record.status(policy: f.policy, now: f.clock.date).name == "pending")
        let problems = try RecordsAudit.problems(in: f.store)
        #expect(problems.map(\.seq) == [forged.seq])
        #expect(problems.first?.message == "decisions are written by auditctl, not 'mallory'")
        // Commands refuse to act on a ledger that holds it.
        let refused = await recordsError { try await f.sign(change.content.changeID, "quinn", .approved) }
        guard case .needsAttention(let first, let count)? = refused else { Issue.record("\(String(describing: refused))"); return }
        #expect(first.seq == forged.seq && count == 1)
    }
}
