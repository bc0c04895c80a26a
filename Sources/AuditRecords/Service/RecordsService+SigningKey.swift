import AuditCore
import AuditCrypto

extension RecordsService {
    /// Authenticates ID + password (failures recorded and counted toward lockout, as for
    /// `sign`) and opens the user's active signing key, for signatures made outside the ledger
    /// such as a bundle's DSSE signature. Admins cannot sign.
    public func unlockSigningKey(_ c: Credentials, operation: String) async throws(RecordsError) -> (user: UserRecord, key: Ed25519PrivateKey) {
        let (lock, state) = try locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(c, in: state, operation: operation)
        try requireReadyToAct(user, now: clock())
        guard !user.isAdmin else { throw .refused("\(user.id) is an admin; admins cannot sign") }
        guard let key = user.activeKey else {
            throw .refused("\(user.id) has no active signing key; run `auditctl key rotate --user \(user.id)` first")
        }
        return (user, try openKey(of: user, key, password: c.password))
    }
}
