import AuditCore
import AuditTesting
import Foundation
import Testing

/// `auditctl verify` replays the records too: intact bytes that do not hold as e-signature
/// records (a hand-written approval, a signature by nobody) fail verification.
@Suite struct VerifyRecordsTests {
    @Test func handWrittenApprovalFailsVerify() async throws {
        let h = try RecordsHome.make()
        try h.propose("chg-1")
        #expect(try h.run(["verify"]).status == 0)
        // `append` refuses the kind outright; a tamperer with the files and the log key
        // appends it raw (chain and checkpoints stay intact).
        expectFailure(try h.run(["append", "--kind", "change.approved", "--subject", "chg-1", "--user", "alice",
                                 "--password-file", h.pw("alice")]), code: 3, contains: "cannot be appended by hand")
        let zero = "sha256:" + String(repeating: "0", count: 64)
        let forged = try await h.forge(EntryKind.changeApproved, actor: "auditctl", subject: "chg-1",
                                       payload: ["changeDigest": .string(zero), "policyDigest": .string(zero)])
        let r = try h.run(["verify", "--json"])
        #expect(r.status == 1, "\(r)")
        let report = try JSONValue.parse(r.stdout)
        let kinds = report["problems"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds == ["record-invalid"])
        #expect(report["problems"]?[0]?["seq"] == .number(Double(forged.seq)))
        #expect(r.stderr.contains("change.approved"))
        #expect(r.stderr.contains("seq \(forged.seq)"), "\(r.stderr)")
    }
}
