import Foundation
import NIOConcurrencyHelpers

/// Login attempts per client address and per user ID in a sliding window. Lockout (in the
/// recorded policy) protects one account; this keeps one address from guessing across many
/// accounts and keeps a flood of attempts from filling the ledger with `auth.failed`.
/// Refused attempts get 429 and never reach Argon2id or the ledger.
final class LoginRateLimiter: Sendable {
    private let attempts = NIOLockedValueBox<[String: [Date]]>([:])
    let perAddress: Int
    let perUser: Int
    let window: TimeInterval
    private let clock: @Sendable () -> Date

    init(perAddress: Int, perUser: Int, window: TimeInterval, clock: @escaping @Sendable () -> Date) {
        self.perAddress = perAddress
        self.perUser = perUser
        self.window = window
        self.clock = clock
    }

    /// Counts the attempt; returns the seconds to wait when over either limit.
    func admit(address: String, userID: String) -> Int? {
        let now = clock()
        let since = now.addingTimeInterval(-window)
        return attempts.withLockedValue { table in
            let a = "addr:" + address, u = "user:" + userID
            let byAddress = (table[a] ?? []).filter { $0 > since }
            let byUser = (table[u] ?? []).filter { $0 > since }
            if byAddress.count >= perAddress || byUser.count >= perUser {
                let oldest = (byAddress.count >= perAddress ? byAddress : byUser).min() ?? now
                return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
            }
            table[a] = byAddress + [now]
            table[u] = byUser + [now]
            if table.count > 10_000 { table = table.filter { $0.value.contains { $0 > since } } }
            return nil
        }
    }
}
