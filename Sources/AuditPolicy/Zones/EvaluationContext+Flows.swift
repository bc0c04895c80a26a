/// ZR-001 (deny by default), ZR-008 (signed model destination) and ZR-010 (unused conduits).
///
/// One breadth-first search per distinct (source zone, protocol) carries all flows that
/// share it; backward searches tell which conduits lie on some carrying path, so a
/// redundant conduit is not mistaken for an unused one.
extension EvaluationContext {
    private struct SearchKey: Hashable {
        let zone: Int
        let protocolBit: Int
    }

    func flowFindings() -> [ZoneFinding] {
        var findings: [ZoneFinding] = []
        var forwardCache: [SearchKey: [Int32]] = [:]
        var groupOrder: [SearchKey] = []
        var destinations: [SearchKey: [Int]] = [:]

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
            if forwardCache[key] == nil {
                forwardCache[key] = forward
                groupOrder.append(key)
            }
            guard forward[resolved.destination] != -2 else {
                findings.append(uncarried(resolved, reason: nil))
                continue
            }
            findings += signedDestinationFinding(resolved, path: graph.path(to: resolved.destination, reachedBy: forward))
            destinations[key, default: []].append(resolved.destination)
        }

        let used = usedConduits(groups: groupOrder, forward: forwardCache, destinations: destinations)
        for (index, conduit) in graph.conduits.enumerated() where !used[index] {
            findings.append(finding(
                .orphanConduit,
                "conduit '\(conduit.id)' carries no declared flow",
                path: conduitPath(conduit),
                hint: "declare the flows it exists for, or remove the conduit: an unused conduit is an open door",
                location: conduit.location))
        }
        return findings
    }

    /// A conduit edge u→v is used when some carried flow's source reaches u and v reaches
    /// that flow's destination over its protocol. Flows sharing a (source, protocol) share
    /// the forward search, so one multi-source backward search from all their destinations
    /// answers for the whole group. Groups that cannot add a new conduit are skipped.
    private func usedConduits(groups: [SearchKey], forward: [SearchKey: [Int32]],
                              destinations: [SearchKey: [Int]]) -> [Bool] {
        var used = [Bool](repeating: false, count: graph.conduits.count)
        var unused = used.count
        for key in groups {
            guard unused > 0 else { break }
            guard let targets = destinations[key], let reached = forward[key] else { continue }
            var candidates: [Int] = []
            for node in 0..<graph.zoneCount where reached[node] != -2 {
                for edge in graph.outgoing(node) where !used[Int(graph.edgeConduit[Int(edge)])]
                    && graph.edgeCarries(Int(edge), protocolBit: key.protocolBit) {
                    candidates.append(Int(edge))
                }
            }
            guard !candidates.isEmpty else { continue }
            let backward = graph.search(from: targets, forward: false, filter: .init(protocolBit: key.protocolBit))
            for edge in candidates where backward[Int(graph.edgeTo[edge])] != -2 {
                let conduit = Int(graph.edgeConduit[edge])
                if !used[conduit] {
                    used[conduit] = true
                    unused -= 1
                }
            }
        }
        return used
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
