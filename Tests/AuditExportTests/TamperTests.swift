import AuditCore
import AuditCrypto
import AuditExport
import Foundation
import Testing

/// The must-show: any change to an export — one byte of any file, a file removed or added,
/// the JSONL reordered, an entry dropped from both the JSONL and the CSV — fails
/// verification with a reason naming the file, and for entries the seq.
extension ExportSuite {
@Suite struct TamperTests {
    static func verify(_ zip: String, _ f: ExportFixture) throws -> ExportVerification {
        try ExportVerifier(logKey: f.verifierKey).verify(zip: zip)
    }

    @Test func oneChangedByteInAnyFileFailsNamingTheFile() async throws {
        let (f, result) = try await Shared.export()
        let names = try ZipSurgery.files(of: result.path).map(\.name)
        #expect(names.count >= 11)
        for name in names {
            for fraction in [0.1, 0.5, 0.97] {
                let out = f.directory.file("byte-\(name.replacingOccurrences(of: "/", with: "_"))-\(fraction).zip")
                try ZipSurgery.rewrite(result.path, to: out) { n, bytes in
                    guard n == name else { return bytes }
                    if bytes.isEmpty { return [0x0A] }
                    var b = bytes
                    let i = min(b.count - 1, Int(Double(b.count) * fraction))
                    b[i] = b[i] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
                    return b
                }
                let v = try Self.verify(out, f)
                #expect(!v.ok, "changing a byte of \(name) at \(fraction) went unnoticed")
                #expect(v.problems.contains { $0.file == name || (name == "manifest.json" && $0.file == "manifest.sig") },
                        "no problem names \(name): \(v.problems)")
            }
        }
    }

    @Test func aChangedEntryIsNamedBySeqInTheJSONLAndTheReport() async throws {
        let (f, result) = try await Shared.export()
        let out = f.directory.file("entry-edit.zip")
        // Change the subject of one entry in entries.jsonl only: bytes still canonical JSON.
        let target = result.manifest.firstSeq + 20
        try ZipSurgery.rewrite(result.path, to: out) { n, bytes in
            guard n == "entries.jsonl" else { return bytes }
            var lines = ZipSurgery.lines(bytes)
            let i = target - result.manifest.firstSeq
            lines[i] = Array(String(decoding: lines[i], as: UTF8.self).replacingOccurrences(of: "\"subject\":\"", with: "\"subject\":\"X").utf8)
            return ZipSurgery.join(lines)
        }
        let v = try Self.verify(out, f)
        #expect(!v.ok)
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("SHA-256") })
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.seq == target + 1 && $0.message.contains("prev") })
        #expect(v.problems.contains { ($0.file == "audit-trail.csv" || $0.file == "report.html") && $0.seq == target })
    }

    @Test func removingOrAddingAFileFailsNamingIt() async throws {
        let (f, result) = try await Shared.export()
        for name in try ZipSurgery.files(of: result.path).map(\.name) {
            let out = f.directory.file("drop-\(name.replacingOccurrences(of: "/", with: "_")).zip")
            try ZipSurgery.rewrite(result.path, to: out) { n, bytes in n == name ? nil : bytes }
            let v = try Self.verify(out, f)
            #expect(!v.ok && v.problems.contains { $0.file == name }, "removing \(name): \(v.problems)")
        }
        let out = f.directory.file("added.zip")
        try ZipSurgery.rewrite(result.path, to: out, added: [("notes/extra.txt", Array("added later".utf8))]) { _, b in b }
        let v = try Self.verify(out, f)
        #expect(!v.ok && v.problems.contains { $0.file == "notes/extra.txt" && $0.message.contains("not in manifest.json") })
    }

    @Test func reorderingTheJSONLFailsNamingTheSeqs() async throws {
        let (f, result) = try await Shared.export()
        let out = f.directory.file("reordered.zip")
        try ZipSurgery.rewrite(result.path, to: out) { n, bytes in
            guard n == "entries.jsonl" else { return bytes }
            var lines = ZipSurgery.lines(bytes)
            lines.swapAt(10, 11)
            return ZipSurgery.join(lines)
        }
        let v = try Self.verify(out, f)
        let swapped = result.manifest.firstSeq + 11
        #expect(!v.ok)
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.seq == swapped && $0.line == 11 && $0.message.contains("expected seq \(swapped - 1)") })
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("do not lead to the signed checkpoint") })
    }

    @Test func droppingAnEntryFromBothJSONLAndCSVFailsNamingTheMissingSeq() async throws {
        let (f, result) = try await Shared.export()
        let dropped = result.manifest.firstSeq + 30
        let out = f.directory.file("dropped.zip")
        try ZipSurgery.rewrite(result.path, to: out) { n, bytes in
            if n == "entries.jsonl" {
                var lines = ZipSurgery.lines(bytes)
                lines.remove(at: dropped - result.manifest.firstSeq)
                return ZipSurgery.join(lines)
            }
            if n == "audit-trail.csv" {
                let text = String(decoding: bytes, as: UTF8.self)
                let kept = text.components(separatedBy: "\r\n").filter { !$0.hasPrefix("\(dropped),") }
                return Array(kept.joined(separator: "\r\n").utf8)
            }
            return bytes
        }
        let v = try Self.verify(out, f)
        #expect(!v.ok)
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("seq \(dropped) is missing") })
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("do not lead to the signed checkpoint") })
    }

    @Test func aRewrittenManifestCannotCoverTampering() async throws {
        let (f, result) = try await Shared.export()
        // Drop a line and fix every digest in the manifest: only the log key could re-sign it.
        var files = try ZipSurgery.files(of: result.path)
        let i = try #require(files.firstIndex { $0.name == "entries.jsonl" })
        var lines = ZipSurgery.lines(files[i].bytes)
        lines.remove(at: 5)
        files[i].bytes = ZipSurgery.join(lines)
        let m = try #require(files.firstIndex { $0.name == "manifest.json" })
        var manifest = try ExportManifest(bytes: files[m].bytes)
        manifest.files = manifest.files.map { file in
            guard let changed = files.first(where: { $0.name == file.name }) else { return file }
            return ManifestFile(name: file.name, size: changed.bytes.count, sha256: SHA256.hash(changed.bytes))
        }
        files[m].bytes = manifest.bytes
        let out = f.directory.file("manifest-rewritten.zip")
        try ZipSurgery.write(files, to: out)
        let v = try Self.verify(out, f)
        #expect(!v.ok)
        #expect(v.problems.contains { $0.file == "manifest.sig" })
        #expect(!v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("SHA-256") })
        #expect(v.problems.contains { $0.file == "entries.jsonl" && $0.message.contains("missing") })
    }
}
}
