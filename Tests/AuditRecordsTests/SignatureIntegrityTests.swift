import AuditCore
import AuditCrypto
import AuditPolicy
@testable import AuditRecords
import Testing

/// Signatures are bound to one version of one change and to a live key of their owner;
/// the replay re-checks every `signature.added`, however it got into the ledger.
@Suite struct SignatureIntegrityTests {
    @Test func aRevokedKeysNewSignatureIsRefusedButOldOnesStillVerify() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.promote).content.changeID
        let b = try await f.propose(.promote).content.changeID
        let before = try await f.sign(a, "quinn", .approved)
        try await f.service.revokeKey(of: "quinn", keyID: nil, reason: "laptop lost", by: f.admin)
        let error = await recordsError { try await f.sign(b, "quinn", .approved) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("no active signing key"))
        // The earlier signature still verifies and counts.
        let change = try #require(f.state().changes[a])
        #expect(change.currentSignatures.map(\.seq) == [before.signature.seq])
        // A signature made with the revoked key and appended by hand does not count.
        var forged = before.signature.payload.objectValue ?? [:]
        forged["statement"] = SignedStatement(changeDigest: try #require(f.state().changes[b]).current.digest, signerID: "quinn",
                                              printedName: "Quinn QA", meaning: .approved, time: UTCTime.now(), comment: "").jsonValue
        try await f.store.append(EntryDraft(kind: EntryKind.signatureAdded, actor: "quinn", subject: b, payload: .object(forged)))
        let problems = try RecordsAudit.problems(in: f.store)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("revoked") == true)
        #expect(try f.state().changes[b]?.currentSignatures.isEmpty == true)
    }

    @Test func aSignatureCopiedOntoAnotherChangeFails() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.register).content.changeID
        let b = try await f.propose(.register).content.changeID
        let original = try await f.sign(a, "quinn", .reviewed)
        #expect(original.decision?.kind == EntryKind.changeApproved)
        try await f.store.append(EntryDraft(kind: EntryKind.signatureAdded, actor: "quinn", subject: b, payload: original.signature.payload))
        let changeB = try #require(f.state().changes[b])
        #expect(changeB.signatures.count == 1)
        #expect(changeB.signatures[0].problem?.contains("no version of") == true)
        #expect(changeB.status(policy: f.policy, now: f.clock.date).name == "pending")
    }

    @Test func forgedSignatureBytesAreRefused() async throws {
        let f = try await RecordsFixture.make()
        let a = try await f.propose(.promote).content.changeID
        let good = try await f.sign(a, "quinn", .approved)
        #expect(try RecordsAudit.problems(in: f.store).isEmpty)
        var payload = try #require(good.signature.payload.objectValue)
        var bytes = try #require(payload["signature"]?.stringValue.flatMap(Base64.decode))
        bytes[7] ^= 0x01
        payload["signature"] = .string(Base64.encode(bytes))
        try await f.store.append(EntryDraft(kind: EntryKind.signatureAdded, actor: "pat", subject: a, payload: .object(payload)))
        // Same bytes, other actor: also refused. Flipped bit under the right actor: refused.
        var mine = try #require(good.signature.payload.objectValue)
        mine["signature"] = .string(Base64.encode(bytes))
        try await f.store.append(EntryDraft(kind: EntryKind.signatureAdded, actor: "quinn", subject: a, payload: .object(mine)))
        let problems = try RecordsAudit.problems(in: f.store)
        #expect(problems.count == 2)
        #expect(problems.last?.message.contains("do not verify") == true)
        #expect(try f.state().changes[a]?.currentSignatures.count == 1)
    }

    @Test func aHandWrittenApprovalDoesNotCount() async throws {
        let f = try await RecordsFixture.make()
        let change = try await f.propose(.promote)
        try await f.store.append(EntryDraft(kind: EntryKind.changeApproved, actor: "mallory", subject: change.content.changeID,
                                            payload: ["changeDigest": .string(change.digest.prefixed),
                                                      "policyDigest": .string(f.policy.digest.prefixed)]))
        let record = try #require(f.state().changes[change.content.changeID])
        #expect(record.decision == nil)
        #expect(record.status(policy: f.policy, now: f.clock.date).name == "pending")
        #expect(try RecordsAudit.problems(in: f.store).count == 1)
    }
}
