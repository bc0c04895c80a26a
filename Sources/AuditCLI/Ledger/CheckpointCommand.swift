import ArgumentParser
import AuditCore
import AuditLedger
import Foundation

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint for the current tree size now (or show the latest with --latest).",
        discussion: "Prints the C2SP signed note. Clients keep it and later prove the log still extends it with `auditctl verify --trusted-checkpoint`.")

    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Show the latest stored checkpoint instead of signing one.") var latest = false
    @Option(help: "Also write the note to this file.") var out: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let cp: StoredCheckpoint
        if latest {
            let store = try ledger.openForReading()
            guard let found = try? store.latestCheckpoint() else {
                throw CLIFailure("the ledger has no checkpoint yet", hint: "run `auditctl checkpoint` with the log key unlocked", code: .notFound)
            }
            cp = found
        } else {
            let store = try ledger.openForWriting()
            do { cp = try await store.signCheckpoint() } catch { throw CLIFailure(ledgerError: error) }
        }
        if let out {
            // A checkpoint is public (auditors and edges read it); owner-writable only.
            try OutputFile.write(Array(cp.note.utf8), to: out, mode: 0o644, what: "checkpoint")
        }
        if json {
            Output.json(.object(["size": .number(Double(cp.size)), "root": .string(cp.root.prefixed),
                                 "created": .string(cp.created), "note": .string(cp.note)]))
        } else {
            print(cp.note, terminator: "")
        }
    }
}
