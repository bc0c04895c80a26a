/// ZR-003 … ZR-006: properties of each conduit against the zones it joins.
extension EvaluationContext {
    func conduitFindings() -> [ZoneFinding] {
        var findings: [ZoneFinding] = []
        for conduit in graph.conduits {
            guard let a = graph.zoneIndex[conduit.zones.0], let b = graph.zoneIndex[conduit.zones.1] else { continue }
            let required = graph.zones[a].slTarget.elementwiseMax(graph.zones[b].slTarget)
            let boundary = required.maximum
            let path = conduitPath(conduit)

            let shortfalls = conduit.slAchieved.shortfalls(against: required)
            if !shortfalls.isEmpty {
                let names = shortfalls.map { SecurityLevelVector.shortNames[$0] }.joined(separator: ", ")
                findings.append(finding(
                    .conduitSecurityLevel,
                    "conduit '\(conduit.id)' SL-A \(conduit.slAchieved.description) is below the SL-T \(required.description) of the zones it joins on \(names)",
                    path: path,
                    hint: "raise the conduit's achieved level (stronger enforcing device or countermeasures) or revisit the zones' SL-T",
                    location: conduit.location))
            }

            let needed = rules.capabilityRequirements.filter { $0.minimumSL <= boundary }.flatMap(\.capabilities)
            var missing: [String] = []
            for capability in needed where !conduit.capabilities.contains(capability) && !missing.contains(capability) {
                missing.append(capability)
            }
            if !missing.isEmpty {
                findings.append(finding(
                    .conduitCapabilities,
                    "conduit '\(conduit.id)' joins zones of SL-T \(boundary) but lacks \(missing.joined(separator: ", "))",
                    path: path,
                    hint: "add \(missing.joined(separator: ", ")) to the conduit (and to its enforcing device '\(conduit.enforcingDevice)')",
                    location: conduit.location))
            }

            for proto in conduit.protocols {
                findings += protocolFindings(proto, conduit: conduit, boundary: boundary, path: path)
            }
        }
        return findings
    }

    private func protocolFindings(_ proto: ConduitProtocol, conduit: Conduit, boundary: Int,
                                  path: [PathStep]) -> [ZoneFinding] {
        var findings: [ZoneFinding] = []
        if let ports = rules.allowedProtocols[proto.name] {
            if !ports.isEmpty, !(proto.port.map(ports.contains) ?? false) {
                let allowed = ports.map(String.init).joined(separator: ", ")
                let declared = proto.port.map { "port \($0)" } ?? "no port"
                findings.append(finding(
                    .protocolAllowed,
                    "conduit '\(conduit.id)' carries \(proto.name) on \(declared); allowed: \(allowed)",
                    path: path, hint: "use an allowed port for \(proto.name) or add it to ZR-005 allowedProtocols in the rules",
                    location: conduit.location, qualifier: proto.label))
            }
        } else {
            findings.append(finding(
                .protocolAllowed,
                "conduit '\(conduit.id)' carries \(proto.label), which is not an allowed protocol",
                path: path, hint: "remove \(proto.name) from the conduit or add it to ZR-005 allowedProtocols in the rules",
                location: conduit.location, qualifier: proto.label))
        }
        let cleartext = rules.cleartext
        if boundary >= cleartext.minimumBoundarySL, cleartext.protocols.contains(proto.name),
           !conduit.capabilities.contains(cleartext.tunnelCapability) {
            findings.append(finding(
                .cleartextBoundary,
                "conduit '\(conduit.id)' carries cleartext \(proto.label) across a boundary of SL \(boundary)",
                path: path,
                hint: "use a secure protocol (e.g. https, opc-ua with SignAndEncrypt, mqtts) or tunnel the conduit (capability '\(cleartext.tunnelCapability)')",
                location: conduit.location, qualifier: proto.label))
        }
        return findings
    }

    /// ZR-009: a zone that no conduit joins cannot carry any flow and is undocumented design.
    func orphanZoneFindings() -> [ZoneFinding] {
        guard graph.zones.count > 1 else { return [] }
        var joined = [Bool](repeating: false, count: graph.zones.count)
        for edge in 0..<graph.edgeFrom.count {
            joined[Int(graph.edgeFrom[edge])] = true
            joined[Int(graph.edgeTo[edge])] = true
        }
        return graph.zones.indices.filter { !joined[$0] }.map { index in
            let zone = graph.zones[index]
            return finding(
                .orphanZone, "zone '\(zone.id)' is joined by no conduit",
                path: [.zone(zone.id)],
                hint: "declare the conduits that join it, or remove the zone if it no longer exists",
                location: zone.location)
        }
    }
}
