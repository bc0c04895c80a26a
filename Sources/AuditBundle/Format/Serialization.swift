import AuditCore

/// model-signing's `serialization` block: how the model was cut into resources.
/// `files`: one resource per file, named by its path. `shards`: one resource per
/// `[start, end)` range of `shardSize` bytes (the last one shorter), named `path:start:end`;
/// empty files then have no resource at all, exactly as model-signing does.
public struct Serialization: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        case files
        case shards(size: Int)
    }

    public var method: Method
    /// Only "sha256" is produced or accepted.
    public var hashType: String
    /// false: any symlink fails the layout check. true: links to regular files inside the
    /// bundle are hashed as their target; links leaving the bundle still fail.
    public var allowSymlinks: Bool
    /// Paths excluded from hashing, relative to the bundle root (files or whole directories).
    public var ignorePaths: [String]

    public init(method: Method, hashType: String = "sha256", allowSymlinks: Bool = false, ignorePaths: [String]) {
        self.method = method
        self.hashType = hashType
        self.allowSymlinks = allowSymlinks
        self.ignorePaths = ignorePaths
    }

    /// What auditctl writes: the signature and approval-proof files plus the git paths
    /// model-signing ignores by default, so `model_signing verify` sees the same file set.
    public static func auditctlDefault(shardSize: Int? = nil) -> Serialization {
        Serialization(method: shardSize.map { .shards(size: $0) } ?? .files,
                      ignorePaths: BundleLayout.metadataFileNames + BundleLayout.gitIgnorePaths)
    }

    /// The `algorithm` of each resource, as model-signing 1.1.1 writes it: "sha256" for
    /// files, "sha256-sharded-<shard size>" for shards.
    public var resourceAlgorithm: String {
        switch method {
        case .files: return hashType
        case .shards(let size): return "\(hashType)-sharded-\(size)"
        }
    }

    /// The paths hashing skips: the manifest's `ignore_paths`, plus our own metadata files at
    /// the root (model-signing's CLI likewise always skips the signature it verifies with,
    /// and writes ignore paths relative to its working directory, not the model).
    public var effectiveIgnoredPaths: [BundlePath] {
        ignoredBundlePaths + BundleLayout.metadataFileNames.compactMap { BundlePath($0) }
    }

    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "hash_type": .string(hashType),
            "allow_symlinks": .bool(allowSymlinks),
        ]
        switch method {
        case .files: o["method"] = "files"
        case .shards(let size):
            o["method"] = "shards"
            o["shard_size"] = .number(Double(size))
        }
        if !ignorePaths.isEmpty { o["ignore_paths"] = .array(ignorePaths.map { .string($0) }) }
        return .object(o)
    }

    /// The ignore paths that are valid relative paths; model-signing drops the ones that
    /// point outside the model, and so do we. "." or "" would hide every file and is refused
    /// at parse time.
    public var ignoredBundlePaths: [BundlePath] {
        ignorePaths.compactMap { BundlePath(Self.trimmed($0)) }
    }

    /// model-signing writes directories both as ".git" and ".git/".
    static func trimmed(_ path: String) -> String {
        var p = Substring(path)
        while p.hasSuffix("/") { p = p.dropLast() }
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return String(p)
    }
}

/// Fixed names inside a bundle directory.
public enum BundleLayout {
    /// model-signing's default signature file name; ours lives in the same place.
    public static let signatureFileName = "model.sig"
    /// The approval proof (change.approved entry, inclusion proof, checkpoint).
    public static let approvalProofFileName = "model.approval.json"
    /// The approvers' signatures over model.sig's payload (a plain DSSE envelope).
    public static let approverSignaturesFileName = "model.approvers.dsse.json"
    /// Our files at the bundle root, never hashed as part of the model.
    public static let metadataFileNames = [signatureFileName, approvalProofFileName, approverSignaturesFileName]
    /// Ignored by model-signing unless `--no-ignore-git-paths`.
    public static let gitIgnorePaths = [".git", ".gitattributes", ".github", ".gitignore"]
}
