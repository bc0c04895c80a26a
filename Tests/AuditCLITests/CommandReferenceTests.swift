import AuditTesting
import Foundation
import Testing

/// Docs/commands/reference is generated from `--help`; this fails when a command's help
/// changed and `scripts/gen-command-docs.sh` was not re-run, so the reference never drifts.
@Suite struct CommandReferenceTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Docs/commands/reference").standardized

    @Test func referenceMatchesHelp() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.reference.path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }
        #expect(files.count >= 25)
        for file in files {
            let text = try String(contentsOf: Self.reference.appendingPathComponent(file), encoding: .utf8)
            let title = try #require(text.split(separator: "\n").first)
            let command = title.dropFirst("# auditctl ".count).split(separator: " ").map(String.init)
            let parts = text.components(separatedBy: "```\n")
            try #require(parts.count >= 3, "\(file) has no help block")
            let r = try CommandRunner.auditctl(command + ["--help"], environment: ["COLUMNS": "80", "LINES": "25"])
            #expect(r.stdout == parts[1], "\(file) is stale: run scripts/gen-command-docs.sh")
        }
    }
}
