import ArgumentParser
import AuditBundle
import AuditCore
import AuditLedger
import Foundation

/// `auditctl edge upload`: decisions an offline edge kept in its state go to the ledger.
struct EdgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge", abstract: "Edge-side chores.",
        subcommands: [EdgeUploadCommand.self, EdgeSyncFileCommand.self, EdgeSyncCommand.self])
}

struct EdgeUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Append the verify-bundle decisions kept in --state to the ledger, in order, then set them aside.")

    @Option(help: "Edge state directory used with verify-bundle --state.") var state: String
    @Option(help: "Who is deploying (recorded); default edge:<hostname>.") var actor: String?
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let store = try ledger.openForWriting()
        let who = actor ?? EdgeUpload.defaultActor
        let count: Int
        do {
            count = try await EdgeRecorder.drainDecisions(store: EdgeStateStore(directory: state)) { records in
                _ = try await store.append(records.map { EdgeUpload.draft($0, actor: who) })
            }
        } catch let e as LedgerError {
            throw CLIFailure(ledgerError: e)
        } catch {
            throw CLIFailure("\(error)", hint: "nothing was set aside; fix the cause and upload again", code: .storage)
        }
        if json { return Output.json(["uploaded": .number(Double(count)), "state": .string(state)]) }
        print("uploaded \(count) decision(s) from \(state)")
    }
}

enum EdgeUpload {
    static var defaultActor: String { "edge:" + ProcessInfo.processInfo.hostName }

    /// A decision record (`EdgeRecorder.decisionRecord`) as a ledger entry; the time the edge
    /// decided is kept in the payload, the ledger adds its own time.
    static func draft(_ record: JSONValue, actor: String) -> EntryDraft {
        var payload = record["payload"]?.objectValue ?? [:]
        payload["decidedAt"] = record["time"] ?? .null
        return EntryDraft(kind: record["kind"]?.stringValue ?? EntryKind.deploymentBlocked, actor: actor,
                          subject: record["subject"]?.stringValue ?? "", payload: .object(payload))
    }
}
