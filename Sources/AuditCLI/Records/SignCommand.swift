import ArgumentParser
import AuditCore
import AuditPolicy
import AuditRecords

/// `auditctl sign CHANGE --meaning M`: an e-signature by ID + password, bound to the
/// change's current version; appends the decision too when the policy is satisfied.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "E-sign a change (asks for your user ID and password).",
        discussion: "Meanings: authored, reviewed, approved, rejected, responsibility. Both ID and password are required every time; for automation use --user with --password-file or AUDITCTL_PASSWORD_FILE.")
    @OptionGroup var records: RecordsOptions
    @Argument(help: "Change ID.") var change: String
    @Option(help: "What your signature means.") var meaning: Meaning
    @Option(help: "Optional comment, signed with the rest.") var comment = ""
    @OptionGroup var user: UserCredentialOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (policy, _) = try records.loadPolicy()
        let service = try records.service()
        // Check the change and policy before asking for a password: nothing to record then.
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        guard state.changes[change] != nil else { throw CLIFailure(records: .notFound(what: "change", id: change)) }
        guard state.policyDigest == policy.digest else {
            throw CLIFailure(records: .policyNotRecorded(file: policy.file, fileDigest: policy.digest, recorded: state.policyDigest))
        }
        let creds = try user.credentials()
        let result = try await recordsCall { () async throws(RecordsError) in
            try await service.sign(changeID: change, meaning: meaning, comment: comment, policy: policy, as: creds)
        }
        let after = try recordsSync { () throws(RecordsError) in try service.state() }
        let status = after.changes[change].map { $0.status(policy: policy, now: UTCTime.parse(result.signature.time) ?? .now) } ?? .undecided
        if json {
            return Output.json(["signature": Output.entryJSON(result.signature),
                                "decision": result.decision.map { Output.entryJSON($0) } ?? .null,
                                "status": RecordsRendering.statusJSON(status)])
        }
        let st = result.signature.payload["statement"]
        print("signed \(change) as \(meaning.rawValue) by \(st?["printedName"]?.stringValue ?? "") (\(creds.userID)) at \(RecordsRendering.humanTime(st?["time"]?.stringValue ?? "")) — seq \(result.signature.seq)")
        print("status: \(RecordsRendering.statusText(status))")
    }
}
