/// ZR-011: finds duplicate ids, dangling references and self-joined conduits, and hands the
/// consistent remainder to the graph (first declaration of an id wins), so one typo yields
/// one clear finding with `file:line` instead of a cascade or a crash.
struct ConsistencyChecker {
    let topology: Topology
    let severity: ZoneSeverity
    private(set) var findings: [ZoneFinding] = []

    init(topology: Topology, severity: ZoneSeverity) {
        self.topology = topology
        self.severity = severity
    }

    struct Resolved {
        var zones: [Zone] = []
        var conduits: [Conduit] = []
        /// Flow with the zone ids its endpoints resolve to.
        var flows: [(Flow, String, String)] = []
    }

    mutating func resolve() -> Resolved {
        var resolved = Resolved()
        var zoneIDs: [String: Zone] = [:]
        for zone in topology.zones {
            if let first = zoneIDs[zone.id] {
                report("zone id '\(zone.id)' is declared twice" + Self.firstAt(first.location),
                       path: [.zone(zone.id)], hint: "give every zone a unique id",
                       location: zone.location, qualifier: "duplicate")
                continue
            }
            zoneIDs[zone.id] = zone
            resolved.zones.append(zone)
        }

        var assetZone: [String: String] = [:]
        var assetLocation: [String: SourceLocation?] = [:]
        for zone in resolved.zones {
            for asset in zone.assets {
                if zoneIDs[asset.id] != nil {
                    report("asset id '\(asset.id)' in zone '\(zone.id)' is also a zone id, so a flow naming it is ambiguous",
                           path: [.zone(zone.id)], hint: "rename the asset or the zone",
                           location: asset.location, qualifier: "asset:\(asset.id)")
                } else if let other = assetZone[asset.id] {
                    report("asset id '\(asset.id)' is declared twice (zones '\(other)' and '\(zone.id)')"
                           + Self.firstAt(assetLocation[asset.id] ?? nil),
                           path: [.zone(zone.id)], hint: "give every asset a unique id",
                           location: asset.location, qualifier: "asset:\(asset.id)")
                } else {
                    assetZone[asset.id] = zone.id
                    assetLocation[asset.id] = asset.location
                }
            }
        }

        var conduitIDs: [String: Conduit] = [:]
        for conduit in topology.conduits {
            if let first = conduitIDs[conduit.id] {
                report("conduit id '\(conduit.id)' is declared twice" + Self.firstAt(first.location),
                       path: [.conduit(conduit.id)], hint: "give every conduit a unique id",
                       location: conduit.location, qualifier: "duplicate")
                continue
            }
            conduitIDs[conduit.id] = conduit
            var usable = true
            for end in [conduit.zones.0, conduit.zones.1] where zoneIDs[end] == nil {
                report("conduit '\(conduit.id)' joins unknown zone '\(end)'",
                       path: [.conduit(conduit.id)], hint: "declare zone '\(end)' or correct the conduit's zones",
                       location: conduit.location, qualifier: "unknown-zone:\(end)")
                usable = false
            }
            if usable && conduit.zones.0 == conduit.zones.1 {
                report("conduit '\(conduit.id)' joins zone '\(conduit.zones.0)' to itself",
                       path: conduitPathSteps(conduit), hint: "a conduit joins two different zones; traffic inside a zone needs no conduit",
                       location: conduit.location, qualifier: "self")
                usable = false
            }
            if usable { resolved.conduits.append(conduit) }
        }

        var flowIDs: [String: Flow] = [:]
        for flow in topology.flows {
            if let first = flowIDs[flow.id] {
                report("flow id '\(flow.id)' is declared twice" + Self.firstAt(first.location),
                       path: [], hint: "give every flow a unique id",
                       location: flow.location, qualifier: "flow:\(flow.id):duplicate")
                continue
            }
            flowIDs[flow.id] = flow
            var ends: [String] = []
            for end in [flow.from, flow.to] {
                if zoneIDs[end] != nil {
                    ends.append(end)
                } else if let zone = assetZone[end] {
                    ends.append(zone)
                } else {
                    report("flow '\(flow.id)' names unknown zone or asset '\(end)'",
                           path: [], hint: "declare '\(end)' as a zone or as an asset of a zone",
                           location: flow.location, qualifier: "flow:\(flow.id):unknown:\(end)")
                }
            }
            if ends.count == 2 { resolved.flows.append((flow, ends[0], ends[1])) }
        }
        return resolved
    }

    private func conduitPathSteps(_ conduit: Conduit) -> [PathStep] {
        [.zone(conduit.zones.0), .conduit(conduit.id), .zone(conduit.zones.1)]
    }

    private static func firstAt(_ location: SourceLocation?) -> String {
        location.map { " (first at \($0))" } ?? ""
    }

    private mutating func report(_ message: String, path: [PathStep], hint: String,
                                 location: SourceLocation?, qualifier: String) {
        let text = location.map { "\($0): \(message)" } ?? message
        findings.append(ZoneFinding(ruleID: .inconsistentDeclaration, severity: severity, message: text,
                                    path: path, hint: hint, location: location, qualifier: qualifier))
    }
}
