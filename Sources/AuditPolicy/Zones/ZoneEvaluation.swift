import Foundation

/// Judges a declared topology against the zone rules. Waivers are an input (the caller
/// loads them from signed ledger entries); they mark findings as waived, never remove them.
public enum ZoneEvaluation {
    public static func evaluate(topology: Topology, rules: ZoneRuleSet = .defaults,
                                waivers: [Waiver] = [], now: Date) -> ZoneReport {
        let context = EvaluationContext(topology: topology, rules: rules)
        var findings = context.consistencyFindings
        findings += context.flowFindings()
        findings += context.dmzBypassFindings()
        findings += context.aiWriteIntoSafetyFindings()
        findings += context.conduitFindings()
        findings += context.orphanZoneFindings()
        findings = uniqueFingerprints(sorted(findings))

        let applied = apply(waivers: waivers, to: findings, now: now)
        let open = applied.findings.filter { !$0.isWaived }.count
        return ZoneReport(
            site: topology.site.id,
            topologyDigest: nil,
            evaluatedAt: now,
            compliant: open == 0,
            summary: .init(zones: topology.zones.count, conduits: topology.conduits.count,
                           flows: topology.flows.count, openFindings: open,
                           waivedFindings: applied.findings.count - open),
            findings: applied.findings,
            expiredWaivers: applied.expired,
            unmatchedWaivers: applied.unmatched
        )
    }

    /// Worst first, then by rule id; within a rule, declaration order.
    static func sorted(_ findings: [ZoneFinding]) -> [ZoneFinding] {
        findings.enumerated().sorted { lhs, rhs in
            if lhs.element.severity != rhs.element.severity { return lhs.element.severity > rhs.element.severity }
            if lhs.element.ruleID != rhs.element.ruleID { return lhs.element.ruleID < rhs.element.ruleID }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// A waiver must name exactly one finding; should two findings ever share a fingerprint,
    /// later ones get `#2`, `#3` … so no waiver silently covers both.
    static func uniqueFingerprints(_ findings: [ZoneFinding]) -> [ZoneFinding] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            var finding = finding
            let count = (seen[finding.fingerprint] ?? 0) + 1
            seen[finding.fingerprint] = count
            if count > 1 { finding.fingerprint += "#\(count)" }
            return finding
        }
    }

    static func apply(waivers: [Waiver], to findings: [ZoneFinding], now: Date)
        -> (findings: [ZoneFinding], expired: [Waiver], unmatched: [Waiver]) {
        let byFinding = Dictionary(grouping: waivers, by: \.findingID)
        let present = Set(findings.map(\.fingerprint))
        var expired: [Waiver] = []
        let marked = findings.map { finding -> ZoneFinding in
            guard let candidates = byFinding[finding.fingerprint] else { return finding }
            var finding = finding
            let live = candidates.filter { $0.expiresAt > now }
            finding.waiver = live.max { $0.expiresAt < $1.expiresAt }
            expired += candidates.filter { $0.expiresAt <= now }
            return finding
        }
        let unmatched = waivers.filter { !present.contains($0.findingID) }
        return (marked, expired, unmatched)
    }
}

/// What every rule needs: the rules, the consistent part of the topology as a graph,
/// resolved flows, and the ZR-011 findings raised while resolving.
struct EvaluationContext {
    struct ResolvedFlow {
        let flow: Flow
        let source: Int
        let destination: Int
    }

    let topology: Topology
    let rules: ZoneRuleSet
    let graph: ZoneGraph
    let flows: [ResolvedFlow]
    let consistencyFindings: [ZoneFinding]

    init(topology: Topology, rules: ZoneRuleSet) {
        self.topology = topology
        self.rules = rules
        var checker = ConsistencyChecker(topology: topology, severity: rules.severity(of: .inconsistentDeclaration))
        let resolved = checker.resolve()
        let graph = ZoneGraph(zones: resolved.zones, conduits: resolved.conduits)
        self.graph = graph
        flows = resolved.flows.compactMap { flow, source, destination in
            guard let s = graph.zoneIndex[source], let d = graph.zoneIndex[destination] else { return nil }
            return ResolvedFlow(flow: flow, source: s, destination: d)
        }
        consistencyFindings = checker.findings
    }

    func finding(_ rule: ZoneRuleID, _ message: String, path: [PathStep], hint: String,
                 location: SourceLocation? = nil, qualifier: String? = nil) -> ZoneFinding {
        ZoneFinding(ruleID: rule, severity: rules.severity(of: rule), message: message, path: path,
                    hint: hint, location: location, qualifier: qualifier)
    }

    func conduitPath(_ conduit: Conduit) -> [PathStep] {
        [.zone(conduit.zones.0), .conduit(conduit.id), .zone(conduit.zones.1)]
    }
}
