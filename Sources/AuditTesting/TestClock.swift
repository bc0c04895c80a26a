import Foundation

/// Real time plus an offset tests can move forward (the ledger stamps entries with real
/// time; the records service reads this clock for expiry, password age and sessions).
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    public init() {}

    public var date: Date { lock.withLock { Date() + offset } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
    public var function: @Sendable () -> Date { { [self] in self.date } }
}
