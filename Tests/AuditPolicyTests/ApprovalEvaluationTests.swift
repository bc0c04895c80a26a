import Foundation
import Testing
@testable import AuditPolicy

@Suite("Approval evaluation rules")
struct ApprovalEvaluationTests {
    @Test func authorCannotApproveOwnChange() throws {
        let policy = try loadTestPolicy()
        let verdict = policy.admissibility(signerID: "carol", roles: ["qa-reviewer"], meaning: .approved,
                                           changeType: .register, authorID: "carol")
        #expect(verdict == .refused(reason: .authorCannotSign))
        let result = policy.evaluate(facts(.register, author: "carol", [signature("carol", ["qa-reviewer"], .approved)]))
        #expect(result.decision == .pending(shortfalls: [Shortfall(role: "qa-reviewer", required: 1, counted: 0)]))
        #expect(result.notes.first?.outcome == .ignored(.refused(.authorCannotSign)))
        // The same signature by someone else approves: only authorship made the difference.
        let other = policy.evaluate(facts(.register, author: "dave", [signature("carol", ["qa-reviewer"], .approved)]))
        #expect(other.decision.isApproved)
    }

    @Test func authorMaySignWhenPolicySaysSo() throws {
        let policy = try loadTestPolicy()  // rollback has authorMaySign: true
        let result = policy.evaluate(facts(.rollback, author: "carol", [
            signature("carol", ["qa-reviewer"], .approved), signature("bob", ["qa-reviewer"], .approved),
        ]))
        #expect(result.decision.isApproved)
    }

