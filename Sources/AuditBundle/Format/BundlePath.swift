/// A file's path inside a bundle: POSIX, relative, no `.`/`..`/empty components.
/// Ordered as model-signing orders manifest keys (Python `PurePosixPath` compares component
/// lists, so `a/b` sorts before `a.txt`); components compare by code point, which is the
/// UTF-8 byte order.
public struct BundlePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let components: [String]

    /// Validates `text` as a bundle-relative path; nil for absolute paths, traversal,
    /// empty components, NUL bytes or over-long names.
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= Limits.maxBundlePathBytes, !text.hasPrefix("/"),
              !text.utf8.contains(0) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
        components = parts
    }

    init(trustedComponents: [String]) { components = trustedComponents }

    public var string: String { components.joined(separator: "/") }
    public var description: String { string }

    public func appending(_ name: String) -> BundlePath { BundlePath(trustedComponents: components + [name]) }

    /// Whether `self` equals `prefix` or lies under it (model-signing's `is_relative_to`).
    public func isWithin(_ prefix: BundlePath) -> Bool {
        components.count >= prefix.components.count
            && zip(components, prefix.components).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    /// Byte-wise, not Swift's canonical-equivalence equality: two files whose names differ
    /// only in Unicode normalization are two files on disk and must stay two here.
    public static func == (lhs: BundlePath, rhs: BundlePath) -> Bool {
        lhs.components.count == rhs.components.count
            && zip(lhs.components, rhs.components).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    public func hash(into hasher: inout Hasher) {
        for c in components {
            hasher.combine(c.utf8.count)
            for byte in c.utf8 { hasher.combine(byte) }
        }
    }

    public static func < (lhs: BundlePath, rhs: BundlePath) -> Bool {
        for (a, b) in zip(lhs.components, rhs.components) where !a.utf8.elementsEqual(b.utf8) {
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        return lhs.components.count < rhs.components.count
    }
}

import AuditCore
