import ArgumentParser
import AuditBundle
import AuditCore
import AuditRecords
import Foundation

/// `auditctl trust-root export`: everything an offline edge needs to judge bundles.
struct TrustRootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust-root", abstract: "Export the trust root edges use with verify-bundle.",
        subcommands: [TrustRootExport.self])
}

struct TrustRootExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log key and origin, approvers' keys with roles and validity windows, and the approval policy in force.",
        discussion: """
        Copy the file to each edge (it is public). Re-export after enrolling, rotating or revoking keys or \
        recording a new policy. With --witness, edges also require witness cosignatures (the central \
        fleet service's) on an approval's checkpoint, --witness-quorum of them: verify-bundle's approval.witness check.
        """)

    @OptionGroup var records: RecordsOptions
    @Option(help: "Write to this file instead of stdout.") var out: String?
    @Option(help: "A witness key (name+hash+base64) edges trust, or a file holding it (repeatable).")
    var witness: [String] = []
    @Option(name: .customLong("witness-quorum"), help: "How many distinct witnesses must have cosigned (default: all listed).")
    var witnessQuorum: Int?

    func run() async throws {
        let witnesses = try witness.map { try WitnessKeyArgument.parse($0, option: "--witness") }
        if witnessQuorum != nil && witnesses.isEmpty {
            throw CLIFailure("--witness-quorum needs at least one --witness", hint: "name the witness keys edges must see cosignatures from", code: .usage)
        }
        let quorum = witnesses.isEmpty ? nil : (witnessQuorum ?? Set(witnesses.map(\.name)).count)
        if let problem = TrustRoot.witnessProblem(witnesses, quorum: quorum) {
            let option = problem.field == "witnessQuorum" ? "--witness-quorum" : "--witness"
            throw CLIFailure("\(option): \(problem.reason)", hint: "list each witness key once; the quorum counts distinct witness names", code: .usage)
        }
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        var trust: TrustRoot
        do { trust = try LedgerBundleSources.trustRoot(store: service.store, state: state) } catch {
            throw CLIFailure(error.description, hint: "record an approval policy and enroll approvers first", code: .conflict)
        }
        trust.witnesses = witnesses
        trust.witnessQuorum = quorum
        if let out {
            // Public keys only, read by each edge's loader service: 0644 exactly, never the
            // group- or world-writable file a umask of 000 would give.
            try OutputFile.write(trust.encoded, to: out, mode: 0o644, what: "trust root")
            let witnessed = quorum.map { ", \($0) of \(witnesses.count) witness key(s) required" } ?? ""
            Terminal.writeStderr("wrote \(out): \(trust.signers.count) signer key(s), policy \(trust.approvalPolicy.digest.prefixed)\(witnessed)\n")
        } else {
            print(String(decoding: trust.encoded, as: UTF8.self), terminator: "")
        }
    }
}