    @Test func authorsOwnAuthoredSignatureIsRecordedButFillsNothing() throws {
        let policy = try loadTestPolicy()
        #expect(policy.admissibility(signerID: "carol", roles: ["author"], meaning: .authored,
                                     changeType: .register, authorID: "carol") == .allowed(asRoles: []))
        #expect(policy.admissibility(signerID: "bob", roles: ["qa-reviewer"], meaning: .authored,
                                     changeType: .register, authorID: "carol") == .refused(reason: .onlyAuthorMaySignAuthored))
        let result = policy.evaluate(facts(.register, [signature("carol", ["author"], .authored)]))
        #expect(result.notes.first?.outcome == .authorship)
        #expect(!result.decision.isApproved)
    }

    @Test func samePersonWithTwoRolesCountsOnce() throws {
        let policy = try loadTestPolicy()
        let both: Set<String> = ["qa-reviewer", "process-owner"]
        let result = policy.evaluate(facts(.promote, [
            signature("alice", both, .approved, minutes: 5), signature("alice", both, .approved, minutes: 6, ref: "again"),
        ]))
        let shortfalls = try #require(result.decision.shortfalls)
        #expect(shortfalls.map(\.missing) == [1])
        #expect(result.notes.map(\.outcome).contains(.ignored(.signerAlreadyCounted)))
        let withBob = policy.evaluate(facts(.promote, [
            signature("alice", both, .approved), signature("bob", ["qa-reviewer"], .reviewed),
        ]))
        #expect(withBob.decision.isApproved)
    }

    @Test func duplicateSignaturesByOnePersonCountOnce() throws {
        let policy = try loadTestPolicy()  // rollback needs two qa-reviewers
        let result = policy.evaluate(facts(.rollback, [
            signature("bob", ["qa-reviewer"], .approved, minutes: 1, ref: "7"),
            signature("bob", ["qa-reviewer"], .approved, minutes: 2, ref: "8"),
        ]))
        #expect(result.decision == .pending(shortfalls: [Shortfall(role: "qa-reviewer", required: 2, counted: 1)]))
        #expect(result.notes.map(\.outcome) == [.counted(role: "qa-reviewer"), .ignored(.signerAlreadyCounted)])
    }

    @Test func adminCannotSign() throws {
        let policy = try loadTestPolicy()
        let verdict = policy.admissibility(signerID: "root", roles: ["admin", "qa-reviewer"], meaning: .approved,
                                           changeType: .register, authorID: "carol")
        #expect(verdict == .refused(reason: .adminCannotSign))
        let result = policy.evaluate(facts(.register, [signature("root", ["admin", "qa-reviewer"], .approved)]))
        #expect(!result.decision.isApproved)
        #expect(result.notes.first?.outcome == .ignored(.refused(.adminCannotSign)))
    }

    @Test func wrongRoleOrMeaningIsRefused() throws {
        let policy = try loadTestPolicy()
        let wrongRole = policy.admissibility(signerID: "olga", roles: ["ot-security"], meaning: .approved,
                                             changeType: .promote, authorID: "carol")
        #expect(wrongRole == .refused(reason: .noRoleAcceptsMeaning(meaning: .approved, changeType: .promote, heldRoles: ["ot-security"])))
        // process-owner exists on promote but only with meaning "approved".
        let wrongMeaning = policy.admissibility(signerID: "pete", roles: ["process-owner"], meaning: .reviewed,
                                                changeType: .promote, authorID: "carol")
        #expect(wrongMeaning == .refused(reason: .noRoleAcceptsMeaning(meaning: .reviewed, changeType: .promote, heldRoles: ["process-owner"])))
        let right = policy.admissibility(signerID: "pete", roles: ["process-owner", "ot-security"], meaning: .approved,
                                         changeType: .promote, authorID: "carol")
        #expect(right == .allowed(asRoles: ["process-owner"]))
        let result = policy.evaluate(facts(.config, [signature("bob", ["qa-reviewer"], .approved)]))
        #expect(result.decision == .pending(shortfalls: [Shortfall(role: "ot-security", required: 1, counted: 0)]))
    }

    @Test func tooFewSignaturesLeaveItPendingWithShortfall() throws {
        let policy = try loadTestPolicy()
        let result = policy.evaluate(facts(.rollback, [signature("bob", ["qa-reviewer"], .approved)]))
        let shortfalls = try #require(result.decision.shortfalls)
        #expect(shortfalls == [Shortfall(role: "qa-reviewer", required: 2, counted: 1)])
        #expect(shortfalls.first?.missing == 1)
        #expect(shortfalls.first?.description == "qa-reviewer: 1 more signature needed (1 of 2)")
        guard case .pending = result.decision else { Issue.record("expected pending, got \(result.decision)"); return }
        let done = policy.evaluate(facts(.rollback, [signature("bob", ["qa-reviewer"], .approved),
                                                     signature("eve", ["qa-reviewer"], .approved)]))
        #expect(done.decision.isApproved)
    }

    @Test func rejectionByRequiredRoleBlocks() throws {
        let policy = try loadTestPolicy()
        let approvals = [signature("bob", ["qa-reviewer"], .approved), signature("pete", ["process-owner"], .approved)]
        #expect(policy.evaluate(facts(.promote, approvals)).decision.isApproved)
        let rejected = policy.evaluate(facts(.promote, approvals + [signature("eve", ["qa-reviewer"], .rejected, ref: "41")]))
        #expect(rejected.decision == .rejected(by: [SignatureReference(signerID: "eve", reference: "41")]))
        #expect(rejected.notes.last?.outcome == .rejects)
        // A rejection from someone holding no required role does not count.
        let outsider = policy.evaluate(facts(.promote, approvals + [signature("olga", ["ot-security"], .rejected)]))
        #expect(outsider.decision.isApproved)
    }

    @Test func expiredProposalCannotBeApproved() throws {
        let policy = try loadTestPolicy()  // register expires after 24 h
        let late = signature("bob", ["qa-reviewer"], .approved, minutes: 25 * 60)
        let result = policy.evaluate(facts(.register, nowHours: 26, [late]))
        let deadline = proposalTime.addingTimeInterval(24 * 3600)
        #expect(result.deadline == deadline)
        #expect(result.decision == .expired(deadline: deadline, shortfalls: [Shortfall(role: "qa-reviewer", required: 1, counted: 0)]))
        #expect(result.notes.first?.outcome == .ignored(.afterDeadline(deadline)))
        // Before the deadline with no signatures it is still pending, not expired.
        guard case .pending = policy.evaluate(facts(.register, nowHours: 23, [])).decision else {
            Issue.record("expected pending before the deadline"); return
        }
        // Approved in time stays approved when evaluated later.
        let inTime = policy.evaluate(facts(.register, nowHours: 30, [signature("bob", ["qa-reviewer"], .approved)]))
        #expect(inTime.decision.isApproved)
    }

    @Test func matchingFindsAssignmentGreedyOrderMisses() throws {
        let policy = try loadTestPolicy()
        // Alice (both roles) signs first; a greedy pass would put her on qa-reviewer,
        // the first requirement, leaving Bob (qa-reviewer only) with nothing to fill.
        let alice = signature("alice", ["qa-reviewer", "process-owner"], .approved, minutes: 1)
        let bob = signature("bob", ["qa-reviewer"], .approved, minutes: 2)
        let result = policy.evaluate(facts(.promote, [alice, bob]))
        guard case .approved(let assignment) = result.decision else {
            Issue.record("expected approval, got \(result.decision)"); return
        }
        #expect(assignment.map { "\($0.signerID)=\($0.role)" } == ["alice=process-owner", "bob=qa-reviewer"])
        // Order must not matter.
        #expect(policy.evaluate(facts(.promote, [bob, alice])).decision.isApproved)
    }

    @Test func matchingIsOptimalForEveryOrder() throws {
        let promote = """
          promote:
            expiresAfterHours: 24
            requirements:
              - {role: qa-reviewer, count: 1, meanings: [approved]}
              - {role: process-owner, count: 2, meanings: [approved]}
              - {role: ot-security, count: 1, meanings: [approved]}
          rollback:
        """
        let yaml = testPolicyYAML.replacing(
            #/  promote:\n(.|\n)*?  rollback:/#, with: promote)
        #expect(yaml.contains("count: 2, meanings: [approved]}\n      - {role: ot-security"))
        let policy = try ApprovalPolicy.load(bytes: Array(yaml.utf8), file: "p.yaml")
        // qa×1, po×2, ot×1 filled by four people whose roles overlap; only one assignment works.
        let people = [
            signature("a", ["qa-reviewer", "process-owner"], .approved),
            signature("b", ["process-owner", "ot-security"], .approved),
            signature("c", ["qa-reviewer", "ot-security"], .approved),
            signature("d", ["qa-reviewer"], .approved),
        ]
        for order in permutations(people) {
            #expect(policy.evaluate(facts(.promote, order)).decision.isApproved, "order \(order.map(\.signerID))")
        }
    }

    @Test func signaturesBeforeTheProposalAreIgnored() throws {
        let policy = try loadTestPolicy()
        let result = policy.evaluate(facts(.register, [signature("bob", ["qa-reviewer"], .approved, minutes: -5)]))
        #expect(!result.decision.isApproved)
        #expect(result.notes.first?.outcome == .ignored(.beforeProposal))
    }

    @Test func evaluationCarriesPolicyDigest() throws {
        let policy = try loadTestPolicy()
        #expect(policy.evaluate(facts(.register, [])).policyDigest == policy.digest)
    }
}

func permutations<T>(_ items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { index -> [[T]] in
        var rest = items
        let first = rest.remove(at: index)
        return permutations(rest).map { [first] + $0 }
    }
}
