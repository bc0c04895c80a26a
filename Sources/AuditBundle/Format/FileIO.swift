import AuditCore
import AuditFiles
#if canImport(Glibc)
import Glibc
#endif

/// Reads the small input files of the bundle world through `SafeFileReader`: regular files
/// only, opened without blocking, size checked before reading.
enum BoundedFile {
    /// A file the operator named (trust root): a symlink to a regular file is followed.
    static func read(path: String, limit: Int, what: String) throws(BundleInputError) -> [UInt8] {
        do { return try SafeFileReader.read(path, limit: limit, what: what, symlinks: .follow) } catch {
            throw BundleInputError(error)
        }
    }

    /// A signature or metadata file inside a bundle (model.sig, the approval proof, the
    /// approvals file) or inside the edge's state folder: it must be that folder's own
    /// regular file. A symlink could point out of the bundle to bytes nobody signed (or to a
    /// FIFO that hangs the edge), so it is refused whatever `allow_symlinks` says.
    static func readMember(path: String, limit: Int, what: String) throws(BundleInputError) -> [UInt8] {
        do { return try SafeFileReader.read(path, limit: limit, what: what, symlinks: .refuse) } catch {
            throw BundleInputError(error)
        }
    }
}

extension BundleInputError {
    /// File-access failures keep their own wording (path, what, reason) under the bundle
    /// error cases the CLI already maps to exit codes and hints.
    init(_ error: FileAccessError) {
        switch error.problem {
        case .tooLarge(let size, let limit):
            self = .tooLarge(path: error.path, what: "\(error.what) (\(size) bytes)", limit: limit)
        case .notADirectory:
            self = .notADirectory(path: error.path)
        default:
            self = .unreadable(path: error.path, reason: "\(error.what): \(error.reason)")
        }
    }
}

/// Crash-safe replacement of a file (temporary file, fsync, rename, directory fsync) with
/// an exact mode whatever the umask; see `SafeFileWriter.replace`.
public enum AtomicFile {
    /// `mode`: `SafeFileWriter.publicFile` for files that travel with the model,
    /// `privateFile` for the edge's own state.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = SafeFileWriter.publicFile) throws(BundleInputError) {
        do { try SafeFileWriter.replace(path, with: bytes, mode: mode, what: "file") } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }
}
