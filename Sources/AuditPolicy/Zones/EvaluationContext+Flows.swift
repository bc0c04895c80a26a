/// ZR-001 (deny by default), ZR-008 (signed model destination) and ZR-010 (unused conduits).
///
/// One breadth-first search per distinct (source zone, protocol) carries all flows that
/// share it; one backward search per (destination, protocol) tells which conduits lie on
/// some carrying path, so a redundant conduit is not mistaken for an unused one.
extension EvaluationContext {
    private struct SearchKey: Hashable {
        let zone: Int
        let protocolBit: Int
    }

    func flowFindings() -> [ZoneFinding] {
        var findings: [ZoneFinding] = []
        var conduitUsed = [Bool](repeating: false, count: graph.conduits.count)
        var forwardCache: [SearchKey: [Int32]] = [:]
        var backwardCache: [SearchKey: [Int32]] = [:]

        for resolved in flows {
            let flow = resolved.flow
            if resolved.source == resolved.destination {
                findings += signedDestinationFinding(resolved, path: [.zone(graph.zones[resolved.source].id)])
                continue
            }
            guard let bit = graph.protocolIndex[flow.protocol] else {
                findings.append(uncarried(resolved, reason: "no conduit carries \(flow.protocol) at all"))
                continue
            }
            let key = SearchKey(zone: resolved.source, protocolBit: bit)
            let forward = forwardCache[key] ?? graph.search(from: [resolved.source], filter: .init(protocolBit: bit))
            forwardCache[key] = forward
            guard forward[resolved.destination] != -2 else {
                findings.append(uncarried(resolved, reason: nil))
                continue
            }
            findings += signedDestinationFinding(resolved, path: graph.path(to: resolved.destination, reachedBy: forward))

            let backKey = SearchKey(zone: resolved.destination, protocolBit: bit)
            let backward = backwardCache[backKey]
                ?? graph.search(from: [resolved.destination], forward: false, filter: .init(protocolBit: bit))
            backwardCache[backKey] = backward
            for edge in 0..<graph.edgeFrom.count where forward[Int(graph.edgeFrom[edge])] != -2
                && backward[Int(graph.edgeTo[edge])] != -2 && graph.edgeCarries(edge, protocolBit: bit) {
                conduitUsed[Int(graph.edgeConduit[edge])] = true
            }
        }

        for (index, conduit) in graph.conduits.enumerated() where !conduitUsed[index] {
            findings.append(finding(
                .orphanConduit,
                "conduit '\(conduit.id)' carries no declared flow",
                path: conduitPath(conduit),
                hint: "declare the flows it exists for, or remove the conduit: an unused conduit is an open door",
                location: conduit.location))
        }
        return findings
    }

    /// ZR-001 finding, explained with the nearest thing to a path that does exist.
    private func uncarried(_ resolved: ResolvedFlow, reason: String?) -> ZoneFinding {
        let flow = resolved.flow
        let from = graph.zones[resolved.source].id, to = graph.zones[resolved.destination].id
        let anyProtocol = graph.search(from: [resolved.source])
        let path: [PathStep]
        let detail: String
        if let reason {
            detail = reason
            path = anyProtocol[resolved.destination] != -2
                ? graph.path(to: resolved.destination, reachedBy: anyProtocol) : [.zone(from), .zone(to)]
        } else if anyProtocol[resolved.destination] != -2 {
            path = graph.path(to: resolved.destination, reachedBy: anyProtocol)
            detail = "the conduits from '\(from)' to '\(to)' do not all carry \(flow.protocol)"
        } else {
            let reverse = graph.search(from: [resolved.destination])
            if reverse[resolved.source] != -2 {
                path = graph.path(to: resolved.source, reachedBy: reverse)
                detail = "conduits connect '\(to)' to '\(from)' only in the opposite direction"
            } else {
                path = [.zone(from), .zone(to)]
                detail = "no declared conduits connect '\(from)' to '\(to)'"
            }
        }
        return finding(
            .flowCarried,
            "flow '\(flow.id)' (\(flow.protocol), \(flow.purpose.rawValue)) from '\(flow.from)' to '\(flow.to)' is not carried: \(detail)",
            path: path,
            hint: "declare a conduit path that carries \(flow.protocol) from '\(from)' to '\(to)', or drop the flow",
            location: flow.location, qualifier: flow.id)
    }

    private func signedDestinationFinding(_ resolved: ResolvedFlow, path: [PathStep]) -> [ZoneFinding] {
        let destination = graph.zones[resolved.destination]
        guard rules.signedBundlePurposes.contains(resolved.flow.purpose),
              !destination.requiresSignedBundles else { return [] }
        return [finding(
            .signedModelDestination,
            "\(resolved.flow.purpose.rawValue) flow '\(resolved.flow.id)' ends in zone '\(destination.id)', which does not require signed bundles",
            path: path,
            hint: "set requiresSignedBundles: true on zone '\(destination.id)' and run `auditctl verify-bundle` there before loading",
            location: resolved.flow.location, qualifier: resolved.flow.id)]
    }
}
