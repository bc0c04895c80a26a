import AuditCore
import AuditLedger

/// Everything that can go wrong with people, keys, changes and signatures. Each case maps
/// to one CLI exit code and HTTP status; "malformed input", "not found", "authentication
/// failed", "refused by the rules" and "verification failed" stay distinct.
public enum RecordsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field given by the caller is unusable (empty reason, bad ID, unknown role ...).
    case invalidInput(field: String, reason: String)
    /// No such user, change or key.
    case notFound(what: String, id: String)
    /// Wrong ID or password. Deliberately does not say which.
    case authenticationFailed(userID: String)
    /// The account is locked after repeated failures; only an admin can unlock it.
    case accountLocked(userID: String)
    /// Authenticated, but the rules refuse the action (role, separation of duties, state).
    case refused(String)
    /// The action conflicts with what the ledger already holds (ID taken, already decided).
    case conflict(String)
    /// The approval policy file differs from the one recorded in the ledger.
    case policyNotRecorded(file: String, fileDigest: Digest, recorded: Digest?)
    /// A credential or key file under the data directory is missing or does not match the
    /// ledger (tampering, or a copy of the ledger without its key files).
    case credentialFile(path: String, reason: String)
    /// The replay found entries whose authority or content does not hold (forged, hand-written,
    /// out of order). State derived from such a ledger is not acted on.
    case needsAttention(first: RecordsProblem, count: Int)
    /// The ledger could not be read or written.
    case ledger(LedgerError)
    /// Local files (lock, key files) could not be used.
    case storage(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidInput(field, reason): return "\(field): \(reason)"
        case let .notFound(what, id): return "no \(what) '\(id)'"
        case let .authenticationFailed(userID): return "authentication failed for '\(userID)': user ID or password is wrong"
        case let .accountLocked(userID): return "account '\(userID)' is locked after repeated authentication failures"
        case let .refused(reason): return reason
        case let .conflict(reason): return reason
        case let .policyNotRecorded(file, fileDigest, recorded):
            let was = recorded.map { "the recorded approval policy is \($0.prefixed)" } ?? "no approval policy has been recorded yet"
            return "\(file) (\(fileDigest.prefixed)) is not the approval policy in force; \(was)"
        case let .credentialFile(path, reason): return "\(path): \(reason)"
        case let .needsAttention(first, count):
            return "the ledger needs attention: \(count) entr\(count == 1 ? "y does" : "ies do") not hold when replayed, first \(first)"
        case let .ledger(error): return error.description
        case let .storage(path, reason): return "\(path): \(reason)"
        }
    }
}
