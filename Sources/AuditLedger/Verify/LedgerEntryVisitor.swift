import AuditCore
import Foundation

/// Lets a caller replay entries inside `verify`'s one scan, so the rows the replay reads are
/// exactly the rows verify checked, in the same snapshot. `visit` is called in seq order,
/// once per entry whose columns have their declared types and whose content matches its
/// recorded hash; a malformed or altered row is reported as a problem and never visited.
///
/// Only entries of `kinds` are decoded (payload JSON parsed) and visited; the others cost a
/// byte comparison of their kind. Pass `nil` to visit every entry.
public struct LedgerEntryVisitor {
    public let kinds: Set<String>?
    public let visit: (Entry) throws -> Void
    /// UTF-8 of `kinds`, compared against the kind column's bytes.
    let kindBytes: [[UInt8]]?

    public init(kinds: Set<String>?, visit: @escaping (Entry) throws -> Void) {
        self.kinds = kinds
        self.visit = visit
        self.kindBytes = kinds.map { $0.map { Array($0.utf8) } }
    }

    @inline(__always)
    func wants(_ kind: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let kindBytes else { return true }
        for k in kindBytes where k.count == kind.count {
            if k.withUnsafeBufferPointer({ memcmp($0.baseAddress!, kind.baseAddress!, k.count) == 0 }) { return true }
        }
        return false
    }
}
