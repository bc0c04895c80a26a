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
