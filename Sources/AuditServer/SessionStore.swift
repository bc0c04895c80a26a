import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation
import NIOConcurrencyHelpers

/// One signed-in person. The token itself is never stored: sessions are found by the
/// SHA-256 of the token the client presents, so a memory dump or log line of this table
/// does not let anyone act as the person.
struct Session: Sendable {
    let tokenDigest: Digest
    let userID: String
    let createdAt: Date
    var lastSeen: Date
    /// Sent in every form and required on state-changing requests made with the cookie.
    let csrfToken: String
    /// One-time or expired password: only the password change is allowed.
    var mustChangePassword: Bool
}

/// Why a presented token no longer opens a session (for the log and the login page).
enum SessionRefusal: Error, Equatable {
    case unknown, idle, expired
}

/// Server-side sessions in memory. Idle timeout and absolute lifetime come from the
/// recorded policy's `sessionIdleMinutes` / `sessionMaxHours`, read at every lookup, so a
/// newly recorded policy applies to open sessions too. Restarting the server ends every
/// session (people log in again); nothing about a session is written to disk.
final class SessionStore: Sendable {
    private let sessions = NIOLockedValueBox<[Digest: Session]>([:])
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) { self.clock = clock }

    /// A fresh random 256-bit token (returned once, to the client) and its session.
    func open(userID: String, mustChangePassword: Bool) -> (token: String, session: Session) {
        let token = Self.randomToken()
        let now = clock()
        let session = Session(tokenDigest: Self.digest(token), userID: userID, createdAt: now, lastSeen: now,
                              csrfToken: Self.randomToken(), mustChangePassword: mustChangePassword)
        sessions.withLockedValue { $0[session.tokenDigest] = session }
        return (token, session)
    }

    /// The live session for `token`, touched (idle clock restarted); expired ones are removed.
    func lookup(_ token: String, security: SecurityParameters) -> Result<Session, SessionRefusal> {
        let key = Self.digest(token)
        let now = clock()
        return sessions.withLockedValue { table in
            guard var s = table[key] else { return .failure(.unknown) }
            if now.timeIntervalSince(s.createdAt) > Double(security.sessionMaxHours) * 3600 {
                table[key] = nil
                return .failure(.expired)
            }
            if now.timeIntervalSince(s.lastSeen) > Double(security.sessionIdleMinutes) * 60 {
                table[key] = nil
                return .failure(.idle)
            }
            s.lastSeen = now
            table[key] = s
            return .success(s)
        }
    }

    func close(_ digest: Digest) {
        sessions.withLockedValue { _ = $0.removeValue(forKey: digest) }
    }

    /// Ends every session of a person (locked, deactivated, password changed elsewhere).
    func closeAll(of userID: String) {
        sessions.withLockedValue { table in table = table.filter { $0.value.userID != userID } }
    }

    func count() -> Int { sessions.withLockedValue { $0.count } }

    static func digest(_ token: String) -> Digest { SHA256.hash(Array(token.utf8)) }

    /// 32 random bytes, base64url without padding (cookie- and header-safe).
    static func randomToken() -> String {
        Base64.encode(SecureRandom.bytes(32)).replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
