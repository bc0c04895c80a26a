import ArgumentParser
import AuditCore
import AuditRecords

/// `auditctl clock correct`: recovery from an entry written while the host clock was ahead.
struct ClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock", abstract: "Recover from a future-dated entry (admin).", subcommands: [ClockCorrect.self])
}

struct ClockCorrect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct", abstract: "Mark a future-dated entry so later entries are judged against real time again.",
        discussion: "Use when appends are refused because an earlier entry carries a time ahead of the real clock (its host's clock was wrong). Fix the clock first. Nothing is rewritten: an admin-signed clock.corrected entry names the entry, and `verify` reports it as corrected.")
    @OptionGroup var records: RecordsOptions
    @Option(help: "Seq of the future-dated entry (`auditctl verify` names it).") var seq: Int
    @OptionGroup var admin: AdminOptions
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() async throws {
        let e = try await AdminAction.run(records: records, admin: admin) { service, creds, reason throws(RecordsError) in
            try await service.correctClock(futureDatedSeq: seq, reason: reason, by: creds)
        }
        if json { return Output.json(Output.entryJSON(e)) }
        print("marked entry \(seq) as future-dated at seq \(e.seq); later entries follow the real clock")
    }
}
