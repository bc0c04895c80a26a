import ArgumentParser
import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

/// `auditctl change ...`: propose model changes and read where they stand.
struct ChangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change", abstract: "Propose model changes and show their signatures and status.",
        subcommands: [ChangePropose.self, ChangeShow.self, ChangeList.self])
}

extension ChangeType: ExpressibleByArgument {}
extension Meaning: ExpressibleByArgument {}

struct ChangePropose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Propose a change (or, with --id of an open change, a new version of it).")
    @OptionGroup var records: RecordsOptions
    @OptionGroup var user: UserCredentialOptions
    @Option(help: "Change ID: an existing open change gets a new version; default a fresh ID.") var id: String?
    @Option(help: "Model name.") var model: String
    @Option(help: "Model version.") var version: String
    @Option(help: "register, promote, rollback, retire or config.") var type: ChangeType
    @Option(help: "Why (recorded).") var reason: String
    @Option(help: "Digest of the artifact (sha256:<hex>), e.g. from `auditctl bundle digest`.") var digest: String?
    @Option(help: "Model directory: record its bundle digest (the files as they will be loaded).") var bundle: String?
    @OptionGroup var hashing: HashingOptions
    @Option(name: .customLong("target-zone"), help: "Zone the model is meant for.") var targetZone: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var artifact: Digest?
        if digest != nil && bundle != nil {
            throw CLIFailure("--digest and --bundle are exclusive", hint: "give one of them", code: .usage)
        }
        if let bundle {
            artifact = try BundleCLI.statement(bundle, release: nil, shardSize: hashing.shardSize).subjectDigest
        }
        if let digest {
            guard let d = Digest(prefixed: digest) else {
                throw CLIFailure("--digest '\(digest)' is not sha256:<64 lowercase hex>", hint: "nothing was written", code: .malformedInput)
            }
            artifact = d
        }
        let service = try records.service()
        let creds = try user.credentials()
        let proposal = ChangeProposal(changeID: id, changeType: type, model: model, modelVersion: version, reason: reason,
                                      artifactDigest: artifact, targetZone: targetZone)
        let v = try await recordsCall { () async throws(RecordsError) in try await service.propose(proposal, by: creds) }
        if json {
            return Output.json(["id": .string(v.content.changeID), "digest": .string(v.digest.prefixed), "seq": .number(Double(v.seq)),
                                "record": v.content.jsonValue])
        }
        print("proposed \(v.content.changeID) \(v.digest.prefixed) at seq \(v.seq)")
    }
}

struct ChangeShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a change, its status and every signature's manifestation.")
    @OptionGroup var records: RecordsOptions
    @Argument(help: "Change ID.") var id: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        guard let change = state.changes[id] else { throw CLIFailure(records: .notFound(what: "change", id: id)) }
        let status = change.status(policy: try? inForcePolicy(records, state), now: Date())
        if json { return Output.json(RecordsRendering.changeJSON(change, status: status)) }
        print(RecordsRendering.changeText(change, status: status))
    }
}

struct ChangeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List changes, optionally by status.")
    @OptionGroup var records: RecordsOptions
    @Option(help: "pending, approved, rejected, expired or undecided.") var status: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let known = ["pending", "approved", "rejected", "expired", "undecided"]
        if let status, !known.contains(status) {
            throw CLIFailure("unknown --status '\(status)'", hint: "one of: \(known.joined(separator: ", "))", code: .usage)
        }
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        let policy = try? inForcePolicy(records, state)
        let now = Date()
        let rows = state.changesInOrder.map { ($0, $0.status(policy: policy, now: now)) }.filter { status == nil || $0.1.name == status }
        if json { return Output.json(.array(rows.map { RecordsRendering.changeJSON($0.0, status: $0.1) })) }
        for (c, s) in rows {
            let v = c.current.content
            print("\(c.id)\t\(s.name)\t\(v.changeType.rawValue)\t\(v.model) \(v.modelVersion)\t\(v.authorID)\t\(c.current.time)")
        }
    }
}

/// The policy file, if it is the one recorded in the ledger (status of open changes is
/// only meaningful under the rules in force).
func inForcePolicy(_ records: RecordsOptions, _ state: RecordsState) throws -> ApprovalPolicy? {
    let (policy, _) = try records.loadPolicy()
    return policy.digest == state.policyDigest ? policy : nil
}
