import AuditCore
import AuditCrypto

/// Builds and signs bundles: hashes the directory into a model-signing v1.0 statement with
/// our release block, and adds Ed25519 DSSE signatures (keyid "sha256:<hex>") over the
/// exact payload bytes. Approval lookup (is the change approved, does it record this digest)
/// is the caller's job: see `auditctl bundle create`.
public enum BundleSigner {
    /// The statement for `directory` as it is now.
    public static func makeStatement(directory: String, release: ReleaseInfo?, shardSize: Int? = nil,
                                     workers: Int = 0, progress: HashProgress? = nil) throws(BundleInputError) -> ModelStatement {
        if let shardSize, shardSize < Limits.minBundleShardBytes {
            throw .malformed(path: directory, field: "shard size", reason: "\(shardSize) is below the minimum of \(Limits.minBundleShardBytes)")
        }
        let serialization = Serialization.auditctlDefault(shardSize: shardSize)
        let tree = try BundleWalker.walk(root: directory, serialization: serialization)
        if let problem = tree.problems.first {
            throw .malformed(path: directory, field: "", reason: "cannot bundle: \(problem)")
        }
        if shardSize != nil, let bad = tree.files.first(where: { $0.path.string.contains(":") }) {
            throw .malformed(path: directory, field: "", reason: "\(bad.path): a ':' in a file name cannot be sharded (model-signing names shards path:start:end)")
        }
        let resources = try ParallelHasher.hash(tree: tree, method: serialization.method,
                                                workers: workers > 0 ? workers : ParallelHasher.defaultWorkers, progress: progress)
        let name = release?.modelName ?? NSStringPath(path: directory).lastComponent
        return ModelStatement(subjectName: name, manifest: ModelManifest(serialization: serialization, resources: resources),
                              release: release)
    }

    /// A new envelope over `statement`'s canonical payload, signed by `keys`.
    public static func sign(_ statement: ModelStatement, keys: [Ed25519PrivateKey]) -> SignatureFile {
        var envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: statement.canonicalPayload(), signatures: [])
        for key in keys { addSignature(to: &envelope, key: key) }
        return SignatureFile(envelope: envelope)
    }

    /// Adds (or replaces) `key`'s signature over the envelope's existing payload bytes.
    public static func addSignature(to envelope: inout DSSEEnvelope, key: Ed25519PrivateKey) {
        let keyID = key.publicKey.keyID.prefixed
        envelope.signatures.removeAll { $0.keyID == keyID }
        envelope.signatures.append(DSSESignature(keyID: keyID, signature: key.sign(envelope.pae)))
    }
}

/// The last path component without Foundation's NSString bridging.
struct NSStringPath {
    let path: String
    var lastComponent: String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
