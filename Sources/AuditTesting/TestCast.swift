import Foundation

/// The people every records fixture uses, their passwords, and the shipped approval policy
/// with optional `security:` overrides. One cast for the service-level fixture
/// (`TestRecords`) and the binary-level one (`TestRecordsHome`), so both tell the same story:
/// two founding admins (ada, bob) bound in `ledger.created`; everyone else enrolled by ada
/// with a one-time password, replaced by their own key rotation, and confirmed by bob.
public enum TestCast {
    public struct Person: Sendable, Equatable {
        public let id: String
        public let name: String
        public let roles: [String]
        public init(_ id: String, _ name: String, _ roles: [String]) {
            self.id = id
            self.name = name
            self.roles = roles
        }
    }

    /// The founding admins: `ada` enrolls, `bob` confirms (no single admin creates a signer).
    public static let founders = [Person("ada", "Ada Admin", ["admin"]), Person("bob", "Bob Admin", ["admin"])]
    public static let enroller = "ada"
    public static let confirmer = "bob"

    public static let alice = Person("alice", "Alice Author", ["author"])
    public static let quinn = Person("quinn", "Quinn QA", ["qa-reviewer"])
    public static let pat = Person("pat", "Pat Process", ["process-owner"])
    public static let otto = Person("otto", "Otto Security", ["ot-security"])
    public static let dual = Person("dual", "Dana Dual", ["qa-reviewer", "process-owner"])
    /// Everyone the default service fixture enrolls, in order.
    public static let people = [alice, quinn, pat, otto, dual]

    public static func password(_ id: String) -> String { "\(id)-password-1" }
    public static func oneTimePassword(_ id: String) -> String { "one-time-\(id)-pass" }

    /// `Policies/approval.yaml` in this checkout.
    public static let approvalPolicyPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/approval.yaml").standardized.path
    /// `Policies/examples/` in this checkout.
    public static let policyExamples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/examples").standardized.path

    /// The shipped approval policy, with `security:` values replaced (e.g.
    /// `["lockoutThreshold": "3"]`). The limits live in the recorded policy, never in the
    /// environment, so a test that needs a lower threshold records (and confirms) this text.
    public static func approvalPolicyText(security overrides: [String: String] = [:]) throws -> String {
        var lines = try String(contentsOfFile: approvalPolicyPath, encoding: .utf8).components(separatedBy: "\n")
        for (key, value) in overrides {
            guard let i = lines.firstIndex(where: { $0.hasPrefix("  \(key):") }) else {
                throw FixtureError("the approval policy has no security key '\(key)'")
            }
            lines[i] = "  \(key): \(value)"
        }
        return lines.joined(separator: "\n")
    }
}

/// A fixture step that did not do what it must (the message names the step and output).
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
