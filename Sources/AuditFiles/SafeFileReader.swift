#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way auditctl reads a file it was pointed at (trust root, topology, policy, state,
/// password and key files, bundle metadata): a regular file, opened without blocking,
/// bounded in size before a single byte is read.
///
/// Why each step: a FIFO or a terminal given as `--topology` would block `open` or `read`
/// forever, so the path is `stat`ed first and anything but a regular file is refused without
/// being opened (opening a serial device can toggle its lines), and the open itself is
/// `O_NONBLOCK` in case the path was swapped in between. `fstat` on the open descriptor is
/// what is then trusted: it must still be a regular file, the same one, within `limit`; the
/// read stops at `limit + 1` bytes so a file growing meanwhile is refused, not slurped.
public enum SafeFileReader {
    public enum Symlinks: Sendable {
        /// Operator-supplied paths: a symlink to a regular file is fine (e.g. /etc/alternatives).
        case follow
        /// Files inside a directory we vouch for (model.sig, the approvals file, edge state):
        /// the final component must be the file itself, or it could point anywhere.
        case refuse
    }

    public static func read(_ path: String, limit: Int, what: String, symlinks: Symlinks = .follow) throws(FileAccessError) -> [UInt8] {
        func fail(_ p: FileAccessError.Problem) -> FileAccessError { FileAccessError(path: path, what: what, problem: p) }

        var before = stat()
        let statResult = symlinks == .follow ? stat(path, &before) : lstat(path, &before)
        guard statResult == 0 else { throw fail(errno == ENOENT || errno == ENOTDIR ? .notFound : .system(FileKind.errnoText())) }
        if symlinks == .refuse && before.st_mode & S_IFMT == S_IFLNK { throw fail(.symlink) }
        guard FileKind.isRegular(before.st_mode) else { throw fail(.notRegularFile(kind: FileKind.name(before.st_mode))) }
        guard Int(before.st_size) <= limit else { throw fail(.tooLarge(size: Int(before.st_size), limit: limit)) }

        let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (symlinks == .refuse ? O_NOFOLLOW : 0)
        let fd = open(path, flags)
        guard fd >= 0 else {
            if errno == ELOOP { throw fail(.symlink) }
            throw fail(errno == ENOENT ? .notFound : .system(FileKind.errnoText()))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(.system(FileKind.errnoText())) }
        guard FileKind.isRegular(st.st_mode) else { throw fail(.notRegularFile(kind: FileKind.name(st.st_mode))) }
        guard st.st_dev == before.st_dev, st.st_ino == before.st_ino else { throw fail(.changed("replaced by another file")) }
        guard Int(st.st_size) <= limit else { throw fail(.tooLarge(size: Int(st.st_size), limit: limit)) }

        return try readAll(fd, expected: Int(st.st_size), limit: limit, fail: fail)
    }

    /// Reads at most `limit` bytes from standard input ("-" arguments), refusing more.
    public static func readStandardInput(limit: Int, what: String) throws(FileAccessError) -> [UInt8] {
        try readAll(0, expected: nil, limit: limit) { FileAccessError(path: "-", what: what, problem: $0) }
    }

    private static func readAll(_ fd: Int32, expected: Int?, limit: Int,
                                fail: (FileAccessError.Problem) -> FileAccessError) throws(FileAccessError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(expected ?? 4096, limit) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.system(FileKind.errnoText()))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { throw fail(.tooLarge(size: out.count, limit: limit)) }
        }
        if let expected, out.count != expected { throw fail(.changed("\(expected) bytes at open, \(out.count) read")) }
        return out
    }
}
