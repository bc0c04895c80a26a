import AuditLedger
import AuditRecords
import Foundation

/// How `auditctl serve` runs. Security limits (session idle time and lifetime, lockout) are
/// not here: they come from the approval policy recorded in the ledger, so whoever starts the
/// server cannot loosen them.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// PEM certificate chain and private key; both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var dataDirectory: String
    /// Unlocks the log key: failed logins and lockouts are entries signed with it, and every
    /// append is followed by a signed checkpoint.
    public var logKey: LedgerHome.LogKeySource
    /// Argon2id costs for hashes this process makes (new passwords, sealed keys).
    public var records = RecordsConfiguration()
    /// Login attempts allowed per client address and per user ID within `loginWindow`.
    public var loginAttemptsPerAddress = 30
    public var loginAttemptsPerUser = 10
    public var loginWindow: TimeInterval = 300
    /// Largest request body accepted (JSON and forms); larger bodies get 413.
    public var maxBodyBytes = 64 * 1024
    /// Threads for Argon2id, key unsealing and the records lock. Actions enter one at a
    /// time (`ActionGate`: they serialize on the records lock anyway), so one Argon2id run
    /// (64–256 MiB) is in memory at a time; a second thread covers the tail of an append.
    public var actionThreads = 2
    /// Threads for SQLite reads and state replay.
    public var readThreads = 4
    /// SHA-256 of a bearer token a metrics scraper presents instead of a session (optional).
    public var metricsTokenDigest: [UInt8]?
    /// Injected so tests can move time (session expiry).
    public var clock: @Sendable () -> Date = { Date() }

    public init(dataDirectory: String, logKey: LedgerHome.LogKeySource) {
        self.dataDirectory = dataDirectory
        self.logKey = logKey
    }

    /// Whether cookies must carry `Secure` and the threat model's "TLS off the loopback" holds.
    public var usesTLS: Bool { tlsCertificatePath != nil }

    /// Loopback addresses may run without TLS; anything else must not (21 CFR 11.30).
    public var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" }
}
