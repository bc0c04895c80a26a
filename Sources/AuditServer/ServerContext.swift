import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Per-request context: who is calling (set by `SessionMiddleware`), from where, and how
/// (cookie sessions need a CSRF token on state-changing requests; bearer tokens do not).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for the login rate limit and the log.
    public let remoteAddress: String
    var session: Session?
    /// The session's person as the ledger knows them at this request (roles in force now).
    var user: UserRecord?
    var viaCookie = false
    /// The replayed state the session was checked against; routes read the same one, so a
    /// request costs one ledger-size check, not one per step.
    var state: RecordsState?
    /// The ledger version `state` stands for: responses derived from the ledger are cached
    /// under it (`APIRouter.cachedJSON`).
    var ledgerVersion: LedgerVersion?
    /// Raw token presented (to end the session on logout); never logged.
    var tokenDigest: Digest?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies are read through `Request+Body` with the configured limit; this caps the rest.
    public var maxUploadSize: Int { 256 * 1024 }
}
