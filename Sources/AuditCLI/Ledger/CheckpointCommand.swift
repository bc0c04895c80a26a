import ArgumentParser
import AuditCore
import AuditLedger
import Foundation

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint for the current tree size now (or show the latest with --latest).",
        discussion: """
        Prints the C2SP signed note. Clients keep it and later prove the log still extends it with \
        `auditctl verify --trusted-checkpoint`. Witness cosignatures the ledger holds for the \
        checkpoint (`auditctl fleet push`) are appended as further signature lines: the result is \
        one signed note that any C2SP client reads. --cosigned shows the newest checkpoint that \
        carries them.
        """)

    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Show the latest stored checkpoint instead of signing one.") var latest = false
    @Flag(help: "Show the newest checkpoint the fleet witness cosigned, with its cosignatures.") var cosigned = false
    @Option(help: "Also write the note to this file.") var out: String?
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        if cosigned && latest { throw ValidationError("--latest and --cosigned exclude each other") }
    }

    func run() async throws {
        let cp: StoredCheckpoint
        let cosignatures: [StoredCosignature]
        if latest || cosigned {
            let store = try ledger.openForReading()
            (cp, cosignatures) = try Self.stored(store, cosignedOnly: cosigned)
        } else {
            let store = try ledger.openForWriting()
            do {
                cp = try await store.signCheckpoint()
                cosignatures = try store.cosignatures(size: cp.size)
            } catch { throw CLIFailure(ledgerError: error) }
        }
        let note = cp.cosignedNote(cosignatures)
        if let out {
            // A checkpoint is public (auditors and edges read it); owner-writable only.
            try OutputFile.write(Array(note.utf8), to: out, mode: 0o644, what: "checkpoint")
        }
        if json {
            Output.json(.object(["size": .number(Double(cp.size)), "root": .string(cp.root.prefixed),
                                 "created": .string(cp.created), "note": .string(note),
                                 "cosignatures": .array(cosignatures.map(Self.cosignatureJSON))]))
        } else {
            print(note, terminator: "")
        }
    }

    private static func stored(_ store: LedgerStore, cosignedOnly: Bool) throws -> (StoredCheckpoint, [StoredCosignature]) {
        do {
            if cosignedOnly {
                guard let found = try store.latestCosignedCheckpoint() else {
                    throw CLIFailure("the ledger holds no witness cosignature yet", hint: "push to the central fleet service first (`auditctl fleet push`)",
                                     code: .notFound)
                }
                return found
            }
            guard let found = try store.latestCheckpoint() else {
                throw CLIFailure("the ledger has no checkpoint yet", hint: "run `auditctl checkpoint` with the log key unlocked", code: .notFound)
            }
            return (found, try store.cosignatures(size: found.size))
        } catch let e as LedgerError {
            throw CLIFailure(ledgerError: e)
        }
    }

    static func cosignatureJSON(_ c: StoredCosignature) -> JSONValue {
        .object(["witness": .string(c.witness.name), "keyHash": .string(KeyHashText.hex(c.witness.keyHash)),
                 "key": .string(c.witness.encoded), "timestamp": .number(Double(c.timestamp)),
                 "time": .string(UTCTime.format(Date(timeIntervalSince1970: Double(c.timestamp)))),
                 "received": .string(c.received)])
    }
}
