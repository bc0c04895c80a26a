import ArgumentParser
import AuditCore
import AuditLedger

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "List entries, optionally filtered.")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only this kind.") var kind: String?
    @Option(help: "Only this actor.") var actor: String?
    @Option(help: "Only this subject.") var subject: String?
    @Option(help: "First seq.") var from: Int?
    @Option(help: "Last seq.") var to: Int?
    @Option(help: "Entries at or after this RFC 3339 UTC time.") var since: String?
    @Option(help: "Entries at or before this RFC 3339 UTC time.") var until: String?
    @Option(help: "At most this many entries.") var limit: Int?
    @Flag(help: "Print a JSON array.") var json = false

    func run() async throws {
        for (name, t) in [("--since", since), ("--until", until)] {
            if let t, UTCTime.parse(t) == nil {
                throw CLIFailure("\(name) '\(t)' is not an RFC 3339 time", hint: "e.g. 2026-11-26T08:00:00Z", code: .usage)
            }
        }
        let store = try ledger.openForReading()
        let filter = EntryFilter(kind: kind, actor: actor, subject: subject, fromSeq: from, toSeq: to,
                                 since: since.flatMap(UTCTime.parse).map(UTCTime.format),
                                 until: until.flatMap(UTCTime.parse).map(UTCTime.format), limit: limit)
        let entries: [Entry]
        do { entries = try store.entries(filter) } catch { throw CLIFailure(ledgerError: error) }
        if json {
            Output.json(.array(entries.map { Output.entryJSON($0) }))
            return
        }
        for e in entries {
            let subject = e.subject.isEmpty ? "-" : e.subject
            print("\(e.seq)\t\(e.time)\t\(e.kind)\t\(e.actor)\t\(subject)\t\(e.payload.canonicalString())")
        }
    }
}
