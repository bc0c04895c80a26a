import AuditCore
import AuditLedger
import AuditRecords
import AuditTesting
import Foundation
import Testing

/// Folding only the kinds records read must give the same state as folding everything.
@Suite struct FoldByKindTests {
    @Test func indexedFoldEqualsFullFold() async throws {
        let f = try await RecordsFixture.make()
        let v = try await f.propose()
        // Raw entries of kinds records do not read, and some of folded kinds the replay
        // rejects (unsigned deployment decisions): both folds must see the same problems too.
        for i in 0..<5 { try await f.store.append(TestLedger.sampleDraft(i)) }
        for i in 0..<3 {
            try await f.forge(EntryKind.deploymentVerified, actor: "edge-\(i)", subject: v.content.changeID, payload: ["n": .number(Double(i))])
        }
        #expect(try f.replayed().changes[v.content.changeID] != nil)
        let full = RecordsState.fold(try f.store.entries())
        let indexed = try RecordsState.fold(store: f.store)
        #expect(indexed.size == full.size)
        #expect(indexed.users == full.users)
        #expect(indexed.changes == full.changes)
        #expect(indexed.policyDigest == full.policyDigest)
        #expect(indexed.problems == full.problems)
        #expect(!indexed.users.isEmpty)
        #expect(!indexed.problems.isEmpty)
    }
}

/// The replay is a function of the entries: folding the same ledger again, in a fresh
/// state, gives the same users, histories and listing order (no Set or Dictionary order leaks).
@Suite struct ReplayDeterminismTests {
    @Test func foldingTwiceGivesTheSameStateAndOrder() async throws {
        let f = try await RecordsFixture.make()
        try await f.grant("auditor", to: "dual")
        let entries = try f.store.entries()
        let first = RecordsState.fold(entries)
        for _ in 0..<20 {
            let again = RecordsState.fold(entries)
            #expect(again.users == first.users)
            #expect(again.userIDsInOrder == first.userIDsInOrder)
        }
        #expect(first.userIDsInOrder == ["ada", "bob", "alice", "quinn", "pat", "otto", "dual"])
        // dual's two roles, granted and confirmed at one seq each, are listed in a fixed order.
        let dual = try #require(first.users["dual"]).history.map(\.detail)
        #expect(dual.filter { $0.hasPrefix("process-owner") || $0.hasPrefix("qa-reviewer") } ==
                ["process-owner", "qa-reviewer", "process-owner (granted at seq \(first.users["dual"]!.addedSeq))",
                 "qa-reviewer (granted at seq \(first.users["dual"]!.addedSeq))"])
    }
}
