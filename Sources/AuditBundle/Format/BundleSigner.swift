import AuditCore
import AuditCrypto

/// The key that signs `model.sig`: the Ed25519 key of the ledger identity building the
/// bundle, or a model-signing ECDSA P-256 key (then model-signing itself can verify it).
public enum ProducerKey: Sendable {
    case ed25519(Ed25519PrivateKey)
    case p256(ECDSAP256PrivateKey)

    /// How verify-bundle will name the key: our fingerprint, or SHA-256 of the DER SPKI.
    public var keyID: String {
        switch self {
        case .ed25519(let k): return k.publicKey.keyID.prefixed
        case .p256(let k): return k.publicKey.keyID.prefixed
        }
    }
}

/// Builds and signs bundles: hashes the directory into a model-signing v1.0 statement with
/// our release block; `model.sig` gets exactly one DSSE signature (the producer's) and the
/// approvers' Ed25519 signatures (keyid "sha256:<hex>") go to `model.approvers.dsse.json`,
/// all over the same payload bytes. Approval lookup (is the change approved, does it record
/// this digest) is the caller's job: see `auditctl bundle create`.
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

    /// `model.sig` for `statement`'s canonical payload: a Sigstore bundle with the producer's
    /// one signature. For a P-256 key it is what `model_signing sign key` writes (empty keyid,
    /// the PEM hash as `publicKey.hint`); for Ed25519 the keyid and hint are our fingerprint.
    public static func sign(_ statement: ModelStatement, producer: ProducerKey) throws(KeyFormatError) -> SignatureFile {
        let payload = statement.canonicalPayload()
        let pae = DSSEEnvelope.pae(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature: DSSESignature
        let hint: String
        switch producer {
        case .ed25519(let key):
            signature = DSSESignature(keyID: key.publicKey.keyID.prefixed, signature: key.sign(pae))
            hint = key.publicKey.keyID.prefixed
        case .p256(let key):
            signature = DSSESignature(keyID: "", signature: try key.sign(pae))
            hint = key.publicKey.modelSigningHint
        }
        return SignatureFile(envelope: DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload,
                                                    signatures: [signature]), publicKeyHint: hint)
    }

    /// The approvers' envelope for a bundle: `existing` if given, else an empty one over
    /// `model.sig`'s payload bytes, with each key's signature added (or replaced).
    public static func approve(_ signatureFile: SignatureFile, existing: DSSEEnvelope?, keys: [Ed25519PrivateKey]) -> DSSEEnvelope {
        var envelope = existing ?? DSSEEnvelope(payloadType: signatureFile.envelope.payloadType,
                                                payload: signatureFile.envelope.payload, signatures: [])
        for key in keys { addSignature(to: &envelope, key: key) }
        return envelope
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
