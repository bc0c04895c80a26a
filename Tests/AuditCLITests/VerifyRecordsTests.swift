import AuditCore
import AuditTesting
import Foundation
import Testing

/// `auditctl verify` replays the records too: intact bytes that do not hold as e-signature
/// records (a hand-written approval, a signature by nobody) fail verification.
@Suite struct VerifyRecordsTests {
    @Test func handWrittenApprovalFailsVerify() throws {
        let h = try RecordsHome.make()
        try h.propose("chg-1")
        #expect(try h.run(["verify"]).status == 0)
        let forged = #"{"changeDigest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","policyDigest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#
        try h.expectOK(["append", "--kind", "change.approved", "--actor", "system", "--subject", "chg-1", "--payload", forged])
        let r = try h.run(["verify", "--json"])
        #expect(r.status == 1, "\(r)")
        let report = try JSONValue.parse(r.stdout)
        let kinds = report["problems"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds.contains("record-invalid"))
        #expect(r.stderr.contains("change.approved"))
    }
}
