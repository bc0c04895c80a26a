/// Where a declaration came from, so every message can name `file:line`.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// A site's declared network design (IEC 62443-3-2 ZCR 3): zones, the conduits that join
/// them and the flows that must cross them. Pure data; `ZoneEvaluation` judges it.
public struct Topology: Sendable, Hashable {
    public var site: Site
    public var zones: [Zone]
    public var conduits: [Conduit]
    public var flows: [Flow]

    public init(site: Site, zones: [Zone], conduits: [Conduit], flows: [Flow]) {
        self.site = site
        self.zones = zones
        self.conduits = conduits
        self.flows = flows
    }
}

public struct Site: Sendable, Hashable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A group of assets with the same security needs and one target security level.
public struct Zone: Sendable, Hashable {
    public var id: String
    public var name: String
    public var purdueLevel: PurdueLevel
    public var kind: ZoneKind
    /// SL-T: the level this zone must be protected to, per foundational requirement.
    public var slTarget: SecurityLevelVector
    /// True when the zone's deployers refuse unsigned model bundles (verify-bundle runs there).
    public var requiresSignedBundles: Bool
    public var assets: [Asset]
    public var location: SourceLocation?

    public init(id: String, name: String, purdueLevel: PurdueLevel, kind: ZoneKind,
                slTarget: SecurityLevelVector, requiresSignedBundles: Bool = false,
                assets: [Asset] = [], location: SourceLocation? = nil) {
        self.id = id
        self.name = name
        self.purdueLevel = purdueLevel
        self.kind = kind
        self.slTarget = slTarget
        self.requiresSignedBundles = requiresSignedBundles
        self.assets = assets
        self.location = location
    }
}

public struct Asset: Sendable, Hashable {
    public var id: String
    public var name: String
    public var location: SourceLocation?

    public init(id: String, name: String, location: SourceLocation? = nil) {
        self.id = id
        self.name = name
        self.location = location
    }
}

/// Which way data may cross a conduit. `oneWay` and `diode` carry data only from
/// `zones.0` to `zones.1`; a diode is one-way by physics rather than by configuration.
public enum ConduitDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case bidirectional
    case oneWay = "one-way"
    case diode

    public var isOneWay: Bool { self != .bidirectional }
}

/// What a protocol on a conduit may do. `readOnly` means the enforcing device only lets
/// reads through (e.g. an OPC UA read-only gateway), so it opens no write path.
public enum ProtocolAccess: String, Sendable, Hashable, Codable, CaseIterable {
    case readWrite = "read-write"
    case readOnly = "read-only"
}

public struct ConduitProtocol: Sendable, Hashable {
    /// Lower-case protocol name such as `https`, `opc-ua`, `modbus-tcp`.
    public var name: String
    public var port: Int?
    public var access: ProtocolAccess

    public init(name: String, port: Int? = nil, access: ProtocolAccess = .readWrite) {
        self.name = name
        self.port = port
        self.access = access
    }

    /// `https/443` or `https` when no port is declared.
    public var label: String { port.map { "\(name)/\($0)" } ?? name }
}

/// The only way data may pass between two zones (IEC 62443-3-2 ZCR 3).
public struct Conduit: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The two zones joined; direction is relative to this order.
    public var zones: (String, String)
    public var direction: ConduitDirection
    public var protocols: [ConduitProtocol]
    /// Firewall, data diode or gateway that enforces the conduit.
    public var enforcingDevice: String
    /// e.g. `encryption`, `mutual-authentication`, `integrity`, `logging`.
    public var capabilities: Set<String>
    /// SL-A: the level this conduit actually achieves.
    public var slAchieved: SecurityLevelVector
    public var location: SourceLocation?

    public init(id: String, name: String? = nil, zones: (String, String),
                direction: ConduitDirection = .bidirectional, protocols: [ConduitProtocol],
                enforcingDevice: String, capabilities: Set<String> = [],
                slAchieved: SecurityLevelVector, location: SourceLocation? = nil) {
        self.id = id
        self.name = name ?? id
        self.zones = zones
        self.direction = direction
        self.protocols = protocols
        self.enforcingDevice = enforcingDevice
        self.capabilities = capabilities
        self.slAchieved = slAchieved
        self.location = location
    }

    public static func == (lhs: Conduit, rhs: Conduit) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.zones == rhs.zones
            && lhs.direction == rhs.direction && lhs.protocols == rhs.protocols
            && lhs.enforcingDevice == rhs.enforcingDevice && lhs.capabilities == rhs.capabilities
            && lhs.slAchieved == rhs.slAchieved && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(zones.0)
        hasher.combine(zones.1)
    }
}

/// Why a flow exists; `model-distribution` flows get the signed-bundle rule.
public enum FlowPurpose: String, Sendable, Hashable, Codable, CaseIterable {
    case modelDistribution = "model-distribution"
    case telemetry
    case control
    case engineering
    case historian
    case maintenance
    case businessData = "business-data"
}

/// A data flow the plant needs. Deny by default: it must be carried by declared conduits.
public struct Flow: Sendable, Hashable {
    public var id: String
    /// Zone id or asset id (resolved to the asset's zone).
    public var from: String
    public var to: String
    public var `protocol`: String
    public var purpose: FlowPurpose
    public var location: SourceLocation?

    public init(id: String, from: String, to: String, protocol: String, purpose: FlowPurpose,
                location: SourceLocation? = nil) {
        self.id = id
        self.from = from
        self.to = to
        self.protocol = `protocol`
        self.purpose = purpose
        self.location = location
    }
}
