import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// An admin or auditor who proved ID + password for one export, with their key opened to
/// sign the `export.generated` entry once the export is written. Writing can take minutes
/// on a large ledger, so the records lock is not held in between (signing goes on).
public struct ExportAuthorization: Sendable {
    public let userID: String
    public let printedName: String
    /// Roles in force when the export was authorized.
    public let roles: Set<String>
    public let keyID: Digest
    let key: Ed25519PrivateKey
}

extension RecordsService {
    /// Step one of an export: authenticates ID + password (failures recorded and counted
    /// toward lockout, as for every action) and requires the admin or auditor role in force
    /// with a confirmed key. Nothing is written on success.
    public func authorizeExport(_ c: Credentials) async throws(RecordsError) -> ExportAuthorization {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(c, in: state, operation: "generate an export")
        guard user.isAdmin || user.roles.contains(ApprovalPolicy.auditorRole) else {
            throw .refused("'\(user.id)' holds neither the '\(ApprovalPolicy.adminRole)' nor the '\(ApprovalPolicy.auditorRole)' role in force; only they generate exports")
        }
        let actor = try actor(user, password: c.password, now: clock(), security: state.security)
        return ExportAuthorization(userID: user.id, printedName: user.printedName, roles: user.roles,
                                   keyID: actor.key.publicKey.keyID, key: actor.key)
    }

    /// Step two: records `export.generated` (what was exported and its digests), signed by
    /// the authorized person's key. Re-checks that role and key still hold, so an export
    /// authorized just before a revocation is not recorded under authority it lost.
    @discardableResult
    public func recordExport(_ authorization: ExportAuthorization, subject: String,
                             details: [String: JSONValue]) async throws(RecordsError) -> Entry {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        guard let user = state.users[authorization.userID], user.active,
              user.isAdmin || user.roles.contains(ApprovalPolicy.auditorRole)
        else { throw .refused("'\(authorization.userID)' no longer holds the admin or auditor role in force; the export was not recorded") }
        guard user.signingKey?.keyID == authorization.keyID else {
            throw .refused("the signing key of '\(authorization.userID)' changed while the export was written; the export was not recorded")
        }
        return try await append([EntryDraft(kind: EntryKind.exportGenerated, actor: user.id, subject: subject,
                                            payload: .object(details), authority: KeyAuthority(authorization.key))])[0]
    }
}
