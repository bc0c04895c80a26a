import AuditFiles
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints report.html to report.pdf with headless Chromium (`--print-to-pdf`), which
/// honours the report's @page rules (A4, running header, page numbers). Optional: the HTML
/// alone prints the same from any browser.
public struct PDFRenderer: Sendable {
    public let executable: String
    public static let candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The first Chromium on PATH; throws `.pdfUnavailable` naming what was looked for.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ExportError) -> PDFRenderer {
        let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in candidates {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
                return PDFRenderer(executable: dir + "/" + name)
            }
        }
        throw .pdfUnavailable(reason: "no headless Chromium on PATH (looked for \(candidates.joined(separator: ", ")))")
    }

    public init(executable: String) { self.executable = executable }

    /// Renders `html` to `pdf`; `screenshot` instead writes a PNG of the first screen.
    public func render(html: String, pdf: String) throws(ExportError) {
        try run(["--print-to-pdf=\(pdf)", "--no-pdf-header-footer"], html: html, output: pdf)
    }

    public func screenshot(html: String, png: String, width: Int = 1240, height: Int = 1754) throws(ExportError) {
        try run(["--screenshot=\(png)", "--window-size=\(width),\(height)", "--hide-scrollbars"], html: html, output: png)
    }

    private func run(_ arguments: [String], html: String, output: String) throws(ExportError) {
        let temporary = FileManager.default.temporaryDirectory.path + "/auditctl-chromium-\(UUID().uuidString.prefix(8))"
        let profile = temporary + ".profile", errors = temporary + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: profile)
            unlink(errors)
        }
        var args = ["--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile)",
                    "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000"]
        // Chromium refuses to start its sandbox as root (containers, CI).
        if geteuid() == 0 { args.append("--no-sandbox") }
        let pid: pid_t
        do {
            pid = try ChildSpawn.start(executable, args + arguments + [URL(fileURLWithPath: html).absoluteString],
                                       environment: ProcessInfo.processInfo.environment, stdout: .null, stderr: .file(errors))
        } catch {
            throw .pdfUnavailable(reason: "\(executable) does not start: \(error)")
        }
        let exit = ChildSpawn.waitForExit(pid)
        guard exit == .exited(0), FileManager.default.fileExists(atPath: output) else {
            let stderr = (try? Data(contentsOf: URL(fileURLWithPath: errors))) ?? Data()
            let tail = String(decoding: stderr.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .pdfUnavailable(reason: "\(executable) ended with \(exit.description): \(tail)")
        }
    }
}
