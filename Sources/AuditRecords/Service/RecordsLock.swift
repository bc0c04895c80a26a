import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) on `records.lock` in the data directory, held while
/// a decision is read from the ledger and its entries appended, so two `auditctl sign`
/// runs cannot both approve or both count the same state. Released on deinit.
final class RecordsLock {
    private let fd: Int32

    init(directory: String) throws(RecordsError) {
        let path = directory + "/records.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .storage(path: path, reason: "cannot open lock file (errno \(errno))") }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            close(fd)
            throw .storage(path: path, reason: "cannot lock (errno \(errno))")
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
