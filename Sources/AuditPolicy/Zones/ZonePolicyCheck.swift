import AuditCore
import AuditCrypto
import Foundation

/// The whole `policy check` as a library call: read the files once, digest the topology
/// bytes (the digest the ledger records), evaluate. The CLI and the ledger integration
/// both go through here so they can never judge different bytes.
public enum ZonePolicyCheck {
    /// The inputs that were judged, for recording.
    public struct Outcome: Sendable {
        public var report: ZoneReport
        public var topologyDigest: Digest
        public var rulesDigest: Digest?
    }

    /// Throws `PolicyFileError` when a file cannot be opened and `YAMLInputError` when one
    /// is malformed. `rulesPath` nil means `ZoneRuleSet.defaults`.
    public static func run(topologyPath: String, rulesPath: String? = nil,
                           waivers: [Waiver] = [], now: Date = Date()) throws -> Outcome {
        var rules = ZoneRuleSet.defaults
        var rulesDigest: Digest?
        if let rulesPath {
            let bytes = try PolicyFile.read(rulesPath, what: "zone rules")
            rules = try ZoneRulesLoader.parse(bytes, file: rulesPath)
            rulesDigest = SHA256.hash(bytes)
        }
        let bytes = try PolicyFile.read(topologyPath, what: "topology")
        let topology = try TopologyLoader.parse(bytes, file: topologyPath)
        let digest = SHA256.hash(bytes)
        var report = ZoneEvaluation.evaluate(topology: topology, rules: rules, waivers: waivers, now: now)
        report.topologyDigest = digest.prefixed
        return Outcome(report: report, topologyDigest: digest, rulesDigest: rulesDigest)
    }
}
