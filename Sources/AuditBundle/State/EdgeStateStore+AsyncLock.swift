import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension EdgeStateStore {
    /// `withLock` for work that awaits (an upload): no verify-bundle on this edge can add a
    /// decision or move state while decisions are read, uploaded and set aside.
    public func withLock<T>(_ body: () async throws -> T) async throws -> T {
        try withLock { () throws(BundleInputError) in () }  // creates the directory and lock file
        let path = directory + "/lock"
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw BundleInputError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw BundleInputError.unreadable(path: path, reason: "cannot lock the state directory") }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}
