import ArgumentParser
import AuditCore
import AuditCrypto
import AuditExport
import AuditLedger
import AuditRecords
import Foundation

/// `auditctl export --out FILE.zip [--from DATE] [--to DATE] [--change ID] [--model NAME]
/// [--site TEXT] [--pdf] [--json]`: a regulator export (report.html, audit-trail.csv,
/// entries.jsonl, proofs, keys, signed manifest) for an admin or auditor, recorded as a
/// signed `export.generated` entry. The work is `ExportWriter.write`; this only parses flags.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a regulator export: a printable report plus machine-verifiable evidence (admin or auditor).",
        discussion: """
        The ZIP holds report.html (print-ready), audit-trail.csv, entries.jsonl (exact entry bytes), \
        context.jsonl, proofs.jsonl, checkpoint.txt, keys.json, the approval policy texts and \
        manifest.json signed by the log key (manifest.sig). Anyone can check it offline with \
        `auditctl verify-export` or the Python script in Docs/inspector-guide.md. The export is \
        recorded as an export.generated entry signed by you; it appears at --out only once recorded. \
        Dates are YYYY-MM-DD (whole UTC days) or RFC 3339. --change/--model detail those changes \
        and, without dates, narrow the period to their entries. Needs the log key (it signs the manifest).
        """)

    @OptionGroup var records: RecordsOptions
    @OptionGroup var user: UserCredentialOptions
    @Option(help: "Where to write the ZIP (never overwritten).") var out: String
    @Option(help: "First day or time of the period (UTC).") var from: String?
    @Option(help: "Last day or time of the period (UTC).") var to: String?
    @Option(help: "Detail this change (and, without dates, export its span).") var change: String?
    @Option(help: "Detail the changes of this model (and, without dates, export their span).") var model: String?
    @Option(help: "Site name for the cover and the running header (default: the log origin).") var site: String?
    @Flag(help: "Also write report.pdf into the ZIP with headless Chromium.") var pdf = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let fromDate = try from.map { try Self.date($0, flag: "--from", endOfDay: false) }
        let toDate = try to.map { try Self.date($0, flag: "--to", endOfDay: true) }
        let renderer = try pdf ? exportCall { () throws(ExportError) in try PDFRenderer.locate() } : nil
        let home = records.ledger.home
        guard let source = try records.ledger.keySource(promptIfInteractive: true) else {
            throw CLIFailure("the log key is not unlocked: an export's manifest is signed by the log key",
                             hint: "pass --log-key-password-file, --log-key-file or set AUDITCTL_LOG_KEY(_FILE); nothing was written",
                             code: .authenticationFailed)
        }
        let store: LedgerStore
        let signer: NoteSigner
        do {
            store = try home.open(keySource: source)
            signer = try home.unlock(source, origin: store.origin, expected: store.verifierKey)
        } catch { throw CLIFailure(ledgerError: error) }
        let service = RecordsService(store: store, directory: home.directory, configuration: try records.configuration())
        let creds = try user.credentials()
        let authorization = try await recordsCall { () async throws(RecordsError) in try await service.authorizeExport(creds) }
        let request = ExportRequest(from: fromDate, to: toDate, selection: ExportSelection(changeID: change, model: model),
                                    site: site ?? store.origin)
        let result = try await exportCall { () async throws(ExportError) in
            try await ExportWriter.write(service: service, authorization: authorization, request: request, logSigner: signer,
                                         to: out, pdf: renderer, progress: ExportProgressBar.callback())
        }
        let m = result.manifest
        if json {
            return Output.json(["path": .string(result.path), "zipDigest": .string(result.zipDigest.prefixed),
                                "zipSize": .number(Double(result.zipSize)), "manifestDigest": .string(result.manifestDigest.prefixed),
                                "recordedSeq": .number(Double(result.recorded.seq)), "manifest": m.jsonValue])
        }
        print("wrote \(result.path): seqs \(m.firstSeq)–\(m.lastSeq) (\(m.entryCount) entries, \(m.contextCount) context), checkpoint size \(m.checkpointSize)")
        print("sha256 \(result.zipDigest.hex)  \((result.path as NSString).lastPathComponent)")
        print("recorded as export.generated at seq \(result.recorded.seq), signed by \(m.generatedByName) (\(m.generatedBy))")
    }

    static func date(_ text: String, flag: String, endOfDay: Bool) throws -> Date {
        guard let date = ExportDates.parse(text, endOfDay: endOfDay) else {
            throw CLIFailure("\(flag) '\(text)' is not a date", hint: "use YYYY-MM-DD (a whole UTC day) or RFC 3339 such as 2026-03-01T08:00:00Z", code: .malformedInput)
        }
        return date
    }
}

/// Runs an export call, turning its typed error into the CLI's.
func exportCall<T>(_ body: () async throws(ExportError) -> T) async throws -> T {
    do { return try await body() } catch { throw CLIFailure(export: error) }
}

func exportCall<T>(_ body: () throws(ExportError) -> T) throws -> T {
    do { return try body() } catch { throw CLIFailure(export: error) }
}

extension CLIFailure {
    /// The one place export errors become user-facing lines and exit codes.
    init(export e: ExportError) {
        switch e {
        case .invalidRequest(let field, _):
            self.init(e.description, hint: field == "out" ? "choose another --out" : "nothing was written; see `auditctl export --help`",
                      code: field == "out" ? .conflict : .malformedInput)
        case .ledger(let error): self.init(ledgerError: error)
        case .inconsistentLedger:
            self.init(e.description, hint: "nothing was exported; run `auditctl verify` and investigate", code: .verificationFailed)
        case .logKeyLocked:
            self.init(e.description, hint: "pass --log-key-password-file, --log-key-file or AUDITCTL_LOG_KEY", code: .authenticationFailed)
        case .io:
            self.init(e.description, hint: "check the output directory's permissions and free space; nothing was recorded", code: .storage)
        case .records(let error): self.init(records: error)
        case .pdfUnavailable:
            self.init(e.description, hint: "install Chromium (Debian: apt-get install chromium) or leave out --pdf; report.html prints the same from any browser", code: .notFound)
        case .unreadable:
            self.init(e.description, hint: "pass the export ZIP as written by `auditctl export`", code: .malformedInput)
        }
    }
}
