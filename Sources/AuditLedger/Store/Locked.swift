import Foundation

/// A value behind a pthread mutex. Used instead of `Synchronization.Mutex` in the writer
/// because on Linux that one is built on raw futexes, which ThreadSanitizer cannot see:
/// with this, `swift test --sanitize=thread` checks the group-commit writer for real.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
