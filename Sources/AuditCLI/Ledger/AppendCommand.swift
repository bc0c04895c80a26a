import ArgumentParser
import AuditCore
import AuditLedger
import AuditRecords
import Foundation

struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append a free-form entry (a note) as yourself: ID + password, signed with your key.",
        discussion: "Only free-form kinds (\(EntryKind.freeForm.sorted().joined(separator: ", "))) can be appended by hand; every other kind is written by the command that enforces its rules. The actor recorded is the authenticated user.")

    @OptionGroup var records: RecordsOptions
    @OptionGroup var user: UserCredentialOptions

    @Option(help: "Entry kind.")
    var kind: String = EntryKind.noteAdded

    @Option(help: "What the entry is about (change ID, model, user ...).")
    var subject: String = ""

    @Option(help: "The payload as a JSON object.")
    var payload: String?

    @Option(name: .customLong("payload-file"), help: "Read the payload JSON object from a file ('-' for stdin).")
    var payloadFile: String?

    @Flag(help: "Print the entry as JSON.")
    var json = false

    func run() async throws {
        let value = try readPayload()
        let service = try records.service()
        let creds = try user.credentials()
        let entry = try await recordsCall { () async throws(RecordsError) in
            try await service.appendFreeForm(kind: kind, subject: subject, payload: value, by: creds)
        }
        let store = service.store
        let hash = try? store.leafHash(seq: entry.seq)
        if json {
            Output.json(Output.entryJSON(entry, hash: hash))
        } else {
            print("appended seq \(entry.seq) \(entry.kind) at \(entry.time) \(hash?.prefixed ?? "")")
        }
        if !store.signsCheckpoints {
            Terminal.writeStderr("warning: no checkpoint signed (log key locked); run `auditctl checkpoint` to cover this entry\n")
        }
    }

    private func readPayload() throws -> JSONValue {
        let (bytes, source): ([UInt8], String)
        switch (payload, payloadFile) {
        case (let p?, nil): (bytes, source) = (Array(p.utf8), "--payload")
        case (nil, let f?):
            (bytes, source) = (try InputFile.readOrStandardInput(f, limit: Limits.maxEntryPayloadBytes * 4, what: "payload file"), f)
        case (nil, nil): (bytes, source) = (Array("{}".utf8), "--payload")
        default:
            throw CLIFailure("--payload and --payload-file are exclusive", hint: "give one of them", code: .usage)
        }
        guard bytes.count <= Limits.maxEntryPayloadBytes * 4 else {
            throw CLIFailure("\(source): payload of \(bytes.count) bytes exceeds the limit of \(Limits.maxEntryPayloadBytes) bytes",
                             hint: "store large documents outside the ledger and record their sha256 digest; nothing was written",
                             code: .malformedInput)
        }
        do {
            return try JSONValue.parse(bytes, source: source)
        } catch {
            throw CLIFailure("\(error)", hint: "the payload must be one JSON object; nothing was written", code: .malformedInput)
        }
    }
}
