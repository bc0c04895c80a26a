import AuditCore
import AuditCrypto
import AuditFiles
import Foundation

/// Secret material kept next to the ledger, never in it (so exports never carry it):
///
///     credentials/<user>/<sha256 hex>.pwhash   Argon2id verifier string; the ledger records its digest
///     keys/<user>/<key id hex>.sealed          private key sealed under the owner's password
///
/// Files are content-addressed and never overwritten: a write that is not followed by its
/// ledger entry leaves only an unused file, and the ledger always says which file is current.
/// A file whose content does not match its ledger digest is refused as tampered.
public struct CredentialFiles: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    func passwordPath(user: String, digest: Digest) -> String { "\(directory)/credentials/\(user)/\(digest.hex).pwhash" }
    func keyPath(user: String, keyID: Digest) -> String { "\(directory)/keys/\(user)/\(keyID.hex).sealed" }

    /// Writes a verifier and returns the digest the ledger must record.
    func storePasswordHash(_ encoded: String, user: String) throws(RecordsError) -> Digest {
        let bytes = Array(encoded.utf8)
        let digest = SHA256.hash(bytes)
        try write(bytes, to: passwordPath(user: user, digest: digest))
        return digest
    }

    /// Reads the verifier the ledger names, checking it is the one recorded.
    func passwordHash(user: String, digest: Digest) throws(RecordsError) -> String {
        let path = passwordPath(user: user, digest: digest)
        let bytes = try read(path, limit: Limits.maxPasswordVerifierFileBytes)
        guard SHA256.hash(bytes) == digest else {
            throw .credentialFile(path: path, reason: "content does not match the digest recorded in the ledger; the file may have been tampered with")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func storeSealedKey(_ bytes: [UInt8], user: String, keyID: Digest) throws(RecordsError) {
        try write(bytes, to: keyPath(user: user, keyID: keyID))
    }

    func sealedKey(user: String, keyID: Digest) throws(RecordsError) -> (bytes: [UInt8], path: String) {
        let path = keyPath(user: user, keyID: keyID)
        return (try read(path, limit: Limits.maxSealedKeyFileBytes), path)
    }

    private func write(_ bytes: [UInt8], to path: String) throws(RecordsError) {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if fm.fileExists(atPath: path) { return }
            let temp = path + ".tmp-\(UUID().uuidString.prefix(8))"
            guard fm.createFile(atPath: temp, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw RecordsError.storage(path: path, reason: "cannot create file")
            }
            try fm.moveItem(atPath: temp, toPath: path)
        } catch let e as RecordsError {
            throw e
        } catch {
            throw .storage(path: path, reason: "\(error)")
        }
    }

    /// The size bound is checked from `fstat` before reading, and only regular files are
    /// opened, so a planted 200 MB file or a FIFO cannot stall or exhaust an authentication.
    private func read(_ path: String, limit: Int) throws(RecordsError) -> [UInt8] {
        do {
            return try SafeFileReader.read(path, limit: limit, what: "credential file", symlinks: .refuse)
        } catch {
            switch error.problem {
            case .notFound: throw .credentialFile(path: path, reason: "missing; the ledger names it but it is not in the data directory")
            case .tooLarge(_, let limit): throw .credentialFile(path: path, reason: "larger than \(limit) bytes")
            default: throw .credentialFile(path: path, reason: error.reason)
            }
        }
    }
}
