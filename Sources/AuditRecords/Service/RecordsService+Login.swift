import AuditCore
import AuditPolicy
import Foundation

/// What a successful login established.
public struct LoginResult: Sendable {
    public let user: UserRecord
    /// The password is one-time (set by an admin) or past the policy's maximum age: until it
    /// is replaced (`rotateKey`), the person may do nothing but replace it.
    public let mustChangePassword: Bool
    /// Why the password must change, in words for the person.
    public let passwordNotice: String?
}

extension RecordsService {
    /// Checks ID + password to open a session of a long-running caller (the HTTP service),
    /// with the same Argon2id verifiers and lockout rules as every action: a failure is
    /// recorded as `auth.failed` and the account locks at the policy's threshold
    /// (`account.locked`), both signed with the log key. A success writes nothing and opens
    /// no key; each action in the session still authenticates on its own.
    public func logIn(_ credentials: Credentials) async throws(RecordsError) -> LoginResult {
        try RecordIDs.checkText(credentials.userID, field: "user ID", maxBytes: Limits.maxRecordIDBytes)
        guard credentials.password.utf8.count <= Limits.maxPasswordBytes else {
            throw .invalidInput(field: "password", reason: "longer than \(Limits.maxPasswordBytes) bytes")
        }
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(credentials, in: state, operation: "log in")
        if user.mustChangePassword {
            return LoginResult(user: user, mustChangePassword: true,
                               passwordNotice: "your password was set by an admin and is one-time: choose your own to continue")
        }
        if passwordExpired(user, now: clock(), security: state.security) {
            return LoginResult(user: user, mustChangePassword: true,
                               passwordNotice: "your password is older than \(state.security.passwordMaxAgeDays) days: choose a new one to continue")
        }
        return LoginResult(user: user, mustChangePassword: false, passwordNotice: nil)
    }
}
