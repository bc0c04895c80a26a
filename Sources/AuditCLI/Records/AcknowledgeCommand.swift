import ArgumentParser
import AuditCore
import AuditRecords

/// `auditctl acknowledge`: after investigating entries `verify` rejected, an admin
/// acknowledges them so the ledger can be used again. They keep having no effect.
struct AcknowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acknowledge", abstract: "Acknowledge the entries verify rejected, after investigating them (admin).",
        discussion: "Every rejected entry not yet acknowledged is named in one admin-signed problem.acknowledged entry; give the incident reference in --reason. The rejected entries stay without effect and `verify` keeps listing them as acknowledged.")
    @OptionGroup var records: RecordsOptions
    @OptionGroup var admin: AdminOptions
    @Flag(help: "Print the entry as JSON.") var json = false

    func run() async throws {
        let service = try records.service()
        let creds = try admin.credentials()
        let e = try await recordsCall { () async throws(RecordsError) in try await service.acknowledgeProblems(reason: admin.reason, by: creds) }
        if json { return Output.json(Output.entryJSON(e)) }
        let seqs = e.payload["seqs"]?.arrayValue?.compactMap(\.int64Value).map(String.init).joined(separator: ", ") ?? ""
        print("acknowledged rejected entries \(seqs) at seq \(e.seq); they keep having no effect")
    }
}
