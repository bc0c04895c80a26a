import AuditTesting
import Foundation
import Testing
@testable import AuditPolicy

/// Validates policy files against Schemas/approval-policy.schema.json with Python's
/// `jsonschema` (draft 2020-12) after PyYAML converts YAML to JSON, so the schema that
/// editors and CI use is itself checked against the shipped policy and the Swift loader.
@Suite("Approval policy JSON Schema")
struct ApprovalSchemaTests {
    static let validator = """
    import json, sys
    try:
        import yaml, jsonschema
    except ImportError as e:
        print("MISSING: " + str(e)); sys.exit(3)
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(open(sys.argv[2]))))
    for e in errors: print("INVALID: " + e.message)
    sys.exit(1 if errors else 0)
    """

    /// Exit status and output of the validator for the policy at `policy`.
    static func validate(_ policy: URL) throws -> (status: Int32, output: String) {
        let r = try CommandRunner.run("/usr/bin/env", ["python3", "-c", validator,
                                                      repositoryFile("Schemas/approval-policy.schema.json").path, policy.path])
        return (r.status, r.stdout + r.stderr)
    }

    static func validate(text: String) throws -> (status: Int32, output: String) {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("approval-schema-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try validate(url)
    }

    @Test func shippedPolicyValidatesAgainstSchema() throws {
        let result = try Self.validate(repositoryFile("Policies/approval.yaml"))
        try #require(result.status != 3 && result.status != 127,
                     "python3 with PyYAML and jsonschema is required for this test: \(result.output)")
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func schemaAndLoaderAgree() throws {
        let good = try Self.validate(text: testPolicyYAML)
        try #require(good.status != 3 && good.status != 127, "python3 with PyYAML and jsonschema is required: \(good.output)")
        #expect(good.status == 0, "\(good.output)")
        let broken = [
            testPolicyYAML + "\nextra: 1\n",
            testPolicyYAML.replacingOccurrences(of: "{role: ot-security, count: 1", with: "{role: ot-security, count: 0"),
            testPolicyYAML.replacingOccurrences(of: "{role: ot-security, count: 1", with: "{role: admin, count: 1"),
            testPolicyYAML.replacingOccurrences(of: "{role: ot-security, count: 1", with: "{rol: ot-security, count: 1"),
            testPolicyYAML.replacingOccurrences(of: "meanings: [approved]}\n  retire", with: "meanings: [rejected]}\n  retire"),
            testPolicyYAML.replacingOccurrences(of: "authorMaySign: true", with: "authorMaySign: 1"),
            testPolicyYAML.components(separatedBy: "  config:")[0],
        ]
        for text in broken {
            #expect(text != testPolicyYAML)
            let result = try Self.validate(text: text)
            #expect(result.status == 1, "schema accepted: \(text)")
            #expect(throws: YAMLInputError.self, "loader accepted: \(text)") {
                try ApprovalPolicy.load(bytes: Array(text.utf8), file: "x.yaml")
            }
        }
    }
}
