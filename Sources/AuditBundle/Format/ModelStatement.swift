import AuditCore

/// The in-toto Statement v1 with model-signing's v1.0 predicate, as parsed from the exact
/// payload bytes that were signed.
///
/// Layout (model-signing 1.1.1): `subject` = one descriptor {name, digest.sha256} whose
/// digest is SHA-256 over the resource digests; `predicate.resources` = [{name, algorithm,
/// digest}] sorted; `predicate.serialization` = how resources were cut. auditctl's own
/// fields live under `predicate.auditctl`, which v1.0 verifiers ignore.
public struct ModelStatement: Sendable, Equatable {
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "https://model_signing/signature/v1.0"

    /// Subject name: informative only (model-signing uses the directory name).
    public let subjectName: String
    /// The subject digest as written; `manifest.subjectDigest` must equal it.
    public let subjectDigest: Digest
    public let manifest: ModelManifest
    /// Our release metadata; nil in statements from other producers.
    public let release: ReleaseInfo?

    public init(subjectName: String, manifest: ModelManifest, release: ReleaseInfo?) {
        self.subjectName = subjectName
        self.subjectDigest = manifest.subjectDigest
        self.manifest = manifest
        self.release = release
    }

    /// Parses `payload` (the decoded DSSE payload). Shape errors throw; whether the subject
    /// digest matches the resources is a verification question (`isSelfConsistent`).
    public static func parse(_ payload: [UInt8], file: String) throws(BundleInputError) -> ModelStatement {
        let value = try StrictObject.parseDocument(payload, file: file, field: "payload", source: file + " (payload)",
                                                   maxBytes: Limits.maxBundlePayloadBytes)
        let top = StrictObject(value, file: file, field: "payload")
        try top.allowOnly(["_type", "subject", "predicateType", "predicate"])
        guard try top.string("_type") == statementType else {
            throw top.fail("_type", "expected \(statementType)")
        }
        let pType = try top.string("predicateType")
        guard pType == predicateType else {
            throw top.fail("predicateType", "'\(pType)' is not supported (expected \(predicateType))")
        }
        let subjects = try top.array("subject")
        guard subjects.count == 1 else { throw top.fail("subject", "expected exactly one subject, found \(subjects.count)") }
        let subject = StrictObject(subjects[0], file: file, field: "payload.subject[0]")
        let name = try subject.string("name")
        let digestObject = StrictObject(try subject.value("digest"), file: file, field: "payload.subject[0].digest")
        guard let subjectDigest = Digest(hex: try digestObject.string("sha256")) else {
            throw digestObject.fail("sha256", "expected 64 lowercase hex digits")
        }

        let predicate = StrictObject(try top.value("predicate"), file: file, field: "payload.predicate")
        try predicate.requireObject()
        let serialization = try parseSerialization(try predicate.value("serialization"), file: file)
        let resources = try parseResources(try predicate.array("resources"), serialization: serialization, file: file)
        let release = try predicate.object["auditctl"].map { v throws(BundleInputError) in
            try ReleaseInfo.parse(v, file: file, field: "payload.predicate.auditctl")
        }
        return ModelStatement(subjectName: name, subjectDigest: subjectDigest,
                              manifest: ModelManifest(serialization: serialization, resources: resources), release: release)
    }

    private init(subjectName: String, subjectDigest: Digest, manifest: ModelManifest, release: ReleaseInfo?) {
        self.subjectName = subjectName
        self.subjectDigest = subjectDigest
        self.manifest = manifest
        self.release = release
    }

    /// model-signing refuses a statement whose subject digest is not the hash of its resources.
    public var isSelfConsistent: Bool { manifest.subjectDigest == subjectDigest }

    private static func parseSerialization(_ value: JSONValue, file: String) throws(BundleInputError) -> Serialization {
        let s = StrictObject(value, file: file, field: "payload.predicate.serialization")
        try s.allowOnly(["method", "hash_type", "allow_symlinks", "shard_size", "ignore_paths"])
        let hashType = try s.string("hash_type")
        guard hashType == "sha256" else { throw s.fail("hash_type", "'\(hashType)' is not supported (only sha256)") }
        let method: Serialization.Method
        switch try s.string("method") {
        case "files":
            guard s.object["shard_size"] == nil else { throw s.fail("shard_size", "only allowed with method 'shards'") }
            method = .files
        case "shards":
            let size = try s.int("shard_size")
            guard size >= Limits.minBundleShardBytes else {
                throw s.fail("shard_size", "\(size) is below the minimum of \(Limits.minBundleShardBytes) bytes")
            }
            method = .shards(size: size)
        case let other:
            throw s.fail("method", "'\(other)' is not a known serialization method (files, shards)")
        }
        let ignore = s.object["ignore_paths"] == nil ? [] : try s.stringArray("ignore_paths", limit: Limits.maxBundleIgnorePaths)
        for (i, p) in ignore.enumerated() where Serialization.trimmed(p).isEmpty || Serialization.trimmed(p) == "." {
            throw s.fail("ignore_paths[\(i)]", "'\(p)' would exclude the whole model")
        }
        return Serialization(method: method, hashType: hashType, allowSymlinks: try s.bool("allow_symlinks"), ignorePaths: ignore)
    }

    private static func parseResources(_ list: [JSONValue], serialization: Serialization, file: String) throws(BundleInputError) -> [ManifestResource] {
        guard list.count <= Limits.maxBundleResources else {
            throw .tooLarge(path: file, what: "payload.predicate.resources (\(list.count) entries)", limit: Limits.maxBundleResources)
        }
        var out: [ManifestResource] = []
        out.reserveCapacity(list.count)
        var seen = Set<String>()
        for (i, item) in list.enumerated() {
            let r = StrictObject(item, file: file, field: "payload.predicate.resources[\(i)]")
            try r.allowOnly(["name", "algorithm", "digest"])
            let algorithm = try r.string("algorithm")
            guard algorithm == serialization.resourceAlgorithm else {
                throw r.fail("algorithm", "'\(algorithm)' does not match the serialization (expected \(serialization.resourceAlgorithm))")
            }
            guard let digest = Digest(hex: try r.string("digest")) else { throw r.fail("digest", "expected 64 lowercase hex digits") }
            let name = try r.string("name")
            guard seen.insert(name).inserted else { throw r.fail("name", "'\(name)' is listed twice") }
            out.append(ManifestResource(name: name, digest: digest))
        }
        return out
    }

    /// The payload auditctl signs: RFC 8785 canonical JSON, so `bundle create` can rebuild the
    /// same bytes; verifiers still only ever check the bytes they received.
    public func canonicalPayload() -> [UInt8] {
        var predicate: [String: JSONValue] = [
            "serialization": manifest.serialization.jsonValue,
            "resources": .array(manifest.resources.map {
                .object(["name": .string($0.name), "algorithm": .string(manifest.serialization.resourceAlgorithm),
                         "digest": .string($0.digest.hex)])
            }),
        ]
        if let release { predicate["auditctl"] = release.jsonValue }
        let statement: JSONValue = .object([
            "_type": .string(Self.statementType),
            "subject": .array([.object(["name": .string(subjectName), "digest": .object(["sha256": .string(subjectDigest.hex)])])]),
            "predicateType": .string(Self.predicateType),
            "predicate": .object(predicate),
        ])
        return statement.canonicalBytes()
    }
}
