import Foundation

/// SplitMix64: a random generator a test can replay. Each test prints its seed; set
/// `AUDITCTL_FLEET_SIM_SEED` to run it again with the same cut points and batch sizes.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from the environment, else a fresh one.
    static func fromEnvironment() -> SeededRandom {
        let text = ProcessInfo.processInfo.environment["AUDITCTL_FLEET_SIM_SEED"]
        return SeededRandom(seed: text.flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
