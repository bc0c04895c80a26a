import AuditCore

/// Signs an entry's authority statement with Ed25519 keys held in memory for one append
/// (a person's unsealed key, an edge's key, or the log key for entries auditctl writes on
/// its own behalf). Several keys sign together only for `ledger.created` (founding admins).
public struct KeyAuthority: EntryAuthorizing {
    private let keys: [Ed25519PrivateKey]

    public init(_ key: Ed25519PrivateKey) { keys = [key] }
    public init(keys: [Ed25519PrivateKey]) { self.keys = keys }

    public func sign(statement: [UInt8]) throws -> [AuthoritySignature] {
        keys.map { AuthoritySignature(keyID: $0.publicKey.keyID, signature: $0.sign(statement)) }
    }
}
