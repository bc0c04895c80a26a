#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates files and folders with exactly the permissions asked for, whatever the caller's
/// umask: under `umask 000` a plain `open(…, 0644)` gives a world-writable file, and an edge
/// whose state or trust root anyone can rewrite has no rollback protection. Modes are set
/// with `fchmod`/`chmod` after creation, which the umask does not touch.
public enum SafeFileWriter {
    /// Owner-only: edge state, decisions, locks, secrets.
    public static let privateFile: mode_t = 0o600
    public static let privateDirectory: mode_t = 0o700
    /// Files that travel with a model to other users' loaders (model.sig, the approval
    /// proof): readable by all, writable by the owner only.
    public static let publicFile: mode_t = 0o644

    /// Crash-safe replacement: a temporary file beside the target, written, fsynced and
    /// given `mode`, renamed over the target, then the directory fsynced. A reader sees the
    /// old or the new content, never half.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t, what: String) throws(FileAccessError) {
        func fail(_ message: String, _ at: String = path) -> FileAccessError {
            FileAccessError(path: at, what: what, problem: .system(message))
        }
        let directory = parent(of: path)
        let temp = directory + "/." + name(of: path) + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw fail("cannot create: \(FileKind.errnoText())", temp) }
        var ok = fchmod(fd, mode) == 0 && writeAll(fd, bytes) && fsync(fd) == 0
        let code = errno
        close(fd)
        if ok && rename(temp, path) != 0 { ok = false }
        guard ok else {
            let message = FileKind.errnoText(errno != 0 ? errno : code)
            unlink(temp)
            throw fail("cannot write: \(message)")
        }
        syncDirectory(directory)
    }

    /// Opens (creating with `mode` if needed) a file for appending; the caller closes it.
    /// An existing file that is not a regular file (a FIFO planted in the state folder) or
    /// is a symlink is refused.
    public static func openForAppend(_ path: String, mode: mode_t, what: String) throws(FileAccessError) -> Int32 {
        try openRegular(path, flags: O_WRONLY | O_CREAT | O_APPEND, mode: mode, what: what)
    }

    /// Opens (creating with `mode` if needed) a file to hold a lock on.
    public static func openLockFile(_ path: String, mode: mode_t, what: String) throws(FileAccessError) -> Int32 {
        try openRegular(path, flags: O_RDWR | O_CREAT, mode: mode, what: what)
    }

    /// `mkdir -p` where every folder created gets `mode` exactly; existing folders are left
    /// as they are. A path that exists and is not a directory is refused.
    public static func makeDirectory(_ path: String, mode: mode_t, what: String) throws(FileAccessError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw FileAccessError(path: path, what: what, problem: .notADirectory(kind: FileKind.name(st.st_mode)))
            }
            return
        }
        let up = parent(of: path)
        if up != path && up != "." && up != "/" { try makeDirectory(up, mode: mode, what: what) }
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw FileAccessError(path: path, what: what, problem: .system("cannot create the folder: \(FileKind.errnoText())"))
        }
        guard chmod(path, mode) == 0 else {
            throw FileAccessError(path: path, what: what, problem: .system("cannot set permissions: \(FileKind.errnoText())"))
        }
    }

    private static func openRegular(_ path: String, flags: Int32, mode: mode_t, what: String) throws(FileAccessError) -> Int32 {
        let common = flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        var created = true
        var fd = open(path, common | O_EXCL, mode)
        if fd < 0 && errno == EEXIST {
            created = false
            fd = open(path, common & ~O_CREAT)
        }
        guard fd >= 0 else {
            let problem: FileAccessError.Problem = errno == ELOOP ? .symlink
                : errno == ENXIO ? .notRegularFile(kind: "FIFO") : .system(FileKind.errnoText())
            throw FileAccessError(path: path, what: what, problem: problem)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, FileKind.isRegular(st.st_mode) else {
            let kind = FileKind.name(st.st_mode)
            close(fd)
            throw FileAccessError(path: path, what: what, problem: .notRegularFile(kind: kind))
        }
        // Created with mode & ~umask; make it exactly `mode`. An existing file keeps its mode.
        if created && fchmod(fd, mode) != 0 {
            close(fd)
            throw FileAccessError(path: path, what: what, problem: .system("cannot set permissions: \(FileKind.errnoText())"))
        }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        return bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
    }

    private static func syncDirectory(_ directory: String) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let p = String(path[..<slash])
        return p.isEmpty ? "/" : p
    }

    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
