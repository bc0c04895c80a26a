import AuditCore
import AuditCrypto
import AuditFiles
import Foundation

/// The on-disk layout of one auditctl data directory:
///
///     ledger.sqlite     the ledger (entries, Merkle nodes, checkpoints)
///     log-key.sealed    the log's Ed25519 signing key, sealed with Argon2id + secretbox
///     log.vkey          the log's C2SP verifier key (public; give it to auditors)
///
/// Operators who keep the log key elsewhere (a key file on a token, an environment
/// variable set by a secrets manager) initialize with `.plainKeyFile` and no sealed file exists.
public struct LedgerHome: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public var ledgerPath: String { directory + "/ledger.sqlite" }
    public var sealedKeyPath: String { directory + "/log-key.sealed" }
    public var verifierKeyPath: String { directory + "/log.vkey" }

    /// How the log's private key is kept at rest.
    public enum KeyProtection: Sendable {
        case sealed(password: String, parameters: Argon2Parameters)
        /// Written in clear (C2SP `PRIVATE+KEY+…` form, mode 0600) to a path the operator chose.
        case plainKeyFile(path: String)
    }

    /// Where to find the private key when the log must sign a checkpoint.
    public enum LogKeySource: Sendable {
        case password(String)
        case signerKey(String)
    }

    /// Creates the directory, the log key and the ledger, and records `ledger.created`
    /// with a first signed checkpoint. `genesis` adds fields to its payload (the founding
    /// admins) and `authority` signs it (their keys): the root of the chain of authority.
    public func initialize(origin: String, protection: KeyProtection,
                           synchronous: LedgerStore.Synchronous = .full,
                           genesis: [String: JSONValue] = [:],
                           authority: (any EntryAuthorizing)? = nil) async throws(LedgerError) -> LedgerStore {
        let fm = FileManager.default
        try checkNothingInTheWay(protection: protection)
        let signer: NoteSigner
        do {
            signer = try NoteSigner(name: origin, privateKey: Ed25519PrivateKey.generate())
        } catch {
            throw .invalidDraft(field: "origin", reason: "cannot be a signed-note key name (\(error)): use letters, digits, '.', '/', '-' without spaces or '+'")
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            switch protection {
            case .sealed(let password, let parameters):
                let sealed = try SealedKey.seal(signer.privateKey, password: password, parameters: parameters)
                try SecureFile.write(sealed, to: sealedKeyPath, mode: 0o600)
            case .plainKeyFile(let path):
                try SecureFile.create(Array((signer.encoded + "\n").utf8), at: path, mode: 0o600, what: "the key file")
            }
            try SecureFile.write(Array((signer.verifierKey.encoded + "\n").utf8), to: verifierKeyPath, mode: 0o644)
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: directory, message: "\(error)")
        }
        var options = LedgerStore.Options()
        options.synchronous = synchronous
        options.checkpointSigner = NoteCheckpointSigner(signer: signer)
        let store = try LedgerStore.create(at: ledgerPath, origin: origin, verifierKey: signer.verifierKey.encoded,
                                           options: options)
        var payload = genesis
        payload["origin"] = .string(origin)
        payload["verifierKey"] = .string(signer.verifierKey.encoded)
        payload["keyId"] = .string(signer.privateKey.publicKey.keyID.prefixed)
        payload["keyProtection"] = .string({ if case .sealed = protection { return "sealed" } else { return "key-file" } }())
        try await store.append(EntryDraft(kind: EntryKind.ledgerCreated, actor: "system", subject: origin,
                                          payload: .object(payload), authority: authority))
        return store
    }

    /// Refuses, before anything is created, a ledger that already exists or a `--key-out`
    /// path already taken (`SecureFile.create` refuses again atomically). Callers that write
    /// files of their own into the directory first (the founding admins' keys) call it too.
    public func checkNothingInTheWay(protection: KeyProtection) throws(LedgerError) {
        guard !FileManager.default.fileExists(atPath: ledgerPath) else { throw .alreadyExists(path: ledgerPath) }
        if case .plainKeyFile(let keyPath) = protection, nameExists(keyPath) {
            throw .fileExists(path: keyPath, what: "the key file")
        }
    }

    /// Opens the ledger; with a key source, appends are followed by a signed checkpoint.
    /// `clockTolerance` is how far the host clock may be behind the newest entry before an
    /// append is refused (`LedgerStore.Options.clockTolerance`); pass the recorded policy's.
    public func open(keySource: LogKeySource? = nil, readOnly: Bool = false,
                     synchronous: LedgerStore.Synchronous = .full,
                     checkpointInterval: Double = 0, clockTolerance: Double = 300) throws(LedgerError) -> LedgerStore {
        var options = LedgerStore.Options()
        options.checkpointInterval = checkpointInterval
        options.clockTolerance = clockTolerance
        options.readOnly = readOnly
        options.synchronous = synchronous
        let store = try LedgerStore.open(at: ledgerPath, options: options)
        guard let keySource else { return store }
        store.attachCheckpointSigner(NoteCheckpointSigner(signer: try unlock(keySource, origin: store.origin, expected: store.verifierKey)))
        return store
    }

    /// The verifier key from `log.vkey` (or a file the caller trusts more).
    public func verifierKey(path: String? = nil) throws(LedgerError) -> NoteVerifierKey {
        let p = path ?? verifierKeyPath
        let data: [UInt8]
        do { data = try SafeFileReader.read(p, limit: Limits.maxSecretFileBytes, what: "verifier key") } catch {
            if error.problem == .notFound { throw .notFound(path: p) }
            throw .badKeyFile(path: p, reason: error.reason)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try NoteVerifierKey.parse(text)
        } catch {
            throw .badKeyFile(path: p, reason: "not a C2SP verifier key (name+hash+base64): \(error)")
        }
    }

    /// The log's signed-note signer from `source`, checked against the ledger's verifier key
    /// (exports sign their manifest with it).
    public func unlock(_ source: LogKeySource, origin: String, expected: String) throws(LedgerError) -> NoteSigner {
        let signer: NoteSigner
        switch source {
        case .signerKey(let text):
            do {
                signer = try NoteSigner.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } catch {
                throw .signing("the log key given is not a C2SP signer key: \(error)")
            }
        case .password(let password):
            let bytes: [UInt8]
            do { bytes = try SafeFileReader.read(sealedKeyPath, limit: Limits.maxSealedKeyFileBytes, what: "sealed log key") } catch {
                guard error.problem == .notFound else { throw .signing(error.description) }
                throw .signing("no sealed log key at \(sealedKeyPath); this ledger keeps its key in a key file (use --log-key-file or AUDITCTL_LOG_KEY)")
            }
            do {
                let key = try SealedKey.open(bytes, password: password, source: sealedKeyPath)
                signer = try NoteSigner(name: origin, privateKey: key)
            } catch let e as SealedKeyError {
                throw .signing("\(e)")
            } catch {
                throw .signing("\(error)")
            }
        }
        guard signer.verifierKey.encoded == expected else {
            throw .signing("the log key given does not belong to this ledger (its verifier key is \(expected))")
        }
        return signer
    }
}

/// True when anything, even a dangling symlink, has this name.
private func nameExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

/// Writes a file durably and with restricted permissions: temp file, fsync, rename.
enum SecureFile {
    /// Creates a new file with O_EXCL: never replaces an existing file, and never follows a
    /// symlink planted at the name. A key file an operator already has must never be silently
    /// overwritten. (No temp-and-link: a token's FAT file system has no hard links.) A partly
    /// written file is removed.
    static func create(_ bytes: [UInt8], at path: String, mode: mode_t, what: String) throws {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw LedgerError.fileExists(path: path, what: what) }
            throw LedgerError.storage(path: path, message: String(cString: strerror(errno)))
        }
        var ok = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == bytes.count
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(path)
            throw LedgerError.storage(path: path, message: "could not write the file")
        }
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = Foundation.open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LedgerError.storage(path: path, message: String(cString: strerror(errno))) }
        // The umask may only have removed bits; set the mode exactly.
        guard fchmod(fd, mode) == 0 else {
            close(fd)
            unlink(tmp)
            throw LedgerError.storage(path: path, message: "cannot set permissions: \(String(cString: strerror(errno)))")
        }
        var ok = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == bytes.count
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw LedgerError.storage(path: path, message: "could not write the file")
        }
    }
}
