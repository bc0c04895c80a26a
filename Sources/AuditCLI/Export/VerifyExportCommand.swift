import ArgumentParser
import AuditCore
import AuditCrypto
import AuditExport
import Foundation

/// `auditctl verify-export FILE.zip [--log-key VKEY] [--trusted-checkpoint FILE] [--json]`:
/// checks an export offline, without the ledger (`ExportVerifier`). Exit 0 only when every
/// check holds; 1 when one fails (each problem named by file, line and seq).
struct VerifyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Check an export offline: signatures, digests, proofs, e-signatures, approvals, report vs entries.",
        discussion: """
        Needs no ledger and no network. Pass --log-key with the log's verifier key as the site \
        gave it to you (log.vkey); without it the key named in the export is used and the output \
        says so. --trusted-checkpoint checks the export against a checkpoint you saw earlier. \
        Exit codes: 0 every check holds, 1 a check failed, 3 not a readable export, 4 a file \
        given does not exist (Docs/exit-codes.md).
        """)

    @Argument(help: "The export ZIP.") var zip: String
    @Option(name: .customLong("log-key"), help: "The log's verifier key file (C2SP name+hash+key).") var logKey: String?
    @Option(name: .customLong("trusted-checkpoint"), help: "A signed checkpoint note you trust.") var trustedCheckpoint: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: zip) else {
            throw CLIFailure("no file at \(zip)", hint: "pass the export ZIP written by `auditctl export`", code: .notFound)
        }
        var key: NoteVerifierKey?
        if let logKey {
            let text = try SecretFile.read(logKey, what: "log key").trimmingCharacters(in: .whitespacesAndNewlines)
            do { key = try NoteVerifierKey.parse(text) } catch {
                throw CLIFailure("\(logKey) is not a C2SP verifier key: \(error)", hint: "pass the log.vkey file the site gave you", code: .malformedInput)
            }
        }
        let trusted = try trustedCheckpoint.map { try SecretFile.read($0, what: "trusted checkpoint") + "\n" }
        let verifier = ExportVerifier(logKey: key, trustedCheckpoint: trusted, progress: ExportProgressBar.callback())
        let result = try exportCall { () throws(ExportError) in try verifier.verify(zip: zip) }
        if json {
            Output.json(result.jsonValue)
        } else {
            if let m = result.manifest {
                print("\(result.ok ? "ok" : "FAILED"): export of \(m.origin) (\(m.site)), seqs \(m.firstSeq)–\(m.lastSeq) (\(m.entryCount) entries), checkpoint size \(m.checkpointSize), generated \(m.generatedAt) by \(m.generatedByName) (\(m.generatedBy))")
            }
            print("log key: \(result.logKey ?? "?")\(result.logKeyTrusted ? " (given with --log-key)" : " (taken from the export: NOT independently trusted)")")
            for p in result.problems { print("FAIL \(p)") }
            for (file, n) in result.suppressed.sorted(by: { $0.key < $1.key }) { print("FAIL \(file): \(n) more problem(s) not listed") }
            print("checked:")
            for c in result.checked { print("  - \(c)") }
            print("what this export cannot prove:")
            for c in result.cannotProve { print("  - \(c)") }
        }
        guard result.ok else {
            throw CLIFailure("export verification failed: \(result.problems[0])",
                             hint: "do not rely on this export; ask the site for a new one and report the file named", code: .verificationFailed)
        }
    }
}
