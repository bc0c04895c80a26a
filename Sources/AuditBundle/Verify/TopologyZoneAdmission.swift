import AuditCore
import AuditPolicy
import Foundation

/// Zone admission against a declared IEC 62443 topology (Z8): the edge's zone must exist,
/// require signed bundles, receive models through a declared model-distribution flow, and
/// the topology must have no open finding that touches that zone (a model must not land in
/// a zone whose design is known to be broken, e.g. one that can write into a safety system).
public struct TopologyZoneAdmission: ZoneAdmission {
    public var rules: ZoneRuleSet
    public var now: @Sendable () -> Date

    public init(rules: ZoneRuleSet = .defaults, now: @escaping @Sendable () -> Date = { Date() }) {
        self.rules = rules
        self.now = now
    }

    public func admits(zone: String, topologyFile: String, release: ReleaseInfo) -> Result<String, ApprovalLinkError> {
        let topology: Topology
        do {
            topology = try TopologyLoader.load(path: topologyFile)
        } catch {
            return .failure(ApprovalLinkError("topology \(topologyFile) cannot be used: \(error)"))
        }
        guard let z = topology.zones.first(where: { $0.id == zone }) else {
            return .failure(ApprovalLinkError("zone '\(zone)' is not declared in \(topologyFile)"))
        }
        guard z.requiresSignedBundles else {
            return .failure(ApprovalLinkError("zone '\(zone)' does not require signed bundles in \(topologyFile); models may not be distributed to it (ZR-008)"))
        }
        let assetIDs = Set(z.assets.map(\.id))
        let inbound = topology.flows.filter { f in
            f.purpose == .modelDistribution && (f.to == zone || assetIDs.contains(f.to))
        }
        guard let flow = inbound.first else {
            return .failure(ApprovalLinkError("no model-distribution flow into zone '\(zone)' is declared in \(topologyFile) (deny by default)"))
        }
        let report = ZoneEvaluation.evaluate(topology: topology, rules: rules, now: now())
        let touching = report.openFindings.filter { finding in
            finding.path.contains { step in
                if case .zone(let id) = step { return id == zone }
                return false
            }
        }
        if let worst = touching.first {
            return .failure(ApprovalLinkError("the topology has \(touching.count) open finding(s) on paths through zone '\(zone)', e.g. \(worst.ruleID.rawValue): \(worst.message)"))
        }
        return .success("declared flow '\(flow.id)' (\(flow.protocol)) into a zone that requires signed bundles; no open findings touch it")
    }
}
