import AuditCore
import AuditTesting
import Foundation
import Testing

/// Headless Chromium (Debian's chromium + chromium-driver, Selenium from PyPI) drives the
/// reviewer pages over a real socket; `make deps` installs all three, so CI runs this.
/// Screenshots go to AUDITCTL_SCREENSHOT_DIR (default .build/screenshots).
@Suite struct BrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Browser/reviewer_flow.py").path
    static var toolsMissing: String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: path) {
            return "\(path) is missing (apt-get install chromium chromium-driver; `make deps` does)"
        }
        if (try? CommandRunner.run("/usr/bin/env", ["python3", "-c", "import selenium"]).status) != 0 {
            return "python3 cannot import selenium (pip install selenium; `make deps` does)"
        }
        return nil
    }
    static var screenshots: String {
        ProcessInfo.processInfo.environment["AUDITCTL_SCREENSHOT_DIR"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/screenshots").standardized.path
    }

    @Test(.enabled(if: toolsMissing == nil, "headless browser run skipped: \(toolsMissing ?? "")"))
    func aReviewerSignsInChromiumWithAndWithoutJavaScript() async throws {
        let f = try await ServerFixture.make(changes: 3)
        try await f.live { client, _ in
            let base = "http://127.0.0.1:\(client.port)"
            let run = try await onOwnThread { try CommandRunner.run("/usr/bin/env", ["python3", Self.script, base, Self.screenshots, "quinn", ServerFixture.password("quinn"), "chg-open", "reviewed"]) }
            #expect(run.status == 0, "\(run)")
            let plain = try await onOwnThread { try CommandRunner.run("/usr/bin/env", ["python3", Self.script, base, Self.screenshots, "pat", ServerFixture.password("pat"), "chg-1", "approved", "--no-javascript"]) }
            #expect(plain.status == 0, "\(plain)")
        }
        let signatures = try f.entries(kind: EntryKind.signatureAdded)
        let quinn = try #require(signatures.first { $0.subject == "chg-open" })
        #expect(quinn.actor == "quinn")
        #expect(quinn.payload["statement"]?["meaning"]?.stringValue == "reviewed")
        #expect(quinn.payload["statement"]?["comment"]?.stringValue == "Checked the validation report in the browser")
        let pat = try #require(signatures.first { $0.subject == "chg-1" })
        #expect(pat.payload["statement"]?["meaning"]?.stringValue == "approved")
        #expect(try f.cli(["verify"]).status == 0)
        for name in ["login", "queue", "change", "confirm", "audit-trail", "entry"] {
            #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(name).png"), "screenshot \(name)")
        }
    }
}
