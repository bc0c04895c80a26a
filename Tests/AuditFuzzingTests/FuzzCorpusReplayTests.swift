import AuditFuzzing
import Foundation
import Testing

/// CI's fuzz smoke pass: every committed seed and every input fuzzing ever kept (crash
/// regressions included) goes through the same harness bodies libFuzzer runs, without a
/// sanitizer build. `make fuzz` does the real coverage-guided runs.
@Suite struct FuzzCorpusReplayTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz").path

    static func files(_ target: String) -> [String] {
        let dir = corpusRoot + "/" + target
        guard let enumerator = FileManager.default.enumerator(atPath: dir) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir) && !isDir.boolValue
        }.sorted().map { dir + "/" + $0 }
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func corpusHoldsTheProperty(target name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let inputs = Self.files(name)
        // A harness without seeds would pass vacuously.
        #expect(inputs.count >= 3, "Tests/Fuzz/\(name) needs seed inputs")
        for path in inputs {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            do { try target.body(bytes) } catch {
                Issue.record("\(path): \(error)")
            }
        }
    }

    /// Seeds must reach past the parser's front door, or fuzzing starts from nothing.
    @Test(arguments: ["json", "signature-file", "statement", "approval-proof", "trust-root", "edge-state",
                      "checkpoint", "note-keys", "yaml-approval-policy", "yaml-topology", "yaml-zone-rules", "signed-note"])
    func someSeedsAreAccepted(target name: String) throws {
        let accepted = Self.files(name).filter { path in
            guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) else { return false }
            return FuzzSeedCheck.accepts(name, bytes)
        }
        #expect(!accepted.isEmpty, "no seed in Tests/Fuzz/\(name) parses; the fuzzer would start from nothing")
    }

    @Test func everyTargetHasACorpusDirectory() {
        for target in FuzzTargets.all {
            var isDir: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: Self.corpusRoot + "/" + target.name, isDirectory: &isDir) && isDir.boolValue,
                    "missing Tests/Fuzz/\(target.name)")
        }
    }
}
