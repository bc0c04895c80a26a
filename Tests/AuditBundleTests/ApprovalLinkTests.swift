import AuditBundle
import AuditCore
import AuditCrypto
import AuditRecords
import Foundation
import Testing

/// The `change.approved` payload binds to exactly one change record version (P13).
@Suite struct ApprovalLinkTests {
    func entry(_ payload: JSONValue) -> Entry {
        Entry(seq: 9, time: "2026-03-02T10:00:00.000Z", kind: EntryKind.changeApproved, actor: "system",
              subject: "chg-1", payload: payload, prev: .zero)
    }

    @Test func readsTheRecordsPayload() throws {
        let digest = SHA256.hash("bundle")
        let change = try LedgerApprovalLink().approvedChange(from: entry(
            BundleFixture.approvalPayload(changeID: "chg-1", digest: digest, version: "1.2.0", zones: ["line-3"])))
        #expect(change.changeID == "chg-1")
        #expect(change.bundleDigest == digest)
        #expect(change.zones == ["line-3"])
        #expect(change.authorID == "dana")
    }

    @Test func aRecordThatDoesNotHashToTheApprovedDigestIsRefused() {
        guard case .object(var p) = BundleFixture.approvalPayload(changeID: "chg-1", digest: SHA256.hash("bundle"),
                                                                  version: "1.2.0", zones: ["line-3"]),
              case .object(var change) = p["change"] else { Issue.record("fixture shape"); return }
        change["modelVersion"] = "9.9.9" // edited after approval
        p["change"] = .object(change)
        #expect(throws: ApprovalLinkError.self) { try LedgerApprovalLink().approvedChange(from: entry(.object(p))) }
    }

    @Test func aChangeWithoutABundleDigestCannotBeDeployed() {
        let content = ChangeRecordContent(changeID: "chg-1", changeType: .promote, model: "m", modelVersion: "1.0.0",
                                          reason: "r", authorID: "dana", artifactDigest: nil, targetZone: nil, previous: nil)
        let p: JSONValue = .object(["changeId": "chg-1", "change": content.jsonValue, "changeDigest": .string(content.digest.prefixed),
                                    "proposedAt": "2026-03-01T09:00:00.000Z"])
        #expect(throws: ApprovalLinkError.self) { try LedgerApprovalLink().approvedChange(from: entry(p)) }
    }
}
