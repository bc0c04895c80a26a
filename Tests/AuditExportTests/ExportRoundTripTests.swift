import AuditCore
import AuditCrypto
import AuditExport
import AuditLedger
import AuditRecords
import Foundation
import Testing

extension ExportSuite {
@Suite struct ExportRoundTripTests {
    @Test func anExportVerifiesOfflineAndIsRecordedSigned() async throws {
        let (f, result) = try await Shared.export()
        let verification = try ExportVerifier(logKey: f.verifierKey).verify(zip: result.path)
        #expect(verification.problems.isEmpty, "\(verification.problems)")
        #expect(verification.logKeyTrusted)
        let checked = verification.checked.joined(separator: "\n")
        for phrase in ["manifest.json signed by the log key", "files match manifest.json", "checkpoint.txt signed",
                       "none of the period is missing", "e-signature(s)", "report.html: cover facts", "keys.json",
                       "approval policy text(s)", "audit-trail.csv and report.html list the same"] {
            #expect(checked.contains(phrase), "missing check: \(phrase)\n\(checked)")
        }
        // The export is recorded after it is written: signed by the auditor, naming its digests.
        let recorded = try f.store.entry(seq: result.recorded.seq)
        #expect(recorded.kind == EntryKind.exportGenerated && recorded.actor == "ivy")
        #expect(recorded.payload["manifestDigest"]?.stringValue == result.manifestDigest.prefixed)
        #expect(recorded.payload["zipDigest"]?.stringValue == result.zipDigest.prefixed)
        #expect(try RecordsAudit.problems(in: f.store).isEmpty)
        #expect(result.manifest.lastSeq == result.recorded.seq - 1)
        let names = result.manifest.files.map(\.name)
        for name in ["report.html", "audit-trail.csv", "entries.jsonl", "context.jsonl", "proofs.jsonl", "checkpoint.txt",
                     "start-checkpoint.txt", "keys.json"] { #expect(names.contains(name)) }
        #expect(names.contains { $0.hasPrefix("policies/approval-policy-seq") })
    }

    @Test func withoutAKeyTheVerifierSaysWhichKeyItUsedAndAnotherKeyFails() async throws {
        let (f, result) = try await Shared.export()
        let selfChecked = try ExportVerifier().verify(zip: result.path)
        #expect(selfChecked.ok && !selfChecked.logKeyTrusted)
        #expect(selfChecked.cannotProve.contains { $0.contains(f.verifierKey.encoded) })
        let other = try NoteSigner(name: ExportFixture.origin, privateKey: Ed25519PrivateKey.generate()).verifierKey
        let forged = try ExportVerifier(logKey: other).verify(zip: result.path)
        #expect(!forged.ok)
        #expect(forged.problems.contains { $0.file == "manifest.sig" })
        #expect(forged.problems.contains { $0.file == "checkpoint.txt" })
    }

    @Test func onlyAdminsAndAuditorsExportAndFailuresAreRecorded() async throws {
        let f = try await Shared.fixture()
        await #expect(throws: RecordsError.self) { try await f.service.authorizeExport(ExportFixture.creds("quinn")) }
        let before = try f.store.size()
        await #expect(throws: RecordsError.self) {
            try await f.service.authorizeExport(Credentials(userID: "ivy", password: "not-ivys-password"))
        }
        #expect(try f.store.entry(seq: before).kind == EntryKind.authFailed)
        _ = try await f.service.authorizeExport(ExportFixture.creds("ada"))
    }

    @Test func aChangeExportCoversItsSpanWithProvenContext() async throws {
        let f = try await Shared.fixture()
        let request = ExportRequest(selection: ExportSelection(changeID: "chg-revised"), site: "Plant 3")
        let result = try await f.export("chg-revised.zip", request: request)
        let state = try f.service.state()
        let change = try #require(state.changes["chg-revised"])
        #expect(result.manifest.firstSeq == change.versions[0].seq)
        #expect(result.manifest.lastSeq == change.decisions[0].seq)
        #expect(result.manifest.contextCount > 10)
        let verification = try ExportVerifier(logKey: f.verifierKey).verify(zip: result.path)
        #expect(verification.ok, "\(verification.problems)")
        #expect(verification.checked.contains { $0.contains("context entries: canonical, each with an RFC 9162 inclusion proof") })
        let html = try ZipSurgery.text(result.path, "report.html")
        #expect(html.contains("data-change=\"chg-revised\""))
        #expect(!html.contains("data-change=\"chg-approved\""))
        await #expect(throws: ExportError.self) {
            try await f.export("none.zip", request: ExportRequest(selection: ExportSelection(changeID: "chg-nope"), site: "x"))
        }
    }

    @Test func theCSVOpensCleanlyInASpreadsheet() async throws {
        let (_, result) = try await Shared.export()
        let csv = try ZipSurgery.file(result.path, "audit-trail.csv")
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: csv.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("seq,time_utc,kind,actor,subject,summary,old_value,new_value,entry_hash\r\n"))
        // The note's subject is a formula: it is neutralized; its quote and line break are RFC 4180 quoted.
        #expect(text.contains(",note.added,alice,\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(!text.contains(",=HYPERLINK"))
        // Every line ends in CRLF, and each entry is one record.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
    }
}
}
