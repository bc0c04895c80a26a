import ArgumentParser
import AuditCore
import AuditRecords

// `auditctl policy record|status`: a changed approval policy applies only once recorded.
// Registered under `PolicyCommand` (Sources/AuditCLI/PolicyCommand.swift).

struct PolicyRecord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record the policy file in the ledger so it applies (admin).")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let (policy, bytes) = try records.loadPolicy()
        let service = try records.service()
        let creds = try admin.credentials()
        let e = try await recordsCall { () async throws(RecordsError) in
            try await service.recordPolicy(policy, bytes: bytes, reason: admin.reason, by: creds)
        }
        if json { return Output.json(Output.entryJSON(e)) }
        print("recorded \(policy.file) \(policy.digest.prefixed) at seq \(e.seq)")
    }
}

struct PolicyConfirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm", abstract: "Confirm a recorded approval policy so it applies (an admin other than the one who recorded it).")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var admin: AdminOptions

    func run() async throws {
        let service = try records.service()
        let creds = try admin.credentials()
        let e = try await recordsCall { () async throws(RecordsError) in try await service.confirmPolicy(reason: admin.reason, by: creds) }
        if json { return Output.json(Output.entryJSON(e)) }
        print("confirmed the policy recorded at seq \(e.payload["confirms"]?.arrayValue?.compactMap(\.int64Value).map(String.init).joined(separator: ", ") ?? "") (entry seq \(e.seq))")
    }
}

struct PolicyStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Compare the policy file with the one in force.")
    @OptionGroup var records: RecordsOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let (policy, _) = try records.loadPolicy()
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        if state.policyDigest != policy.digest, let waiting = state.pendingPolicies.values.first(where: { $0.policy.digest == policy.digest }) {
            throw CLIFailure("\(policy.file) was recorded at seq \(waiting.seq) by \(waiting.recordedBy) and is waiting for confirmation",
                             hint: "an admin other than \(waiting.recordedBy) runs `auditctl policy confirm --reason ...`", code: .refused)
        }
        guard state.policyDigest == policy.digest else {
            throw CLIFailure(records: .policyNotRecorded(file: policy.file, fileDigest: policy.digest, recorded: state.policyDigest))
        }
        if json {
            return Output.json(["file": .string(policy.file), "digest": .string(policy.digest.prefixed), "inForce": true,
                                "seq": .number(Double(state.policySeq ?? -1))])
        }
        print("\(policy.file) \(policy.digest.prefixed) is in force (recorded at seq \(state.policySeq ?? -1))")
    }
}
