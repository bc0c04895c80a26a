/// ZR-002 (DMZ bypass) and ZR-007 (AI write into safety): one multi-source search each,
/// so the cost is linear in the graph however many zones are sources.
extension EvaluationContext {
    func dmzBypassFindings() -> [ZoneFinding] {
        let parameters = rules.dmzBypass
        let blocked = graph.zones.map(parameters.isDMZ)
        let sources = graph.zones.indices.filter {
            !blocked[$0] && graph.zones[$0].purdueLevel >= parameters.fromLevelAtLeast
        }
        guard !sources.isEmpty else { return [] }
        let reachedBy = graph.search(from: sources, filter: .init(blocked: blocked))
        return graph.zones.indices.compactMap { target in
            let zone = graph.zones[target]
            guard reachedBy[target] >= 0, zone.purdueLevel <= parameters.toLevelAtMost else { return nil }
            let path = graph.path(to: target, reachedBy: reachedBy)
            return finding(
                .dmzBypass,
                "zone '\(zone.id)' (Purdue \(zone.purdueLevel.description)) is reachable from Purdue \(parameters.fromLevelAtLeast.description)+ without crossing a DMZ",
                path: path,
                hint: "route this traffic through a DMZ zone (Purdue 3.5) or make a conduit on the path one-way outward")
        }
    }

    func aiWriteIntoSafetyFindings() -> [ZoneFinding] {
        let parameters = rules.aiSafety
        let sources = graph.zones.indices.filter { parameters.sourceKinds.contains(graph.zones[$0].kind) }
        guard !sources.isEmpty else { return [] }
        let reachedBy = graph.search(from: sources, filter: .init(writableOnly: true))
        return graph.zones.indices.compactMap { target in
            let zone = graph.zones[target]
            guard reachedBy[target] >= 0, parameters.targetKinds.contains(zone.kind) else { return nil }
            let path = graph.path(to: target, reachedBy: reachedBy)
            let kind = path.first.flatMap { step in graph.zoneIndex[step.id].map { graph.zones[$0].kind.rawValue } } ?? "ai"
            let directness = path.count == 3 ? "directly" : "indirectly"
            return finding(
                .aiWriteIntoSafety,
                "\(kind) zone '\(path.first?.id ?? "")' can write \(directness) into \(zone.kind.rawValue) zone '\(zone.id)'",
                path: path,
                hint: "make a conduit on this path one-way (diode) away from '\(zone.id)', or restrict its protocols to read-only")
        }
    }
}
