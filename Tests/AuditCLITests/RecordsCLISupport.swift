import AuditCore
import AuditTesting
import Foundation
import Testing

/// The CLI tests' data directory is the shared `TestRecordsHome` (AuditTesting), driven
/// through the binary: `init` with founding admins ada and bob, the policy recorded by ada
/// and confirmed by bob, and alice (author), quinn (qa-reviewer), pat (process-owner)
/// enrolled by ada, rotated to their own passwords and confirmed by bob.
typealias RecordsHome = TestRecordsHome

extension TestRecordsHome {
    /// The shipped approval policy (`AUDITCTL_APPROVAL_POLICY` unless security overrides were given).
    static var policy: String { TestCast.approvalPolicyPath }

    func expectOK(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(args)
        #expect(r.status == 0, "\(args.prefix(2)): \(r)", sourceLocation: sourceLocation)
    }
}

/// Every failure is one `error:` line and one `hint:` line, nothing on stdout.
func expectFailure(_ r: CommandResult, code: Int32, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == code, "\(r)", sourceLocation: sourceLocation)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 2 && lines.first?.hasPrefix("error: ") == true && lines.last?.hasPrefix("hint: ") == true,
            "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
}
