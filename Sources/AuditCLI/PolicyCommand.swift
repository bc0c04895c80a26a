import ArgumentParser
import AuditPolicy
import Foundation

/// `auditctl policy …`: checks of declared designs against policy.
public struct PolicyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check declared designs against policy.",
        subcommands: [Check.self]
    )
    public init() {}

    /// `auditctl policy check --topology FILE [--rules FILE] [--json]`
    /// Exit 0 when compliant; 7 when findings are open; 3 when a file is malformed or its
    /// declarations are inconsistent (ZR-011); 4 when a file does not exist.
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

        public init() {}

        public func run() async throws {
            let result = try execute()
            print(result.output, terminator: "")
            if let failure = result.failure { throw failure }
        }

        /// Everything but the printing, so tests can see the output and the exit outcome.
        public func execute(waivers: [Waiver] = [], now: Date = Date()) throws -> (output: String, failure: CLIFailure?) {
            let outcome: ZonePolicyCheck.Outcome
            do {
                outcome = try ZonePolicyCheck.run(topologyPath: topology, rulesPath: rules, waivers: waivers, now: now)
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
            let report = outcome.report
            let output = json ? String(decoding: try report.jsonData(), as: UTF8.self) + "\n" : report.text
            return (output, Self.failure(for: report))
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
}
