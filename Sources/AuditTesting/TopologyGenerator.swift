import AuditPolicy

/// Builds large, compliant plant topologies for benchmarks and scale tests: an enterprise
/// and a cloud zone, DMZs, operations zones, and production cells of (AI line, PLC cell,
/// SIS) joined by a backbone plus random extra conduits that keep the design compliant.
/// Deterministic for a given seed.
public struct TopologyGenerator: Sendable {
    public var zoneCount: Int
    public var conduitCount: Int
    public var seed: UInt64

    public init(zones: Int, conduits: Int, seed: UInt64 = 62443) {
        zoneCount = max(zones, 8)
        conduitCount = conduits
        self.seed = seed
    }

    /// SplitMix64: tiny, seedable, good enough to spread conduits.
    private struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
    }

    public func generate() -> Topology {
        var random = Random(state: seed)
        let dmzCount = max(1, zoneCount / 200)
        let cellCount = max(1, (zoneCount - 2 - dmzCount) * 3 / 10)
        let opsCount = max(1, zoneCount - 2 - dmzCount - 3 * cellCount)
        let sl2 = SecurityLevelVector(uniform: 2) ?? .zero
        let sl3 = SecurityLevelVector(uniform: 3) ?? .zero
        func zone(_ id: String, _ level: PurdueLevel, _ kind: ZoneKind, signed: Bool = false) -> Zone {
            Zone(id: id, name: id, purdueLevel: level, kind: kind, slTarget: sl2,
                 requiresSignedBundles: signed)
        }
        var zones = [zone("enterprise", .level4, .enterprise), zone("cloud", .level5, .cloud)]
        zones += (0..<dmzCount).map { zone("dmz-\($0)", .dmz, .dmz, signed: true) }
        zones += (0..<opsCount).map { zone("ops-\($0)", .level3, .operations) }
        for cell in 0..<cellCount {
            zones += [zone("line-\(cell)", .level2, .aiInference, signed: true),
                      zone("plc-\(cell)", .level1, .control), zone("sis-\(cell)", .level1, .safety)]
        }

        var conduits: [Conduit] = []
        let capabilities: Set<String> = ["encryption", "mutual-authentication", "integrity", "logging"]
        let https = ConduitProtocol(name: "https", port: 443)
        let mqtts = ConduitProtocol(name: "mqtts", port: 8883)
        let opcua = ConduitProtocol(name: "opc-ua", port: 4840)
        func join(_ a: String, _ b: String, _ protocols: [ConduitProtocol], _ direction: ConduitDirection = .bidirectional) {
            conduits.append(Conduit(id: "c-\(conduits.count)", zones: (a, b), direction: direction, protocols: protocols,
                                    enforcingDevice: "fw-\(conduits.count)", capabilities: capabilities, slAchieved: sl3))
        }
        for d in 0..<dmzCount {
            join("enterprise", "dmz-\(d)", [https])
            join("cloud", "dmz-\(d)", [https], .oneWay)
        }
        for o in 0..<opsCount { join("dmz-\(o % dmzCount)", "ops-\(o)", [https]) }
        for cell in 0..<cellCount {
            join("ops-\(cell % opsCount)", "line-\(cell)", [https, mqtts])
            join("line-\(cell)", "plc-\(cell)", [opcua])
            join("sis-\(cell)", "plc-\(cell)", [ProtocolAccessible.readOnly(opcua)], .diode)
        }
        while conduits.count < conduitCount {
            switch random.next(4) {
            case 0: join("ops-\(random.next(opsCount))", "ops-\(random.next(opsCount))", [https, mqtts])
            case 1: join("ops-\(random.next(opsCount))", "line-\(random.next(cellCount))", [https, mqtts])
            case 2: join("line-\(random.next(cellCount))", "plc-\(random.next(cellCount))", [opcua])
            default: join("dmz-\(random.next(dmzCount))", "ops-\(random.next(opsCount))", [https])
            }
            if conduits[conduits.count - 1].zones.0 == conduits[conduits.count - 1].zones.1 { conduits.removeLast() }
        }

        var flows: [Flow] = []
        func flow(_ from: String, _ to: String, _ proto: String, _ purpose: FlowPurpose) {
            flows.append(Flow(id: "f-\(flows.count)", from: from, to: to, protocol: proto, purpose: purpose))
        }
        for d in 0..<dmzCount {
            flow("cloud", "dmz-\(d)", "https", .modelDistribution)
            flow("dmz-\(d)", "enterprise", "https", .businessData)
        }
        for cell in 0..<cellCount {
            flow("dmz-\(cell % dmzCount)", "line-\(cell)", "https", .modelDistribution)
            flow("line-\(cell)", "ops-\(random.next(opsCount))", "mqtts", .telemetry)
            flow("line-\(cell)", "plc-\(cell)", "opc-ua", .control)
            flow("plc-\(cell)", "line-\(cell)", "opc-ua", .telemetry)
            flow("sis-\(cell)", "plc-\(cell)", "opc-ua", .telemetry)
        }
        return Topology(site: Site(id: "generated", name: "Generated plant"), zones: zones, conduits: conduits, flows: flows)
    }
}

/// Read-only variant of a protocol, for the SIS diode.
private enum ProtocolAccessible {
    static func readOnly(_ proto: ConduitProtocol) -> ConduitProtocol {
        ConduitProtocol(name: proto.name, port: proto.port, access: .readOnly)
    }
}
