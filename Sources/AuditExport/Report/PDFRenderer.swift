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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let profile = FileManager.default.temporaryDirectory.path + "/auditctl-chromium-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        var args = ["--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile)",
                    "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000"]
        // Chromium refuses to start its sandbox as root (containers, CI).
        if geteuid() == 0 { args.append("--no-sandbox") }
        process.arguments = args + arguments + [URL(fileURLWithPath: html).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw .pdfUnavailable(reason: "\(executable) does not start: \(error)") }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output) else {
            let tail = String(decoding: stderr.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .pdfUnavailable(reason: "\(executable) exited with \(process.terminationStatus): \(tail)")
        }
    }
}
