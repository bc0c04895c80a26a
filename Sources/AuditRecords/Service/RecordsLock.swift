import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (flock) on `records.lock` in the data directory, held while
/// a decision is read from the ledger and its entries appended, so two `auditctl sign`
/// runs cannot both approve or both count the same state. Released on deinit.
///
/// Within one process the holders are queued by `RecordsLockGate` without blocking a
/// thread, so only one task at a time ever waits in `flock` (for another process). Without
/// the gate, concurrent tasks of one server could park every cooperative thread in `flock`
/// while the holder waits for a thread to resume on: a deadlock on a 2-core machine.
final class RecordsLock: @unchecked Sendable {
    private let fd: Int32
    private let path: String

    static func acquire(directory: String) async throws(RecordsError) -> RecordsLock {
        let path = directory + "/records.lock"
        await RecordsLockGate.shared.enter(path)
        do { return try RecordsLock(path: path) } catch {
            RecordsLockGate.shared.leave(path)
            throw error
        }
    }

    private init(path: String) throws(RecordsError) {
        self.path = path
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
        RecordsLockGate.shared.leave(path)
    }
}

/// FIFO admission to the records lock of each data directory within this process.
final class RecordsLockGate: @unchecked Sendable {
    static let shared = RecordsLockGate()
    private let lock = NSLock()
    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func enter(_ key: String) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if held.contains(key) {
                waiting[key, default: []].append(c)
                lock.unlock()
            } else {
                held.insert(key)
                lock.unlock()
                c.resume()
            }
        }
    }

    func leave(_ key: String) {
        lock.lock()
        if var queue = waiting[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[key] = queue.isEmpty ? nil : queue
            lock.unlock()
            next.resume()  // ownership passes straight to the next waiter
        } else {
            held.remove(key)
            lock.unlock()
        }
    }
}
