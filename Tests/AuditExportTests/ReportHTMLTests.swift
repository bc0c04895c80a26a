import AuditCore
import AuditCrypto
import AuditExport
import AuditTesting
import Foundation
import Testing

/// report.html is checked by parsing it, not by trusting the writer: every entry of the
/// period is a row with its hash, every signature has its 11.50 manifestation, the cover
/// states the facts, nothing in it reaches the network, and it is laid out for print.
extension ExportSuite {
@Suite struct ReportHTMLTests {
    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func everyEntryEverySignatureAndTheCoverFactsAreInTheReport() async throws {
        let (f, result) = try await Shared.export()
        let html = try ZipSurgery.text(result.path, "report.html")
        let lines = ZipSurgery.lines(try ZipSurgery.file(result.path, "entries.jsonl")).filter { !$0.isEmpty }
        let m = result.manifest

        // Every entry: one row per seq, in order, with the entry's leaf hash.
        let rows = try Self.matches(#"<tr class="entry" id="seq-(\d+)" data-hash="(sha256:[0-9a-f]{64})"><td class="seq">(\d+)</td><td class="time">([^<]*)</td><td class="kind">([^<]*)</td>"#, in: html)
        #expect(rows.map { Int($0[1])! } == Array(m.firstSeq...m.lastSeq))
        for (row, line) in zip(rows, lines) {
            let entry = try JSONValue.parse(line)
            #expect(row[2] == SHA256.hash([0x00] + line).prefixed)
            #expect(row[4] == entry["time"]?.stringValue && row[5] == entry["kind"]?.stringValue)
        }

        // Every signature: printed name, UTC time, meaning, comment and the verdict.
        let blocks = try Self.matches(#"<div class="signature" data-seq="(\d+)" data-verified="(true|false)"><span class="printed-name">([^<]*)</span> \(<span class="signer-id">([^<]*)</span>\) — meaning: <span class="meaning">([^<]*)</span> — signed <span class="signed-at">([^<]*)</span> — comment: <span class="comment">([^<]*)</span>.*?— <span class="verdict verdict-ok">signature verified</span></div>"#, in: html)
        var signed = 0
        for line in lines {
            let entry = try JSONValue.parse(line)
            guard entry["kind"]?.stringValue == EntryKind.signatureAdded, let st = entry["payload"]?["statement"] else { continue }
            signed += 1
            let seq = String(entry["seq"]?.int64Value ?? -1)
            let block = try #require(blocks.first { $0[1] == seq }, "no manifestation for the signature at seq \(seq)")
            #expect(block[2] == "true")
            #expect(Self.unescape(block[3]) == st["printedName"]?.stringValue)
            #expect(block[4] == st["signerId"]?.stringValue && block[5] == st["meaning"]?.stringValue)
            #expect(block[6] == st["time"]?.stringValue && block[6].hasSuffix("Z"))
            #expect(Self.unescape(block[7]) == st["comment"]?.stringValue)
        }
        #expect(signed == 5)

        // The cover.
        let cover = Dictionary(try Self.matches(#"<dd data-field="([a-z-]+)"[^>]*>([^<]*)</dd>"#, in: html).map { ($0[1], Self.unescape($0[2])) },
                               uniquingKeysWith: { a, _ in a })
        #expect(cover["origin"] == ExportFixture.origin && cover["site"] == "Plant 3, Line 1")
        #expect(cover["log-key"] == f.verifierKey.encoded)
        #expect(cover["system"]?.hasPrefix("auditctl ") == true)
        #expect(cover["period"]?.contains("seq \(m.firstSeq) (\(m.firstTime)) to seq \(m.lastSeq) (\(m.lastTime))") == true)
        #expect(cover["checkpoint"]?.contains(m.checkpointRoot.prefixed) == true)
        #expect(cover["generated-by"]?.hasPrefix("Ivy Inspector (ivy), roles auditor") == true)
        #expect(cover["generated-at"] == m.generatedAt && m.generatedAt.hasSuffix("Z"))

        // Change statuses as a QA head expects them, and the revision's old and new values.
        let statuses = Dictionary(try Self.matches(#"data-change="([^"]+)" data-status="([a-z]+)""#, in: html).map { ($0[1], $0[2]) },
                                  uniquingKeysWith: { a, _ in a })
        #expect(statuses == ["chg-approved": "approved", "chg-revised": "approved", "chg-rejected": "rejected", "chg-expired": "expired"])
        #expect(html.contains("revised (version 2)") && html.contains("version: 2.2.0; reason: new backbone"))
        #expect(html.contains("version: 2.2.1; reason: new backbone, fixed preprocessing"))
        #expect(html.contains("deployed (may load)") && html.contains("deployment blocked"))
    }

    @Test func theReportIsSelfContainedAndPrintReady() async throws {
        let (_, result) = try await Shared.export()
        let html = try ZipSurgery.text(result.path, "report.html")
        for forbidden in ["<script", "<link", "<img", "<iframe", " src=", " href=", "@import", "url("] {
            #expect(!html.lowercased().contains(forbidden), "report.html contains \(forbidden)")
        }
        // The note's text with markup characters is escaped, never markup.
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;)"))
        #expect(html.contains("@page") && html.contains("counter(page)") && html.contains("counter(pages)"))
        #expect(html.contains("@top-left { content: \"Plant 3, Line 1 — \(ExportFixture.origin) — seqs"))
        #expect(html.contains("section.part { break-before: page; }") && html.contains("@page wide { size: A4 landscape; }"))
        #expect(html.contains("How to check this export") && html.contains("What this export cannot prove"))
    }

    /// Renders the report with headless Chromium into PDF and page images (pdftoppm), kept
    /// as test output; the first pages are committed under Docs/images for the guide.
    @Test func theReportPrintsToPDFAndPageImages() async throws {
        let f = try await Shared.fixture()
        let renderer = try PDFRenderer.locate()
        let authorization = try await f.service.authorizeExport(ExportFixture.creds("ivy"))
        let result = try await ExportWriter.write(service: f.service, authorization: authorization,
                                                  request: ExportRequest(site: "Plant 3, Line 1"), logSigner: f.logSigner,
                                                  to: f.directory.file("with-pdf.zip"), pdf: renderer, now: Date() + 9 * 3600)
        #expect(result.manifest.files.contains { $0.name == "report.pdf" })
        #expect(try ExportVerifier(logKey: f.verifierKey).verify(zip: result.path).ok)
        let pdf = try ZipSurgery.file(result.path, "report.pdf")
        #expect(Array(pdf.prefix(5)) == Array("%PDF-".utf8))
        let output = Self.outputDirectory()
        let pdfPath = output + "/report.pdf"
        try Data(pdf).write(to: URL(fileURLWithPath: pdfPath))
        let pages = try Self.run("/usr/bin/pdfinfo", [pdfPath])
        let count = Int(try Self.matches(#"Pages:\s+(\d+)"#, in: pages).first?[1] ?? "0") ?? 0
        #expect(count >= 5, "the report should print on several pages (cover, summary, changes, people, entries, how to check)")
        _ = try Self.run("/usr/bin/pdftoppm", ["-png", "-r", "50", pdfPath, output + "/page"])
        let images = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("page") && $0.hasSuffix(".png") }
        #expect(images.count == count)
        print("report pages rendered to \(output) (\(count) pages)")
    }

    static func outputDirectory() -> String {
        let dir = ExportFixture.repo.appendingPathComponent(".build/export-test-output").path
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let r = try CommandRunner.run(tool, arguments)
        guard r.status == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: tool]) }
        return r.stdout
    }
}
}
