import AuditCore
import AuditRecords

/// One edge decision that a plant's replay accepted (signed by an enrolled, confirmed edge
/// with a rising counter): what the edge loaded, or refused, where and when.
public struct FleetDeployment: Sendable, Equatable {
    public let origin: String
    public let seq: Int
    public let edge: String
    public let time: String
    public let verified: Bool
    public let model: String?
    public let version: String?
    public let zone: String?
    public let changeID: String?
    public let bundleDigest: String?
}

public struct DeploymentFilter: Sendable, Equatable {
    public var plant: String?
    public var model: String?
    public var version: String?
    public var zone: String?
    /// Every decision (loaded and blocked) instead of only what runs now.
    public var history = false

    public init(plant: String? = nil, model: String? = nil, version: String? = nil, zone: String? = nil, history: Bool = false) {
        self.plant = plant
        self.model = model
        self.version = version
        self.zone = zone
        self.history = history
    }
}

extension FleetQueries {
    /// Which model version runs in which zone at which plant: for each plant, edge and model
    /// the newest decision that let a bundle load (`history` lists every decision, oldest first).
    public func deployments(_ filter: DeploymentFilter) async throws(FleetError) -> [FleetDeployment] {
        var out: [FleetDeployment] = []
        for (health, state) in try await states(plant: filter.plant) {
            var all = state.deployments.filter { $0.problem == nil }.map { Self.deployment(health.origin, $0) }
            if !filter.history {
                var current: [String: FleetDeployment] = [:]
                for d in all where d.verified { current["\(d.edge)\u{0}\(d.model ?? "")"] = d }
                all = current.values.sorted { $0.seq < $1.seq }
            }
            out += all.filter { d in
                (filter.model == nil || d.model == filter.model) && (filter.version == nil || d.version == filter.version)
                    && (filter.zone == nil || d.zone == filter.zone)
            }
        }
        return out
    }

    /// The fields of a signed edge decision (`DeploymentRecord.record` is the `EdgeDecision`).
    static func deployment(_ origin: String, _ record: DeploymentRecord) -> FleetDeployment {
        let signed: JSONValue? = record.record
        let decision = signed?["decision"]
        return FleetDeployment(origin: origin, seq: record.seq, edge: record.edge,
                               time: signed?["time"]?.stringValue ?? "", verified: record.verified,
                               model: decision?["model"]?.stringValue, version: decision?["version"]?.stringValue,
                               zone: decision?["zone"]?.stringValue,
                               changeID: decision?["changeId"]?.stringValue ?? signed?["subject"]?.stringValue,
                               bundleDigest: decision?["bundleDigest"]?.stringValue)
    }
}
