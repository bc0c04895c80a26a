import AuditCore
import AuditCrypto

extension RecordsService {
    /// Authenticates ID + password (failures recorded and counted toward lockout, as for
    /// `sign`) and opens the user's active signing key, for signatures made outside the ledger
    /// such as a bundle's DSSE signature. Admins cannot sign.
    public func unlockSigningKey(_ c: Credentials, operation: String) async throws(RecordsError) -> (user: UserRecord, key: Ed25519PrivateKey) {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(c, in: state, operation: operation)
        guard !user.isAdmin else { throw .refused("\(user.id) is an admin; admins cannot sign") }
        let actor = try actor(user, password: c.password, now: clock(), security: state.security)
        return (user, actor.key)
    }
}
