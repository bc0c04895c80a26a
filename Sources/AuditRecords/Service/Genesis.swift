import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import Foundation

/// The root of the chain of authority: the founding admins, each with a password and a
/// signing key of their own (sealed under that password like everyone's), bound in
/// `ledger.created` and signed there by every one of them. With the default policy a new
/// signer needs a confirmation by an admin other than the one who enrolled them, so a
/// ledger needs at least two founding admins.
public enum Genesis {
    public struct Founder: Sendable {
        public let id: String
        public let printedName: String
        public let password: String
        public init(id: String, printedName: String, password: String) {
            self.id = id
            self.printedName = printedName
            self.password = password
        }
    }

    /// Checks the founders, writes their password verifiers and sealed keys into the data
    /// directory, creates the ledger and appends `ledger.created` signed by all of them.
    public static func create(home: LedgerHome, origin: String, protection: LedgerHome.KeyProtection,
                              founders: [Founder], configuration: RecordsConfiguration = RecordsConfiguration(),
                              synchronous: LedgerStore.Synchronous = .full) async throws(RecordsError) -> LedgerStore {
        guard founders.count >= 2 else {
            throw .invalidInput(field: "admin", reason: "name at least two founding admins: no single person may create a signer, so a second admin must confirm every new identity")
        }
        guard founders.count <= Limits.maxAuthoritySignatures else {
            throw .invalidInput(field: "admin", reason: "at most \(Limits.maxAuthoritySignatures) founding admins")
        }
        guard Set(founders.map(\.id)).count == founders.count else { throw .invalidInput(field: "admin", reason: "the same ID twice") }
        let security = SecurityParameters()
        for f in founders {
            try RecordIDs.checkUserID(f.id, field: "admin ID")
            try RecordIDs.checkText(f.printedName, field: "printed name of \(f.id)", maxBytes: Limits.maxPrintedNameBytes)
            guard f.password.count >= security.passwordMinLength, f.password.utf8.count <= Limits.maxPasswordBytes,
                  f.password.lowercased() != f.id.lowercased() else {
                throw .invalidInput(field: "password of \(f.id)", reason: "must be \(security.passwordMinLength) to \(Limits.maxPasswordBytes) bytes and not the user ID")
            }
        }
        // Before the founders' keys are written: a refused init leaves nothing behind.
        do { try home.checkNothingInTheWay(protection: protection) } catch { throw .ledger(error) }
        do {
            try FileManager.default.createDirectory(atPath: home.directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .storage(path: home.directory, reason: "\(error)")
        }
        let files = CredentialFiles(directory: home.directory)
        var bound: [FoundingAdmin] = []
        var keys: [Ed25519PrivateKey] = []
        for f in founders {
            let key = Ed25519PrivateKey.generate()
            do {
                let sealed = try SealedKey.seal(key, password: f.password, parameters: configuration.keySealing)
                try files.storeSealedKey(sealed, user: f.id, keyID: key.publicKey.keyID)
                let encoded = try PasswordHash.make(password: f.password, parameters: configuration.passwordHashing)
                let digest = try files.storePasswordHash(encoded, user: f.id)
                bound.append(FoundingAdmin(id: f.id, printedName: f.printedName, publicKey: key.publicKey, passwordDigest: digest))
            } catch let e as RecordsError {
                throw e
            } catch {
                throw .storage(path: home.directory, reason: "\(error)")
            }
            keys.append(key)
        }
        do {
            return try await home.initialize(origin: origin, protection: protection, synchronous: synchronous,
                                             genesis: ["founders": .array(bound.map(\.jsonValue))],
                                             authority: KeyAuthority(keys: keys))
        } catch {
            throw .ledger(error)
        }
    }
}
