import ArgumentParser
import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords
import Foundation

/// `auditctl policy …`: checks of declared designs against policy.
public struct PolicyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check zone/conduit designs; put approval policies under change control.",
        subcommands: [Check.self, PolicyWaive.self, PolicyRecord.self, PolicyConfirm.self, PolicyStatus.self]
    )
    public init() {}

    /// `auditctl policy check --topology FILE [--rules FILE] [--json] [--record --user ID]`
    /// Signed waivers are read from the ledger in the data directory, when there is one.
    /// Exit 0 when compliant (no open findings; waived ones are still reported); 7 when
    /// findings are open; 3 when a file is malformed or its declarations are inconsistent
    /// (ZR-011); 4 when a file does not exist.
    public struct Check: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Evaluate an IEC 62443 zone/conduit topology against the zone rules (ZR-001…ZR-011)."
        )

        @Option(name: .long, help: "Topology YAML file (Docs/topology.md).")
        public var topology: String

        @Option(name: .long, help: "Zone-rules YAML file; the built-in defaults (same as Policies/zone-rules.yaml) when omitted.")
        public var rules: String?

        @Flag(name: .long, help: "Print the report as JSON.")
        public var json = false

        @Flag(name: .long, help: "Append the topology's digest and the result to the ledger (topology.checked), signed by you (--user).")
        public var record = false

        @OptionGroup var records: RecordsOptions
        @OptionGroup var user: UserCredentialOptions
        var ledger: LedgerOptions { records.ledger }

        public init() {}

        public func run() async throws {
            let result = try execute(waivers: try ledgerWaivers(), now: Date())
            print(result.output, terminator: "")
            if record, let outcome = result.outcome {
                try await recordResult(outcome)
            }
            if let failure = result.failure { throw failure }
        }

        /// Appends `topology.checked`: what was checked (digests), the verdict and every open
        /// or waived finding id, so an auditor can see the design was checked and when (Z7).
        private func recordResult(_ outcome: ZonePolicyCheck.Outcome) async throws {
            let service = try records.service()
            let creds = try user.credentials()
            let report = outcome.report
            func ids(_ fs: [ZoneFinding]) -> JSONValue { .array(fs.map { .string($0.fingerprint) }) }
            var payload: [String: JSONValue] = [
                "topologyFile": .string(topology),
                "topologyDigest": .string(outcome.topologyDigest.prefixed),
                "site": .string(report.site),
                "compliant": .bool(report.compliant),
                "openFindings": ids(report.openFindings),
                "waivedFindings": ids(report.findings.filter(\.isWaived)),
                "waivers": .array(report.findings.compactMap { finding in
                    finding.waiver.map { w in
                        ["findingId": .string(finding.fingerprint), "waivedBy": .string(w.waivedBy),
                         "expiresAt": .string(UTCTime.format(w.expiresAt)), "reason": .string(w.reason)]
                    }
                }),
            ]
            if let rulesDigest = outcome.rulesDigest { payload["rulesDigest"] = .string(rulesDigest.prefixed) }
            let e = try await recordsCall { () async throws(RecordsError) in
                try await service.recordTopologyCheck(site: report.site, payload: .object(payload), by: creds)
            }
            Terminal.writeStderr("recorded as ledger seq \(e.seq)\n")
        }

        /// The waivers that count (signature verified, signer allowed), from the ledger at the
        /// data directory; none when the directory holds no ledger. Expired ones are included:
        /// the report lists them and their findings stay open.
        func ledgerWaivers() throws -> [Waiver] {
            guard FileManager.default.fileExists(atPath: ledger.home.ledgerPath) else { return [] }
            let service = RecordsService(store: try ledger.openForReading(), directory: ledger.home.directory)
            return try recordsSync { () throws(RecordsError) in try service.state().waivers }
        }

        /// Everything but the printing, so tests can see the output and the exit outcome.
        public func execute(waivers: [Waiver] = [], now: Date = Date()) throws
            -> (output: String, failure: CLIFailure?, outcome: ZonePolicyCheck.Outcome?) {
            let outcome = try PolicyCommand.evaluate(topology: topology, rules: rules, waivers: waivers, now: now)
            let report = outcome.report
            let output = json ? String(decoding: try report.jsonData(), as: UTF8.self) + "\n" : report.text
            return (output, Self.failure(for: report), outcome)
        }

        /// Inconsistent declarations make every other result unreliable, so they are
        /// malformed input (3); any other open finding is non-compliance (7).
        static func failure(for report: ZoneReport) -> CLIFailure? {
            let open = report.openFindings
            if let first = open.first(where: { $0.ruleID == .inconsistentDeclaration }) {
                let count = open.filter { $0.ruleID == .inconsistentDeclaration }.count
                return CLIFailure("\(first.message)" + (count > 1 ? " (and \(count - 1) more inconsistent declarations)" : ""),
                                  hint: first.hint, code: .malformedInput)
            }
            guard let worst = open.first else { return nil }
            return CLIFailure("topology is not compliant: \(open.count) open finding\(open.count == 1 ? "" : "s"), worst \(worst.ruleID.rawValue) (\(worst.severity.rawValue))",
                              hint: "fix the topology, or accept a finding with a signed waiver naming its id",
                              code: .nonCompliant)
        }
    }

    /// `ZonePolicyCheck.run` with its file errors turned into CLI failures (4 missing, 3 malformed).
    static func evaluate(topology: String, rules: String?, waivers: [Waiver], now: Date) throws -> ZonePolicyCheck.Outcome {
        do {
            return try ZonePolicyCheck.run(topologyPath: topology, rulesPath: rules, waivers: waivers, now: now)
        } catch let error as PolicyFileError {
            switch error {
            case .notFound(let path):
                throw CLIFailure("\(path): no such file", hint: "check the --topology / --rules path", code: .notFound)
            case .unreadable:
                throw CLIFailure(error.description, hint: "check the file's permissions", code: .malformedInput)
            }
        } catch let error as YAMLInputError {
            throw CLIFailure(error.description, hint: "fix the file; see Docs/topology.md and Docs/zone-rules.md",
                             code: .malformedInput)
        }
    }
}
