import Foundation

/// Waits for a condition the test cannot be told about (a row in another process's database,
/// a child process's state) by checking it every `interval`; fails naming `what` after `timeout`.
///
/// Each check runs on a thread of its own: conditions block (they run `psql`, read files),
/// and a check blocking one of the few cooperative threads (two on a 2-core runner) would
/// starve the very tasks it waits for, e.g. in-process plants pushing over HTTP.
public func poll(_ what: String, timeout: Double = 60, interval: Duration = .milliseconds(20),
                 _ condition: @escaping @Sendable () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await onOwnThread(condition) { return }
        try await Task.sleep(for: interval)
    }
    if try await onOwnThread(condition) { return }
    throw PollTimeout(what: what, seconds: timeout)
}

/// Runs blocking work on a new thread and awaits it without holding a cooperative thread.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

public struct PollTimeout: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public var description: String { "waited \(Int(seconds)) s for: \(what)" }
}
