import Foundation

/// Waits for a condition the test cannot be told about (a row in another process's database,
/// a child process's state) by checking it every `interval`; fails naming `what` after `timeout`.
public func poll(_ what: String, timeout: Double = 60, interval: Duration = .milliseconds(20),
          _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        try await Task.sleep(for: interval)
    }
    if try condition() { return }
    throw PollTimeout(what: what, seconds: timeout)
}

public struct PollTimeout: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public var description: String { "waited \(Int(seconds)) s for: \(what)" }
}
