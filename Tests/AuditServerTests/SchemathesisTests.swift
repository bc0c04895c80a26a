import AuditTesting
import Foundation
import Testing

/// schemathesis (PyPI) generates requests from Schemas/openapi.yaml against the live
/// server: no server error and no response outside the contract (status codes, content
/// types, schemas). Once as a QA reviewer, once as an admin, so both sides of every role
/// check are exercised. `make deps` installs schemathesis, so CI runs this.
@Suite struct SchemathesisTests {
    static var schemathesis: String? {
        let candidates = ["/usr/local/bin/schemathesis", "/usr/bin/schemathesis", NSHomeDirectory() + "/.local/bin/schemathesis"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/schemathesis" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: schemathesis != nil, "schemathesis run skipped: not installed (pip install schemathesis; `make deps` does)"))
    func theLiveServerConformsToItsOpenAPIContract() async throws {
        let f = try await ServerFixture.make(changes: 3)
        let reports = f.directory.file("schemathesis")
        try await f.live { client, _ in
            for who in ["quinn", "ada"] {
                let login = try await client.login(who)
                let tool = Self.schemathesis!, port = client.port
                let r = try await onOwnThread { try CommandRunner.run(tool, [
                    "run", ServerFixture.specPath, "--url", "http://127.0.0.1:\(port)",
                    "-H", "Authorization: Bearer \(login.token)",
                    "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "--exclude-operation-id", "logout", "--exclude-operation-id", "changePassword",
                    "--phases", "examples,coverage,fuzzing", "--max-examples", "20", "--seed", "11", "--workers", "1", "--no-shrink",
                    "--report", "junit", "--report-dir", "\(reports)/\(who)",
                ], environment: ["NO_COLOR": "1", "PYTHONUNBUFFERED": "1"]) }
                let summary = r.stdout.split(separator: "\n").filter {
                    $0.contains("generated") || $0.contains("passed") || $0.contains("failed") || $0.contains("errors") || $0.contains("cases")
                }.suffix(6).joined(separator: "\n")
                print("schemathesis as \(who): exit \(r.status)\n\(summary)")
                #expect(r.status == 0, "schemathesis as \(who) found problems:\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(2000))")
            }
        }
    }
}
