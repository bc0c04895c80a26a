import CSodium

/// libsodium must be initialised once before any other call (it picks CPU-specific
/// implementations and seeds its RNG). A global `let` is initialised lazily, exactly once,
/// and thread-safely by the Swift runtime, so touching it is all a caller needs.
private let sodiumReady: Bool = sodium_init() >= 0   // 1 = already initialised, 0 = now initialised

enum Sodium {
    /// Call at the top of every function that uses libsodium.
    /// sodium_init only fails when the OS has no usable random source; nothing in this
    /// module can be made safe without one, so that is the one unrecoverable condition.
    @inline(__always)
    static func ensureInitialized() {
        if !sodiumReady { fatalError("libsodium failed to initialise: no secure random source") }
    }

    /// Overwrites `bytes` with zeros in a way the optimiser cannot remove.
    static func wipe(_ bytes: inout [UInt8]) {
        if bytes.isEmpty { return }
        sodium_memzero(&bytes, bytes.count)
    }
}
