import Foundation
@testable import AuditPolicy

/// A compact policy whose rules the approval tests exercise one at a time.
let testPolicyYAML = """
version: 1
roles: [author, qa-reviewer, process-owner, ot-security, admin]
changeTypes:
  register:
    expiresAfterHours: 24
    requirements:
      - {role: qa-reviewer, count: 1, meanings: [reviewed, approved]}
  promote:
    expiresAfterHours: 24
    requirements:
      - {role: qa-reviewer, count: 1, meanings: [reviewed, approved]}
      - {role: process-owner, count: 1, meanings: [approved]}
  rollback:
    expiresAfterHours: 8
    authorMaySign: true
    requirements:
      - {role: qa-reviewer, count: 2, meanings: [approved]}
  retire:
    expiresAfterHours: 24
    requirements:
      - {role: process-owner, count: 1, meanings: [approved]}
  config:
    expiresAfterHours: 24
    requirements:
      - {role: ot-security, count: 1, meanings: [approved]}
"""

func loadTestPolicy() throws -> ApprovalPolicy {
    try ApprovalPolicy.load(bytes: Array(testPolicyYAML.utf8), file: "test-policy.yaml")
}

let proposalTime = Date(timeIntervalSince1970: 1_800_000_000)

/// A signature `minutes` after the proposal.
func signature(_ signer: String, _ roles: Set<String>, _ meaning: Meaning, minutes: Double = 10, ref: String? = nil) -> SignatureFact {
    SignatureFact(signerID: signer, roles: roles, meaning: meaning,
                  signedAt: proposalTime.addingTimeInterval(minutes * 60), reference: ref ?? "\(signer)-\(meaning.rawValue)")
}

func facts(_ type: ChangeType, author: String = "carol", nowHours: Double = 1, _ signatures: [SignatureFact]) -> ApprovalFacts {
    ApprovalFacts(changeType: type, authorID: author, proposedAt: proposalTime,
                  now: proposalTime.addingTimeInterval(nowHours * 3600), signatures: signatures)
}

extension ApprovalDecision {
    var isApproved: Bool { if case .approved = self { return true } else { return false } }
    var shortfalls: [Shortfall]? {
        switch self {
        case .pending(let shortfalls), .expired(_, let shortfalls): return shortfalls
        default: return nil
        }
    }
}

/// Path of a file in the repository, from this test file's location.
func repositoryFile(_ relative: String, from path: String = #filePath) -> URL {
    URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative)
}
