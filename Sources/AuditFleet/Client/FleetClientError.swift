/// Why a push got no usable answer from the central. The central's refusals (its status and
/// message) are kept apart from transport failures: a refusal needs a person, a transport
/// failure only a retry.
public enum FleetClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The central refused the push (C2SP tlog-witness statuses, Docs/fleet.md), with the
    /// message of its answer when it gave one.
    case refused(FleetRefusal, message: String)
    /// Any other status (5xx, a redirect, a proxy's page).
    case unexpectedStatus(Int, message: String)
    /// No answer within the timeout.
    case timeout(seconds: Double)
    /// The connection could not be made or broke off (refused, reset, dropped mid-answer, TLS).
    case transport(String)
    /// The answer's body is larger than a fleet answer can be; reading stopped there.
    case responseTooLarge(limit: Int)
    /// The status was one the protocol defines, but the body is not what it must carry.
    case malformedResponse(status: Int, reason: String)
    /// The central's URL cannot be used (not http or https, no host).
    case badURL(String)
    /// The CA file given for the central's certificate cannot be used.
    case trustFile(path: String, reason: String)
    /// The encoded push is larger than the central accepts (`FleetPush.maxBodyBytes`); a
    /// smaller batch fits. Nothing was sent.
    case pushTooLarge(bytes: Int, limit: Int)
    /// The push itself cannot be sent (its checkpoint is not a signed note). Nothing was sent.
    case invalidPush(String)

    public var description: String {
        switch self {
        case let .refused(refusal, message):
            return "the central refused the push (\(refusal.status) \(refusal.meaning))" + (message.isEmpty ? "" : ": \(message)")
        case let .unexpectedStatus(status, message):
            return "the central answered HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .timeout(let s): return "the central did not answer within \(Int(s)) s"
        case .transport(let m): return "cannot reach the central: \(m)"
        case .responseTooLarge(let limit): return "the central's answer is larger than \(limit) bytes; not read further"
        case let .malformedResponse(status, reason): return "the central's \(status) answer is malformed: \(reason)"
        case .badURL(let m): return "unusable central URL: \(m)"
        case let .trustFile(path, reason): return "cannot use the CA file '\(path)': \(reason)"
        case let .pushTooLarge(bytes, limit): return "the push is \(bytes) bytes, more than the \(limit) the central accepts"
        case .invalidPush(let m): return "the push cannot be sent: \(m)"
        }
    }

    /// True when trying again later may succeed without anyone changing anything.
    public var isTransient: Bool {
        switch self {
        case .timeout, .transport: return true
        case .unexpectedStatus(let status, _): return status >= 500
        default: return false
        }
    }
}

/// The refusals the fleet protocol defines (Docs/fleet.md).
public enum FleetRefusal: Int, Sendable, Equatable {
    /// The push is malformed: a field, `old` beyond the checkpoint, entries not exactly `old ..< size`.
    case malformed = 400
    /// The checkpoint carries no signature by the log key the central enrolled for this origin.
    case notSignedByEnrolledKey = 403
    /// The central has not enrolled this origin.
    case unknownOrigin = 404
    /// The consistency proof or the entries do not match what the central holds: a fork alarm.
    case inconsistent = 422

    public var status: Int { rawValue }

    public var meaning: String {
        switch self {
        case .malformed: return "malformed push"
        case .notSignedByEnrolledKey: return "checkpoint not signed by the enrolled plant key"
        case .unknownOrigin: return "origin not enrolled"
        case .inconsistent: return "proof or entries inconsistent with the central's copy"
        }
    }
}
