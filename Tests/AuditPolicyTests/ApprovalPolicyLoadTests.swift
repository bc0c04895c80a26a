import AuditCore
import AuditCrypto
import Foundation
import Testing
@testable import AuditPolicy

/// Loads `yaml` as `bad.yaml` and returns the error it must produce.
private func loadError(_ yaml: String) -> YAMLInputError? {
    do {
        _ = try ApprovalPolicy.load(bytes: Array(yaml.utf8), file: "bad.yaml")
        return nil
    } catch {
        return error
    }
}

/// The test policy with one line replaced, so each case breaks exactly one thing.
private func mutated(_ old: String, _ new: String) -> String {
    if !testPolicyYAML.contains(old) { Issue.record("fixture drifted: \(old) not found") }
    return testPolicyYAML.replacingOccurrences(of: old, with: new)
}

/// 1-based line of the first line containing `text` in `yaml`.
private func line(of text: String, in yaml: String) -> Int? {
    yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }.map { $0 + 1 }
}

@Suite("Approval policy loading")
struct ApprovalPolicyLoadTests {
    @Test func testPolicyLoads() throws {
        let policy = try loadTestPolicy()
        #expect(policy.roles == ["author", "qa-reviewer", "process-owner", "ot-security", "admin"])
        #expect(policy.promote.requirements.map(\.role) == ["qa-reviewer", "process-owner"])
        #expect(policy.promote.requirements[0].meanings == [.reviewed, .approved])
        #expect(policy.promote.authorMaySign == false)  // default
        #expect(policy.rollback.authorMaySign == true)
        #expect(policy.rollback.requirements[0].count == 2)
        #expect(policy.rollback.expiresAfterHours == 8)
        #expect(policy.promote.requirements[1].line == line(of: "role: process-owner, count: 1", in: testPolicyYAML))
        #expect(policy.digest == SHA256.hash(Array(testPolicyYAML.utf8)))
    }

    @Test func unknownKeyNamesFileLineAndAllowedKeys() throws {
        let yaml = mutated("{role: qa-reviewer, count: 2, meanings: [approved]}", "{rol: qa-reviewer, count: 2, meanings: [approved]}")
        let error = try #require(loadError(yaml))
        #expect(error.file == "bad.yaml")
        #expect(error.line == line(of: "rol: qa-reviewer, count: 2", in: yaml))
        #expect(error.message == "unknown key 'rol' in requirement 1 of 'rollback' (allowed: role, count, meanings)")
        let topLevel = try #require(loadError(testPolicyYAML + "\nextra: 1\n"))
        #expect(topLevel.message.contains("unknown key 'extra'"))
        #expect(topLevel.line == line(of: "extra: 1", in: testPolicyYAML + "\nextra: 1\n"))
        let ruleLevel = try #require(loadError(mutated("    authorMaySign: true", "    authorMaySigns: true")))
        #expect(ruleLevel.message.contains("allowed: requirements, authorMaySign, expiresAfterHours"))
    }

    @Test func unknownRoleNamesItsLine() throws {
        let yaml = mutated("{role: ot-security, count: 1", "{role: ot-securty, count: 1")
        let error = try #require(loadError(yaml))
        #expect(error.message.hasPrefix("unknown role 'ot-securty'"))
        #expect(error.line == line(of: "ot-securty", in: yaml))
        #expect(error.description.hasPrefix("bad.yaml:\(error.line ?? 0):"))
    }

    @Test func badCountsAreRefusedWithLine() throws {
        for bad in ["0", "-1", "two", "1.5", "\"1\"", "17"] {
            let yaml = mutated("{role: ot-security, count: 1", "{role: ot-security, count: \(bad)")
            let error = try #require(loadError(yaml), "count \(bad)")
            #expect(error.message.contains("'count' in requirement 1 of 'config': expected an integer from 1 to 16"), "\(error)")
            #expect(error.line == line(of: "ot-security, count:", in: yaml))
        }
    }

    @Test func malformedYAMLNamesFileAndLine() throws {
        let yaml = mutated("  retire:\n", "  retire: [\n")
        let error = try #require(loadError(yaml))
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.file == "bad.yaml")
        #expect((error.line ?? 0) >= line(of: "retire: [", in: yaml) ?? Int.max)
    }

    @Test func everyChangeTypeMustBeDefined() throws {
        let yaml = testPolicyYAML.components(separatedBy: "  config:")[0]
        let error = try #require(loadError(yaml))
        #expect(error.message.contains("missing: config"))
        #expect(error.line == line(of: "changeTypes:", in: yaml))
    }

    @Test func adminRoleCannotBeRequired() throws {
        let yaml = mutated("{role: ot-security, count: 1", "{role: admin, count: 1")
        let error = try #require(loadError(yaml))
        #expect(error.message.contains("'admin' can never sign"))
        #expect(error.line == line(of: "role: admin", in: yaml))
    }

    @Test func rejectedIsNotACountingMeaning() throws {
        let yaml = mutated("{role: ot-security, count: 1, meanings: [approved]}", "{role: ot-security, count: 1, meanings: [approved, rejected]}")
        let error = try #require(loadError(yaml))
        #expect(error.message.contains("'rejected' never counts"))
        #expect(error.line == line(of: "approved, rejected", in: yaml))
        let unknown = try #require(loadError(mutated("meanings: [approved]}\n  retire", "meanings: [aproved]}\n  retire")))
        #expect(unknown.message.contains("unknown value 'aproved'"))
    }

    @Test func duplicatesAndVersionAreChecked() throws {
        let twice = try #require(loadError(mutated("roles: [author, qa-reviewer,", "roles: [author, qa-reviewer, author,")))
        #expect(twice.message.contains("role 'author' is declared twice"))
        let sameRole = mutated("      - {role: process-owner, count: 1, meanings: [approved]}\n  rollback",
                               "      - {role: process-owner, count: 1, meanings: [approved]}\n      - {role: qa-reviewer, count: 1, meanings: [approved]}\n  rollback")
        let dupRequirement = try #require(loadError(sameRole))
        #expect(dupRequirement.message.contains("already has a requirement in 'promote'"))
        let version = try #require(loadError(mutated("version: 1", "version: 2")))
        #expect(version.message.contains("unsupported policy version 2"))
        #expect(version.line == 1)
        let expiry = try #require(loadError(mutated("expiresAfterHours: 8", "expiresAfterHours: 0")))
        #expect(expiry.message.contains("'expiresAfterHours'"))
        #expect(expiry.line == line(of: "expiresAfterHours: 0", in: mutated("expiresAfterHours: 8", "expiresAfterHours: 0")))
        let flag = try #require(loadError(mutated("authorMaySign: true", "authorMaySign: yes")))
        #expect(flag.message.contains("expected true or false"))
    }

    @Test func shippedPolicyLoads() throws {
        let url = repositoryFile("Policies/approval.yaml")
        let bytes = try [UInt8](Data(contentsOf: url))
        let policy = try ApprovalPolicy.load(bytes: bytes, file: "approval.yaml")
        #expect(policy.roles.contains(ApprovalPolicy.adminRole))
        #expect(policy.promote.requirements.count == 3)
        #expect(policy.digest == SHA256.hash(bytes))
        for type in ChangeType.allCases {
            #expect(!policy.rule(for: type).requirements.isEmpty)
            #expect(!policy.rule(for: type).requiredRoles.contains(ApprovalPolicy.adminRole))
        }
    }
}
