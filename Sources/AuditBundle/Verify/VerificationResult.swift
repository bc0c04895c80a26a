import AuditCore

/// A signature that verified against a trusted key.
public struct VerifiedSignature: Sendable, Equatable {
    public enum Kind: String, Sendable { case approver, producer }
    public let kind: Kind
    /// Approver id, or producer name.
    public let signer: String
    public let keyID: String
    /// Approver roles from the trust root (empty for producers).
    public let roles: [String]
}

/// The outcome of `Verifier.verify`: every check in `CheckID` order, and the verdict.
public struct VerificationResult: Sendable {
    public let checks: [CheckResult]
    public let statement: ModelStatement?
    public let signatures: [VerifiedSignature]
    public let checkpoint: CheckpointBody?
    public let approvedChange: ApprovedChange?
    /// Seq of the verified `change.approved` entry (its place in the ledger order).
    public let approvalSeq: Int?
    /// The checkpoints the approval proof proved to this edge's state (its own, and the
    /// prefixes its consistency proofs name); what the state remembers on "may load".
    public let provenCheckpoints: [EdgeState.SeenCheckpoint]
    /// The bundle's checkpoint with the trusted witnesses' cosignatures that verified on it,
    /// when the trust root names witnesses and it carries any: the state keeps it on "may
    /// load", so later bundles anchored at or below it can count them.
    public let witnessedCheckpoint: EdgeState.WitnessedCheckpoint?
    /// Checks the caller explicitly chose not to run (`--no-state`, `--any-zone`): a
    /// "may load" does not cover them, and the verdict says so.
    public internal(set) var waivedChecks: [CheckID] = []

    /// "May load": no check failed. Missing state or zone fails unless explicitly waived
    /// (`waivedChecks`); other skipped checks were impossible because an earlier one failed.
    public var mayLoad: Bool { !checks.contains { $0.status == .failed } }

    public var firstFailure: CheckResult? { checks.first { $0.status == .failed } }

    /// 0 when the model may load, else the first failed check's code.
    public var exitCode: Int32 { firstFailure?.id.exitCode ?? 0 }

    public func check(_ id: CheckID) -> CheckResult? { checks.first { $0.id == id } }

    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "verdict": .string(mayLoad ? "may-load" : "blocked"),
            "exitCode": .number(Double(exitCode)),
            "notChecked": .array(waivedChecks.map { .string($0.rawValue) }),
            "checks": .array(checks.map { c in
                .object(["code": .string(c.id.rawValue), "status": .string(c.status.rawValue), "detail": .string(c.detail),
                         "findings": .array(c.findings.map { .string($0) }),
                         "exitCode": .number(Double(c.id.exitCode))])
            }),
            "signatures": .array(signatures.map {
                .object(["kind": .string($0.kind.rawValue), "signer": .string($0.signer), "keyId": .string($0.keyID),
                         "roles": .array($0.roles.map { .string($0) })])
            }),
        ]
        if let s = statement {
            o["bundleDigest"] = .string(s.subjectDigest.prefixed)
            if let r = s.release {
                o["model"] = .string(r.modelName)
                o["version"] = .string(r.modelVersion)
                o["changeId"] = .string(r.changeID)
            }
        }
        if let c = checkpoint { o["checkpoint"] = .object(["origin": .string(c.origin), "size": .number(Double(c.size))]) }
        if let seq = approvalSeq { o["approvalSeq"] = .number(Double(seq)) }
        return .object(o)
    }
}
