/// What the central decided about one push (Docs/fleet.md, c2sp.org/tlog-witness
/// `add-checkpoint`). Every refusal but `refused` leaves the database untouched; `refused`
/// has kept the body as evidence and raised an alarm in the same transaction.
public enum PushDecision: Sendable, Equatable {
    /// 200: stored (or already held) and cosigned; `cosignatures` are note signature lines.
    case cosigned(size: Int, storedEntries: Int, cosignatures: String)
    /// 400: the body cannot be a push; `field` names what is wrong.
    case malformed(field: String, reason: String)
    /// 403: the checkpoint carries no valid signature by the plant's enrolled key.
    case forbidden(reason: String)
    /// 404: no plant with this origin is enrolled.
    case unknownOrigin(String)
    /// 409 `text/x.tlog.size`: the central holds `centralSize` entries of this plant.
    case conflict(centralSize: Int)
    /// 422: a signed checkpoint that contradicts what the central holds, a bad proof, or
    /// entries that do not hash to the checkpoint. Evidence kept, alarm raised.
    case refused(alarm: AlarmKind, message: String, evidenceID: Int64)

    public var httpStatus: Int {
        switch self {
        case .cosigned: return 200
        case .malformed: return 400
        case .forbidden: return 403
        case .unknownOrigin: return 404
        case .conflict: return 409
        case .refused: return 422
        }
    }
}

/// Why a push was refused with an alarm. The raw values are the metric label, the
/// `alarm.raised` entry's `kind` field and the `alarms.kind` column.
public enum AlarmKind: String, Sendable, CaseIterable {
    /// A checkpoint of the size the central holds, with another root: a split view.
    case fork
    /// A checkpoint smaller than the central's size whose root is not the central's root at
    /// that size: the plant's history was rewritten below what it already showed.
    case rollback
    /// The consistency proof from the central's tree to the checkpoint does not verify.
    case inconsistentProof = "inconsistent-proof"
    /// The entries do not hash to the checkpoint (leaf hashes, `prev` chain, or a retried
    /// push whose entries differ from the stored ones).
    case entriesMismatch = "entries-mismatch"
}
