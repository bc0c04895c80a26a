import AuditCore
import AuditPolicy
@testable import AuditRecords
import Testing

/// One test per approval rule, each through the real service and ledger.
@Suite struct ApprovalRulesTests {
    @Test func authorCannotApproveOwnChange() async throws {
        let f = try await RecordsFixture.make()
        // ada grants and bob confirms: alice really holds qa-reviewer, and still may not approve her own change.
        try await f.grant("qa-reviewer", to: "alice")
        #expect(try f.state().users["alice"]?.roles == ["author", "qa-reviewer"])
        let change = try await f.propose(.register)
        let error = await recordsError { try await f.sign(change.content.changeID, "alice", .approved) }
        guard case .refused(let message)? = error else { Issue.record("expected refusal, got \(String(describing: error))"); return }
        #expect(message.contains("author"))
        #expect(try f.state().changes[change.content.changeID]?.signatures.isEmpty == true)
        // The author's own `authored` signature is recorded but fills nothing.
        let authored = try await f.sign(change.content.changeID, "alice", .authored)
        #expect(authored.decision == nil)
    }

    @Test func samePersonWithTwoRolesCountsOnce() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.promote).content.changeID
        try await f.sign(id, "dual", .approved)
        try await f.sign(id, "dual", .responsibility)
        let r = try await f.sign(id, "otto", .approved)
        #expect(r.decision == nil)
        guard case .pending(let shortfalls) = r.evaluation.decision else { Issue.record("\(r.evaluation.decision)"); return }
        #expect(shortfalls.count == 1)
        let done = try await f.sign(id, "pat", .approved)
        #expect(done.decision?.kind == EntryKind.changeApproved)
    }

    @Test func adminCannotSign() async throws {
        let f = try await RecordsFixture.make()
        try await f.enroll("ben", name: "Ben Admin", roles: ["admin", "qa-reviewer"])
        let id = try await f.propose(.register).content.changeID
        let error = await recordsError { try await f.sign(id, "ben", .approved) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("admin"))
        #expect(try f.kinds().last == EntryKind.keyRegistered || f.kinds().last == EntryKind.changeProposed)
    }

    @Test func wrongRoleIsRefused() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.register).content.changeID
        let before = try f.store.size()
        let error = await recordsError { try await f.sign(id, "otto", .approved) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("no role required for 'register'"))
        #expect(try f.store.size() == before)
    }

    @Test func tooFewSignaturesLeaveTheChangePending() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.promote).content.changeID
        try await f.sign(id, "quinn", .approved)
        try await f.sign(id, "pat", .approved)
        let status = try #require(f.state().changes[id]).status(policy: f.policy, now: f.clock.date)
        guard case .pending(let shortfalls) = status else { Issue.record("\(status)"); return }
        #expect(shortfalls.map(\.role) == ["ot-security"])
        #expect(try !f.kinds().contains(EntryKind.changeApproved))
    }

    @Test func aRejectionBlocks() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.promote).content.changeID
        try await f.sign(id, "quinn", .approved)
        try await f.sign(id, "pat", .approved)
        let r = try await f.sign(id, "otto", .rejected)
        #expect(r.decision?.kind == EntryKind.changeRejected)
        #expect(try f.state().changes[id]?.status(policy: f.policy, now: f.clock.date) == .rejected(seq: r.decision!.seq))
        let error = await recordsError { try await f.sign(id, "dual", .approved) }
        guard case .conflict? = error else { Issue.record("\(String(describing: error))"); return }
    }

    @Test func anExpiredProposalCannotBeApproved() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.rollback).content.changeID   // rollback expires after 8 hours
        f.clock.advance(9 * 3600)
        let before = try f.store.size()
        let error = await recordsError { try await f.sign(id, "pat", .approved) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("expired"))
        #expect(try f.store.size() == before)
        let status = try #require(f.state().changes[id]).status(policy: f.policy, now: f.clock.date)
        guard case .expired = status else { Issue.record("\(status)"); return }
    }

    @Test func aNewVersionLosesTheOldApprovals() async throws {
        let f = try await RecordsFixture.make()
        let first = try await f.propose(.promote, id: "chg-line3")
        try await f.sign("chg-line3", "quinn", .approved)
        try await f.sign("chg-line3", "pat", .approved)
        let second = try await f.propose(.promote, id: "chg-line3", version: "1.1")
        #expect(second.digest != first.digest)
        #expect(second.content.previous == first.digest)
        let r = try await f.sign("chg-line3", "otto", .approved)
        #expect(r.decision == nil)
        guard case .pending(let shortfalls) = r.evaluation.decision else { Issue.record("\(r.evaluation.decision)"); return }
        #expect(Set(shortfalls.map(\.role)) == ["qa-reviewer", "process-owner"])
        let change = try #require(f.state().changes["chg-line3"])
        #expect(change.signatures.count == 3)
        #expect(change.currentSignatures.count == 1)
    }

    @Test func aChangedPolicyFileMustBeRecordedFirst() async throws {
        let f = try await RecordsFixture.make()
        let id = try await f.propose(.register).content.changeID
        let edited = try ApprovalPolicy.load(bytes: Array((try String(contentsOfFile: RecordsFixture.policyPath, encoding: .utf8) + "# edited\n").utf8),
                                             file: "approval.yaml")
        let error = await recordsError {
            _ = try await f.service.sign(changeID: id, meaning: .approved, comment: "", policy: edited, as: RecordsFixture.creds("quinn"))
        }
        guard case .policyNotRecorded(_, let digest, let recorded)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(digest == edited.digest && recorded == f.policy.digest)
    }
}
