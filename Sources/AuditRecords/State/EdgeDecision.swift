import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// What an edge signs when it decides whether a bundle may load. Made offline, so it
/// cannot name its future ledger position; instead it carries the edge's own counter,
/// which must rise with every decision the ledger accepts from that edge: a decision can
/// be neither replayed nor reordered, and only the enrolled edge's key can make one.
public struct EdgeDecision: Sendable, Equatable {
    public static let format = "auditctl-edge-decision/v1"

    public let edge: String
    public let counter: Int
    /// `deployment.verified` or `deployment.blocked`.
    public let kind: String
    /// The change the bundle claims to carry ("" when unknown).
    public let subject: String
    /// When the edge decided (RFC 3339 UTC).
    public let time: String
    /// The verification result, bundle path and zone.
    public let decision: JSONValue

    public init(edge: String, counter: Int, kind: String, subject: String, time: String, decision: JSONValue) {
        self.edge = edge
        self.counter = counter
        self.kind = kind
        self.subject = subject
        self.time = time
        self.decision = decision
    }

    public var jsonValue: JSONValue {
        .object(["format": .string(Self.format), "edge": .string(edge), "counter": .number(Double(counter)),
                 "kind": .string(kind), "subject": .string(subject), "time": .string(time), "decision": decision])
    }

    public var signingBytes: [UInt8] { jsonValue.canonicalBytes() }

    public init?(json: JSONValue) {
        guard json["format"]?.stringValue == Self.format, json.objectValue?.count == 7,
              let edge = json["edge"]?.stringValue, let counter = json["counter"]?.int64Value, counter > 0,
              let kind = json["kind"]?.stringValue,
              kind == EntryKind.deploymentVerified || kind == EntryKind.deploymentBlocked,
              let subject = json["subject"]?.stringValue, let time = json["time"]?.stringValue, UTCTime.parse(time) != nil,
              let decision = json["decision"], decision.objectValue != nil
        else { return nil }
        self.init(edge: edge, counter: Int(counter), kind: kind, subject: subject, time: time, decision: decision)
    }

    /// The signed decision as it travels in `decisions.jsonl` and as a ledger payload.
    public func signed(with key: Ed25519PrivateKey) -> JSONValue {
        .object(["record": jsonValue,
                 "signature": AuthoritySignature(keyID: key.publicKey.keyID, signature: key.sign(signingBytes)).jsonValue])
    }

    /// The ledger entry for a signed decision read back from an edge's file.
    public static func draft(fromSigned signed: JSONValue) -> EntryDraft? {
        guard let record = signed["record"].flatMap(EdgeDecision.init(json:)),
              signed["signature"].flatMap(AuthoritySignature.init(json:)) != nil, signed.objectValue?.count == 2
        else { return nil }
        return EntryDraft(kind: record.kind, actor: record.edge, subject: record.subject, payload: signed)
    }
}

extension RecordsState {
    /// A deployment decision counts only if its enrolled, confirmed edge signed it with a
    /// counter above every earlier one of that edge.
    mutating func applyDeployment(_ e: Entry) {
        let record = e.payload["record"].flatMap(EdgeDecision.init(json:))
        let problem = deploymentProblem(e, record)
        if let problem { note(e, problem) } else if let record { edgeCounters[record.edge] = record.counter }
        deployments.append(DeploymentRecord(seq: e.seq, edge: e.actor, verified: e.kind == EntryKind.deploymentVerified,
                                            record: e.payload["record"] ?? .null, problem: problem))
    }

    private func deploymentProblem(_ e: Entry, _ record: EdgeDecision?) -> String? {
        guard let record, let signature = e.payload["signature"].flatMap(AuthoritySignature.init(json:)),
              e.payload.objectValue?.count == 2
        else { return "not a decision signed by an edge (record/signature)" }
        guard record.edge == e.actor, record.kind == e.kind, record.subject == e.subject else {
            return "the entry's actor, kind or subject differ from the signed decision"
        }
        guard let edge = users[e.actor], edge.active, edge.roles.contains(ApprovalPolicy.edgeRole) else {
            return "'\(e.actor)' is not an enrolled, confirmed edge"
        }
        guard let key = edge.keys.first(where: { $0.keyID == signature.keyID }), key.authoritative(at: e.seq) else {
            return "key \(signature.keyID.prefixed) is not a confirmed key of edge '\(edge.id)'"
        }
        guard key.publicKey.verify(signature: signature.signature, message: record.signingBytes) else {
            return "the edge's signature does not verify"
        }
        if let last = edgeCounters[record.edge], record.counter <= last {
            return "counter \(record.counter) is not above \(last), the last decision of '\(record.edge)' (replayed or reordered)"
        }
        return nil
    }
}
