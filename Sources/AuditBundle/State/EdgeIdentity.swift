import AuditCore
import AuditCrypto
import AuditRecords
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An edge device's own signing identity, kept in its state directory:
///
///     edge-identity.json   {"id", "keyId", "publicKey"}: what an admin enrolls (`auditctl edge enroll`)
///     edge-key.sealed      the private key, sealed with Argon2id under the edge key password (0600)
///     edge-counter         the last decision counter used (see `EdgeDecision`)
///
/// With it, every decision the edge makes is signed on the spot, so whoever can write the
/// state folder still cannot invent or replay a deployment record without the key's password.
public struct EdgeIdentity: Sendable {
    public let id: String
    public let publicKey: Ed25519PublicKey

    static func identityFile(_ store: EdgeStateStore) -> String { store.directory + "/edge-identity.json" }
    static func keyFile(_ store: EdgeStateStore) -> String { store.directory + "/edge-key.sealed" }
    static func counterFile(_ store: EdgeStateStore) -> String { store.directory + "/edge-counter" }

    /// Makes a new identity in `store`; refuses to replace an existing one.
    public static func create(id: String, password: String, store: EdgeStateStore,
                              parameters: Argon2Parameters = .moderate) throws(BundleInputError) -> EdgeIdentity {
        do { try RecordIDs.checkUserID(id, field: "edge ID") } catch {
            throw .malformed(path: identityFile(store), field: "id", reason: error.description)
        }
        guard password.count >= 12 else {
            throw .malformed(path: keyFile(store), field: "password", reason: "the edge key password must be at least 12 characters")
        }
        return try store.withLock { () throws(BundleInputError) -> EdgeIdentity in
            guard !FileManager.default.fileExists(atPath: identityFile(store)) else {
                throw .malformed(path: identityFile(store), field: "id", reason: "this state directory already has an edge identity; use a new directory to start over")
            }
            let key = Ed25519PrivateKey.generate()
            let sealed: [UInt8]
            do { sealed = try SealedKey.seal(key, password: password, parameters: parameters) } catch {
                throw .unreadable(path: keyFile(store), reason: "\(error)")
            }
            try AtomicFile.write(sealed, to: keyFile(store), mode: 0o600)
            let identity = EdgeIdentity(id: id, publicKey: key.publicKey)
            try AtomicFile.write(Array((identity.jsonValue.prettyString() + "\n").utf8), to: identityFile(store), mode: 0o600)
            return identity
        }
    }

    /// The identity in `store`, or nil when the edge has none yet.
    public static func load(_ store: EdgeStateStore) throws(BundleInputError) -> EdgeIdentity? {
        let path = identityFile(store)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let json = try StrictObject.parseDocument(BoundedFile.read(path: path, limit: 4096, what: "edge identity"), file: path)
        guard let id = json["id"]?.stringValue, let b64 = json["publicKey"]?.stringValue,
              let key = try? Ed25519PublicKey(base64: b64), json["keyId"]?.stringValue == key.keyID.prefixed
        else { throw .malformed(path: path, field: "publicKey", reason: "not an edge identity (id, keyId, publicKey)") }
        return EdgeIdentity(id: id, publicKey: key)
    }

    public var jsonValue: JSONValue {
        .object(["id": .string(id), "keyId": .string(publicKey.keyID.prefixed), "publicKey": .string(publicKey.base64)])
    }

    /// Opens the edge's key for signing decisions.
    public func signer(password: String, store: EdgeStateStore) throws(BundleInputError) -> EdgeSigner {
        let path = Self.keyFile(store)
        let bytes = try BoundedFile.read(path: path, limit: Limits.maxSealedKeyFileBytes, what: "edge key")
        let key: Ed25519PrivateKey
        do { key = try SealedKey.open(bytes, password: password, source: path) } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        guard key.publicKey == publicKey else {
            throw .malformed(path: path, field: "key", reason: "holds a different key than edge-identity.json names")
        }
        return EdgeSigner(identity: self, key: key, store: store)
    }
}

/// Signs decisions with the edge key and the next counter (kept in `edge-counter`,
/// advanced under the state lock and fsynced before the signature leaves it).
public struct EdgeSigner: Sendable {
    public let identity: EdgeIdentity
    let key: Ed25519PrivateKey
    let store: EdgeStateStore

    /// Signs an `EdgeRecorder.decisionRecord` (kind, time, subject, payload).
    public func sign(_ record: JSONValue) throws(BundleInputError) -> JSONValue {
        try store.withLock { () throws(BundleInputError) -> JSONValue in
            let path = EdgeIdentity.counterFile(store)
            var last = 0
            if FileManager.default.fileExists(atPath: path) {
                let text = String(decoding: try BoundedFile.read(path: path, limit: 32, what: "edge counter"), as: UTF8.self)
                guard let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), n >= 0 else {
                    throw .malformed(path: path, field: "counter", reason: "not a number")
                }
                last = n
            }
            let next = last + 1
            try AtomicFile.write(Array("\(next)\n".utf8), to: path, mode: 0o600)
            let decision = EdgeDecision(edge: identity.id, counter: next,
                                        kind: record["kind"]?.stringValue ?? EntryKind.deploymentBlocked,
                                        subject: record["subject"]?.stringValue ?? "",
                                        time: record["time"]?.stringValue ?? UTCTime.now(),
                                        decision: record["payload"] ?? .object([:]))
            return decision.signed(with: key)
        }
    }
}
