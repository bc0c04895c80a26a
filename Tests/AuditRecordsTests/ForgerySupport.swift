import AuditCore
import AuditCrypto
@testable import AuditRecords
import AuditTesting
import Foundation
import Testing

/// What every forgery test asserts: the replay rejects exactly these entries — each named by
/// its seq and kind, with the reason — in ledger order, and no state-based command acts on
/// the ledger (`state()` refuses with `.needsAttention` naming the first one).
struct Rejection {
    let entry: Entry
    let reason: String
    init(_ entry: Entry, _ reason: String) {
        self.entry = entry
        self.reason = reason
    }
}

extension TestRecords {
    func expectRejected(_ expected: [Rejection], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try problems()
        #expect(problems.map(\.seq) == expected.map(\.entry.seq), "\(problems)", sourceLocation: sourceLocation)
        for (problem, rejection) in zip(problems, expected) {
            #expect(problem.kind == rejection.entry.kind, "\(problem)", sourceLocation: sourceLocation)
            #expect(problem.message.contains(rejection.reason), "seq \(problem.seq): '\(problem.message)' lacks '\(rejection.reason)'",
                    sourceLocation: sourceLocation)
        }
        var caught: RecordsError?
        do { _ = try service.state() } catch { caught = error }
        guard case .needsAttention(let first, let count)? = caught else {
            Issue.record("state() did not refuse with needsAttention: \(String(describing: caught))", sourceLocation: sourceLocation)
            return
        }
        #expect(first.seq == expected.first?.entry.seq && count == expected.count, "\(String(describing: caught))", sourceLocation: sourceLocation)
        #expect(caught?.description.hasPrefix("the ledger needs attention: \(count) entr") == true, sourceLocation: sourceLocation)
    }

    /// The current digest of `change` as the replay sees it.
    func digest(of change: String) throws -> Digest {
        try #require(replayed().changes[change]).current.digest
    }

    func keyID(of id: String) throws -> Digest {
        try #require(replayed().users[id]?.activeKey?.keyID)
    }
}

/// Expects `body` to fail with `.needsAttention` naming `seq` as the first rejected entry.
func expectNeedsAttention(first seq: Int, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () async throws -> Void) async {
    let error = await recordsError(body)
    guard case .needsAttention(let first, _)? = error else {
        Issue.record("expected needsAttention, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(first.seq == seq, sourceLocation: sourceLocation)
}
