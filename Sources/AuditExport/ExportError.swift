import AuditLedger
import AuditRecords

/// Why an export could not be written. Verification outcomes are not errors: they are
/// `ExportVerification` problems, each naming its file and entry.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    /// A request field is unusable (bad date, empty period, unknown change).
    case invalidRequest(field: String, reason: String)
    /// The ledger could not be read, or holds something an export must not paper over.
    case ledger(LedgerError)
    /// The stored entries contradict their own hashes: the ledger needs `auditctl verify`.
    case inconsistentLedger(seq: Int, reason: String)
    /// The log key is needed to sign the manifest (and a checkpoint covering the tail).
    case logKeyLocked
    /// Writing a staged file or the ZIP failed.
    case io(path: String, reason: String)
    /// The export was written but could not be recorded; it was not handed out.
    case records(RecordsError)
    /// `--pdf` without a usable headless Chromium.
    case pdfUnavailable(reason: String)
    /// A ZIP given to the verifier could not be opened or read at all.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidRequest(field, reason): return "\(field): \(reason)"
        case let .ledger(error): return error.description
        case let .inconsistentLedger(seq, reason): return "the ledger is inconsistent at seq \(seq): \(reason)"
        case .logKeyLocked: return "the log key is not unlocked: an export's manifest is signed by the log key"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .records(error): return error.description
        case let .pdfUnavailable(reason): return "cannot write report.pdf: \(reason)"
        case let .unreadable(path, reason): return "\(path): \(reason)"
        }
    }
}
