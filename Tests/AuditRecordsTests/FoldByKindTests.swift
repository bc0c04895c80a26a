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
        for i in 0..<5 { try await f.store.append(TestLedger.sampleDraft(i)) }
        #expect(try f.state().changes[v.content.changeID] != nil)
        let full = RecordsState.fold(try f.store.entries())
        let indexed = try RecordsState.fold(store: f.store)
        #expect(indexed.size == full.size)
        #expect(indexed.users == full.users)
        #expect(indexed.changes == full.changes)
        #expect(indexed.policyDigest == full.policyDigest)
        #expect(indexed.problems == full.problems)
        #expect(!indexed.users.isEmpty)
    }
}
