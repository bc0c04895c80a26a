import AuditCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads small input files with a size bound checked before reading.
enum BoundedFile {
    static func read(path: String, limit: Int, what: String) throws(BundleInputError) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        guard Int(st.st_size) <= limit else { throw .tooLarge(path: path, what: "\(what) (\(st.st_size) bytes)", limit: limit) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else { throw BundleInputError.tooLarge(path: path, what: what, limit: limit) }
            return [UInt8](data)
        } catch let e as BundleInputError {
            throw e
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }
}

/// Crash-safe replacement of a file: write a temporary file beside it, fsync, rename over
/// the target, fsync the directory. A reader sees the old or the new content, never half.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(BundleInputError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .unreadable(path: temp, reason: "cannot create: \(String(cString: strerror(errno)))") }
        _ = fchmod(fd, mode)  // the caller's umask must not widen or narrow what we promise
        var written = 0
        var ok = true
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; ok = false; return }
                written += n
            }
        }
        if ok && fsync(fd) != 0 { ok = false }
        let writeErrno = errno
        close(fd)
        guard ok else {
            unlink(temp)
            throw .unreadable(path: path, reason: "cannot write: \(String(cString: strerror(writeErrno)))")
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw .unreadable(path: path, reason: "cannot replace: \(String(cString: strerror(e)))")
        }
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
