import ArgumentParser
import AuditCore
import AuditCrypto
import AuditPolicy
import AuditRecords
import Foundation

/// `auditctl policy waive --finding ID --reason R --expires TIME [--topology FILE]`: accepts
/// one zone finding until a date with a signed `waiver.granted` entry. Authenticated like
/// `auditctl sign` (ID + password every time; failures count toward lockout); only the
/// `ot-security` role may waive, never an admin. `policy check` then reports the finding as
/// waived, with who, why and until when.
struct PolicyWaive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waive", abstract: "Accept one zone finding until a date, with your e-signature (ot-security).",
        discussion: "The finding id is the 'id:' line of `auditctl policy check` (its fingerprint). The expiry must be in the future and at most \(Int(Limits.maxWaiverDurationSeconds / 86_400)) days ahead. With --topology the finding must be present in that file, and the file's digest is signed too. Asks for your user ID and password; for automation use --user with --password-file or AUDITCTL_PASSWORD_FILE.")
    @OptionGroup var records: RecordsOptions
    @OptionGroup var user: UserCredentialOptions
    @Option(help: "Finding id (fingerprint), e.g. ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis.") var finding: String
    @Option(help: "Why the finding is accepted (signed and recorded).") var reason: String
    @Option(help: "When the waiver ends: RFC 3339, e.g. 2027-01-31T00:00:00Z.") var expires: String
    @Option(help: "Topology YAML the finding was seen in: it must contain the finding; its digest is signed.") var topology: String?
    @Option(help: "Zone-rules YAML for --topology (built-in defaults when omitted).") var rules: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        guard let expiresAt = UTCTime.parse(expires) else {
            throw CLIFailure("--expires '\(expires)' is not an RFC 3339 time", hint: "e.g. 2027-01-31T00:00:00Z; nothing was written", code: .malformedInput)
        }
        var digest: Digest?
        if let topology {
            let outcome = try PolicyCommand.evaluate(topology: topology, rules: rules, waivers: [], now: Date())
            guard outcome.report.findings.contains(where: { $0.fingerprint == finding }) else {
                let ids = outcome.report.findings.prefix(5).map(\.fingerprint)
                throw CLIFailure("\(topology) has no finding '\(finding)'",
                                 hint: ids.isEmpty ? "the topology has no findings; nothing was written"
                                                   : "its finding ids: \(ids.joined(separator: ", ")); nothing was written",
                                 code: .notFound)
            }
            digest = outcome.topologyDigest
        }
        let request = WaiverRequest(findingID: finding, reason: reason, expiresAt: expiresAt, topologyDigest: digest)
        let service = try records.service()
        // Refuse a typo or a bad expiry before asking for a password: nothing to record then.
        try recordsSync { () throws(RecordsError) in try service.validateWaiver(request) }
        let creds = try user.credentials()
        let record = try await recordsCall { () async throws(RecordsError) in try await service.grantWaiver(request, as: creds) }
        let statement = record.statement
        if json {
            return Output.json(["seq": .number(Double(record.seq)), "statement": statement?.jsonValue ?? .null,
                                "keyId": .string(record.keyID?.prefixed ?? ""), "signature": .string(Base64.encode(record.signature))])
        }
        print("waived \(finding) by \(statement?.printedName ?? "") (\(creds.userID)) until \(RecordsRendering.humanTime(statement?.expiresAt ?? "")) — seq \(record.seq)")
    }
}
