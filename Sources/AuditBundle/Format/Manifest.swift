import AuditCore
import AuditCrypto

/// One manifest resource: a file (`files`) or a file range (`shards`) with its SHA-256.
public struct ManifestResource: Sendable, Equatable {
    /// The name exactly as it appears in (or will be written to) the statement.
    public let name: String
    public let digest: Digest

    public init(name: String, digest: Digest) {
        self.name = name
        self.digest = digest
    }
}

/// What a resource name denotes once checked: a path, and for shards a byte range.
public struct ResourceKey: Hashable, Sendable, Comparable {
    public let path: BundlePath
    public let start: Int
    public let end: Int

    public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
        if lhs.path != rhs.path { return lhs.path < rhs.path }
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        return lhs.end < rhs.end
    }

    /// model-signing's resource name: `path` for files, `path:start:end` for shards.
    public func name(sharded: Bool) -> String { sharded ? "\(path.string):\(start):\(end)" : path.string }

    /// Parses a resource name for `method`; nil when it is not a clean relative path (or,
    /// for shards, not `path:start:end` with 0 <= start < end).
    public static func parse(_ name: String, method: Serialization.Method) -> ResourceKey? {
        switch method {
        case .files:
            guard let p = BundlePath(name) else { return nil }
            return ResourceKey(path: p, start: 0, end: 0)
        case .shards:
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let p = BundlePath(String(parts[0])),
                  let s = Int(parts[1]), let e = Int(parts[2]), String(s) == parts[1], String(e) == parts[2],
                  s >= 0, e > s else { return nil }
            return ResourceKey(path: p, start: s, end: e)
        }
    }
}

/// A model's manifest: serialization plus resources in model-signing's order.
public struct ModelManifest: Sendable, Equatable {
    public let serialization: Serialization
    public let resources: [ManifestResource]

    public init(serialization: Serialization, resources: [ManifestResource]) {
        self.serialization = serialization
        self.resources = resources
    }

    /// The statement subject's digest as model-signing computes it: SHA-256 over the raw
    /// 32-byte resource digests concatenated in manifest order. This is "the bundle digest"
    /// a change record commits to.
    public var subjectDigest: Digest {
        let h = SHA256Hasher()
        for r in resources { h.update(r.digest.bytes) }
        return h.finalize()
    }
}
