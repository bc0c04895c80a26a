import CSodium

/// Comparison of secrets (MACs, password-derived values, key material) whose running time
/// does not depend on where the inputs first differ, so an attacker timing our answers
/// learns nothing about the expected value.
public enum ConstantTime {
    /// True when `a` and `b` hold the same bytes. Different lengths are simply unequal
    /// (lengths are not secret); equal lengths are compared with libsodium's sodium_memcmp.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        Sodium.ensureInitialized()
        return sodium_memcmp(a, b, a.count) == 0
    }
}

/// Bytes from the operating system's CSPRNG (via libsodium's randombytes), for salts,
/// nonces and key generation.
public enum SecureRandom {
    /// `n` random bytes; a negative or zero `n` yields an empty array.
    public static func bytes(_ n: Int) -> [UInt8] {
        guard n > 0 else { return [] }
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: n)
        randombytes_buf(&out, n)
        return out
    }
}
