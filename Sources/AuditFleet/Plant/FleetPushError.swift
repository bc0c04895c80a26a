import AuditLedger

/// Why a push round stopped. `centralAhead`, `cosignature` and a 422 refusal are alarms for
/// the plant's operator (the central's copy and this ledger disagree, or the witness did not
/// vouch for this ledger); the rest is configuration or a central that cannot be reached.
public enum FleetPushError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plant's own ledger could not be read, or a cosignature not stored.
    case ledger(LedgerError)
    /// The central could not be reached, or refused the push.
    case central(FleetClientError)
    /// The central holds more entries than this ledger has.
    case centralAhead(centralSize: Int, ledgerSize: Int)
    /// The central's 200 carried no valid cosignature by the configured witness key.
    case cosignature(size: Int, reason: String)
    /// The central keeps answering 409 with the very size the plant pushes from.
    case conflictLoop(size: Int)

    public var description: String {
        switch self {
        case .ledger(let e): return e.description
        case .central(let e): return e.description
        case let .centralAhead(central, ledger):
            return "the central holds \(central) entries, this ledger only \(ledger): was it restored from an old backup or forked?"
        case let .cosignature(size, reason): return "checkpoint size \(size) was not cosigned: \(reason)"
        case .conflictLoop(let size):
            return "the central answers 409 with size \(size) to a push from size \(size); it is not following the protocol"
        }
    }

    /// An alarm condition: the witness and this ledger disagree about its history.
    public var isAlarm: Bool {
        switch self {
        case .centralAhead, .cosignature: return true
        case .central(.refused(.inconsistent, _)): return true
        default: return false
        }
    }
}
