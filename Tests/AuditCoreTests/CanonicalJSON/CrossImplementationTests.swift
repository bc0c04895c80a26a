import AuditCore
import AuditTesting
import Foundation
import Testing

/// Compares our canonical bytes with an independent RFC 8785 implementation, the PyPI
/// package `rfc8785` (Trail of Bits), on random documents. Python's json.loads parses floats
/// exactly, so both sides start from the same doubles. CI installs python3 and `rfc8785`;
/// when they are missing this test fails rather than passing without checking anything.
@Suite struct CrossImplementationTests {
    static let documentCount = 400

    /// Reads one document per line from argv[1], writes the hex of each canonical form to argv[2].
    static let script = """
        import sys, json
        try:
            import rfc8785
        except ImportError as error:
            sys.stderr.write("python module rfc8785 is not installed (pip install rfc8785): %s\\n" % error)
            sys.exit(3)
        lines = open(sys.argv[1], "rb").read().split(b"\\n")
        out = [rfc8785.dumps(json.loads(line.decode("utf-8"))).hex() for line in lines if line]
        open(sys.argv[2], "w").write("\\n".join(out))
        """

    @Test func matchesPythonRFC8785() throws {
        var random = RandomJSON(seed: 0x8785)
        var documents: [String] = []
        var ours: [[UInt8]] = []
        for _ in 0..<Self.documentCount {
            let value = random.value()
            let text = random.noncanonicalText(value)
            let parsed = try JSONValue.parse(text, source: "random.json")
            let canonical = parsed.canonicalBytes()
            // Parsing the messy text gives the same canonical bytes as the value it came from.
            #expect(canonical == value.canonicalBytes(), "\(text)")
            documents.append(text)
            ours.append(canonical)
        }

        let theirs = try Self.runPython(documents)
        try #require(theirs.count == documents.count, "python returned \(theirs.count) results for \(documents.count) documents")
        var mismatches = 0
        for index in documents.indices where ours[index] != theirs[index] {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record("""
                    document \(index) differs
                    input:  \(documents[index])
                    ours:   \(String(decoding: ours[index], as: UTF8.self))
                    python: \(String(decoding: theirs[index], as: UTF8.self))
                    """)
            }
        }
        #expect(mismatches == 0)
    }

    private static func runPython(_ documents: [String]) throws -> [[UInt8]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jcs-crosscheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("documents.jsonl")
        let output = directory.appendingPathComponent("canonical.hex")
        try Data(documents.joined(separator: "\n").utf8).write(to: input)

        let result: CommandResult
        do {
            result = try CommandRunner.run("/usr/bin/env", ["python3", "-c", script, input.path, output.path])
        } catch {
            throw VectorFiles.Missing(description: "cannot start python3 (needed for the rfc8785 cross-check; CI installs it): \(error)")
        }
        guard result.status == 0 else {
            let reason = result.status == 127
                ? "python3 not found on PATH (needed for the rfc8785 cross-check; CI installs it)"
                : "python3 rfc8785 cross-check failed (status \(result.status)): \(result.stderr)"
            throw VectorFiles.Missing(description: reason)
        }
        let text = String(decoding: try Data(contentsOf: output), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { Hex.decode(String($0)) ?? [] }
    }
}
