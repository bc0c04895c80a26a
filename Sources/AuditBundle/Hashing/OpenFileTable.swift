import AuditCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One descriptor per bundle file, shared by every job (shard) of that file: opened by the
/// first job that needs it, checked against the walk, and checked again and closed by the
/// last job to finish, so all bytes of a file come from one open file and the file is
/// known not to have changed from the walk to the end of its hash. Only files being hashed
/// are open (about one per worker), whatever the bundle's file count.
final class OpenFileTable: Sendable {
    private struct Slot {
        var fd: Int32 = -1
        var opened: FileIdentity?
        var remaining: Int
    }

    private let files: [WalkedFile]
    private let root: String
    private let slots: Mutex<[Slot]>

    /// `jobCounts[i]`: how many jobs read `files[i]`.
    init(files: [WalkedFile], root: String, jobCounts: [Int]) {
        self.files = files
        self.root = root
        slots = Mutex(jobCounts.map { Slot(remaining: $0) })
    }

    /// The open descriptor of file `index`, opening it on first use: `O_NONBLOCK` (a FIFO
    /// swapped in after the walk cannot hang us), no symlink unless the walk resolved one,
    /// and `fstat` must show the very file the walk saw.
    func acquire(_ index: Int) throws(BundleInputError) -> Int32 {
        let file = files[index]
        return try slots.withLock { slots throws(BundleInputError) -> Int32 in
            if slots[index].fd >= 0 { return slots[index].fd }
            let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (file.viaSymlink ? 0 : O_NOFOLLOW)
            let fd = open(file.fileSystemPath, flags)
            guard fd >= 0 else {
                if errno == ENOENT || errno == ELOOP { throw .changedWhileHashing(path: file.path.string, change: "removed or replaced after the walk") }
                throw .unreadable(path: file.path.string, reason: String(cString: strerror(errno)))
            }
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                close(fd)
                throw .changedWhileHashing(path: file.path.string, change: "no longer a regular file")
            }
            let now = FileIdentity(st)
            if let change = file.identity.change(to: now) {
                close(fd)
                throw .changedWhileHashing(path: file.path.string, change: change)
            }
            slots[index].fd = fd
            slots[index].opened = now
            return fd
        }
    }

    /// Marks one job of file `index` done. The last one re-checks the open file (`fstat`:
    /// same inode, size and times as at open) and the path (it must still name that inode,
    /// or the file was renamed over while we hashed the old one), then closes it.
    func release(_ index: Int) throws(BundleInputError) {
        let taken = slots.withLock { slots -> (Int32, FileIdentity)? in
            slots[index].remaining -= 1
            guard slots[index].remaining == 0, slots[index].fd >= 0, let opened = slots[index].opened else { return nil }
            defer { slots[index].fd = -1 }
            return (slots[index].fd, opened)
        }
        guard let (fd, opened) = taken else { return }
        defer { close(fd) }
        let file = files[index]
        // The path first: a file renamed over also changes the old inode's times, and
        // "renamed over" is the more useful thing to tell the operator.
        for path in pathsNaming(file) {
            var now = stat()
            let result = path.followLinks ? stat(path.path, &now) : lstat(path.path, &now)
            guard result == 0, UInt64(now.st_dev) == opened.device, UInt64(now.st_ino) == opened.inode else {
                throw .changedWhileHashing(path: file.path.string, change: "replaced by another file (renamed over or deleted)")
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path: file.path.string, reason: String(cString: strerror(errno))) }
        if let change = opened.change(to: FileIdentity(st)) {
            throw .changedWhileHashing(path: file.path.string, change: change)
        }
    }

    /// Closes whatever is still open after a failed run.
    func closeAll() {
        slots.withLock { slots in
            for i in slots.indices where slots[i].fd >= 0 {
                close(slots[i].fd)
                slots[i].fd = -1
            }
        }
    }

    /// The file itself; for an allowed symlink also the link in the bundle, followed.
    private func pathsNaming(_ file: WalkedFile) -> [(path: String, followLinks: Bool)] {
        var paths = [(file.fileSystemPath, false)]
        if file.viaSymlink { paths.append((root + "/" + file.path.string, true)) }
        return paths
    }
}
