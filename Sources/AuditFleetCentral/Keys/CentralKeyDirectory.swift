import AuditCore
import AuditCrypto
import AuditFiles
import Foundation

/// The central's key folder, written once by `fleet init` and read by `fleet serve` and
/// `fleet enroll`:
///
///     log-key.sealed      the central log's Ed25519 key, sealed (Argon2id + secretbox)
///     witness-key.sealed  the witness key that cosigns plant checkpoints, sealed
///     log.vkey            the log's C2SP verifier key (public: give it to regulators)
///     witness.vkey        the witness's cosigner key (public: plants' trust roots name it)
///
/// Private key files are created 0600 with O_EXCL|O_NOFOLLOW: an existing file is never
/// replaced and a planted symlink is never followed. The public files carry the key names.
public struct CentralKeyDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var logKeyPath: String { path + "/log-key.sealed" }
    public var witnessKeyPath: String { path + "/witness-key.sealed" }
    public var logVerifierKeyPath: String { path + "/log.vkey" }
    public var witnessVerifierKeyPath: String { path + "/witness.vkey" }

    /// Writes the four files; on any failure removes the ones it created.
    public func create(_ keys: CentralKeys, password: String, parameters: Argon2Parameters) throws(FleetError) {
        guard !password.isEmpty else { throw .invalidInput(field: "password", reason: "must not be empty") }
        for p in [logKeyPath, witnessKeyPath, logVerifierKeyPath, witnessVerifierKeyPath] where Self.nameExists(p) {
            throw .keyFileExists(path: p)
        }
        var created: [String] = []
        do {
            if !FileManager.default.fileExists(atPath: path) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let files: [(String, [UInt8], mode_t)] = [
                (logKeyPath, try SealedKey.seal(keys.log.privateKey, password: password, parameters: parameters), 0o600),
                (witnessKeyPath, try SealedKey.seal(keys.witness.privateKey, password: password, parameters: parameters), 0o600),
                (logVerifierKeyPath, Array((keys.log.verifierKey.encoded + "\n").utf8), 0o644),
                (witnessVerifierKeyPath, Array((keys.witness.key.encoded + "\n").utf8), 0o644),
            ]
            for (file, bytes, mode) in files {
                try Self.createExclusive(file, bytes, mode: mode)
                created.append(file)
            }
        } catch {
            for file in created { unlink(file) }
            if let fleet = error as? FleetError { throw fleet }
            throw .keyFile(path: path, reason: "\(error)")
        }
    }

    /// Unseals both keys and checks each against its public file.
    public func open(password: String) throws(FleetError) -> CentralKeys {
        let logPublic = try NoteVerifierKey.parse(readKeyLine(logVerifierKeyPath), path: logVerifierKeyPath)
        let witnessPublic = try CosignerKey.parse(readKeyLine(witnessVerifierKeyPath), path: witnessVerifierKeyPath)
        let logKey = try unseal(logKeyPath, password: password)
        let witnessKey = try unseal(witnessKeyPath, password: password)
        guard logKey.publicKey == logPublic.publicKey else {
            throw .keyFile(path: logKeyPath, reason: "does not match \(logVerifierKeyPath)")
        }
        guard witnessKey.publicKey == witnessPublic.publicKey else {
            throw .keyFile(path: witnessKeyPath, reason: "does not match \(witnessVerifierKeyPath)")
        }
        do {
            return CentralKeys(log: try NoteSigner(name: logPublic.name, privateKey: logKey),
                               witness: try Cosigner(name: witnessPublic.name, privateKey: witnessKey))
        } catch {
            throw .keyFile(path: path, reason: "\(error)")
        }
    }

    private func readKeyLine(_ file: String) throws(FleetError) -> String {
        do {
            let bytes = try SafeFileReader.read(file, limit: Limits.maxSecretFileBytes, what: "public key")
            return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .keyFile(path: file, reason: error.reason)
        }
    }

    private func unseal(_ file: String, password: String) throws(FleetError) -> Ed25519PrivateKey {
        let bytes: [UInt8]
        do { bytes = try SafeFileReader.read(file, limit: Limits.maxSealedKeyFileBytes, what: "sealed key") } catch {
            throw .keyFile(path: file, reason: error.reason)
        }
        do { return try SealedKey.open(bytes, password: password, source: file) } catch {
            if case .wrongPassword = error { throw .wrongPassword(path: file) }
            throw .keyFile(path: file, reason: error.description)
        }
    }

    /// O_EXCL|O_NOFOLLOW, the exact mode (whatever the umask), fsync; removed if not fully written.
    static func createExclusive(_ file: String, _ bytes: [UInt8], mode: mode_t) throws(FleetError) {
        let fd = Foundation.open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw .keyFileExists(path: file) }
            throw .keyFile(path: file, reason: String(cString: strerror(errno)))
        }
        var ok = fchmod(fd, mode) == 0
        ok = ok && bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == bytes.count
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(file)
            throw .keyFile(path: file, reason: "could not write the file")
        }
    }

    static func nameExists(_ file: String) -> Bool {
        var st = stat()
        return lstat(file, &st) == 0
    }
}

private extension NoteVerifierKey {
    static func parse(_ text: String, path: String) throws(FleetError) -> NoteVerifierKey {
        do { return try NoteVerifierKey.parse(text) } catch { throw .keyFile(path: path, reason: "not a C2SP verifier key: \(error)") }
    }
}

private extension CosignerKey {
    static func parse(_ text: String, path: String) throws(FleetError) -> CosignerKey {
        do { return try CosignerKey.parse(text) } catch { throw .keyFile(path: path, reason: "not a cosigner key: \(error)") }
    }
}
