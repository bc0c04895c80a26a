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
        discussion: "Copy the file to each edge (it is public). Re-export after enrolling, rotating or revoking keys or recording a new policy.")

    @OptionGroup var records: RecordsOptions
    @Option(help: "Write to this file instead of stdout.") var out: String?

    func run() async throws {
        let service = try records.service(writing: false)
        let state = try recordsSync { () throws(RecordsError) in try service.state() }
        let trust: TrustRoot
        do { trust = try LedgerBundleSources.trustRoot(store: service.store, state: state) } catch {
            throw CLIFailure(error.description, hint: "record an approval policy and enroll approvers first", code: .conflict)
        }
        if let out {
            // Public keys only, read by each edge's loader service: 0644 exactly, never the
            // group- or world-writable file a umask of 000 would give.
            try OutputFile.write(trust.encoded, to: out, mode: 0o644, what: "trust root")
            Terminal.writeStderr("wrote \(out): \(trust.signers.count) signer key(s), policy \(trust.approvalPolicy.digest.prefixed)\n")
        } else {
            print(String(decoding: trust.encoded, as: UTF8.self), terminator: "")
        }
    }
}
