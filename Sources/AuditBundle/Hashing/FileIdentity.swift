#if canImport(Glibc)
import Glibc
#endif

/// What `stat` says about one file at one moment: which inode it is, how big, and when its
/// content and metadata last changed. Two identities that differ mean the bytes hashed may
/// not be the bytes that will be loaded: the file grew, shrank, was rewritten in place or
/// another file was renamed over it.
///
/// Limit: Linux stamps times from a coarse clock (a few milliseconds), so a same-size
/// in-place rewrite within one tick of the file's previous change can keep equal times.
/// That is why the loader must load from the verified read-only copy
/// (Docs/edge-deployment.md), not from the directory it verified.
struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int
    let changedSeconds: Int
    let changedNanoseconds: Int

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int(st.st_size)
        modifiedSeconds = Int(st.st_mtim.tv_sec)
        modifiedNanoseconds = Int(st.st_mtim.tv_nsec)
        changedSeconds = Int(st.st_ctim.tv_sec)
        changedNanoseconds = Int(st.st_ctim.tv_nsec)
    }

    /// How `later` differs from this identity, in words for the operator; nil if it does not.
    func change(to later: FileIdentity) -> String? {
        if later.device != device || later.inode != inode { return "replaced by another file (renamed over)" }
        if later.size > size { return "grew from \(size) to \(later.size) bytes" }
        if later.size < size { return "shrank from \(size) to \(later.size) bytes" }
        if later.modifiedSeconds != modifiedSeconds || later.modifiedNanoseconds != modifiedNanoseconds
            || later.changedSeconds != changedSeconds || later.changedNanoseconds != changedNanoseconds {
            return "rewritten in place (its change time moved)"
        }
        return nil
    }
}
