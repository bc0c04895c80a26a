import CSodium

/// An Ed25519 signing key. A class so the 64-byte libsodium secret key lives in exactly
/// one heap buffer that is zeroed when the last reference goes away; Swift arrays would
/// leave unzeroed copies behind on every copy-on-write.
///
/// `@unchecked Sendable`: the buffer is written only in `init` and `deinit`; in between it
/// is only read, so sharing one key between tasks is safe.
public final class Ed25519PrivateKey: @unchecked Sendable {
    public static let seedByteCount = 32
    private static let secretKeyByteCount = 64

    /// libsodium's secret key layout: seed (32) ‖ public key (32).
    private let secretKey: UnsafeMutablePointer<UInt8>
    public let publicKey: Ed25519PublicKey

    /// A fresh key from the OS random source.
    public static func generate() -> Ed25519PrivateKey {
        var seed = SecureRandom.bytes(seedByteCount)
        defer { Sodium.wipe(&seed) }
        return Ed25519PrivateKey(checkedSeed: seed)
    }

    /// The deterministic key for a 32-byte RFC 8032 secret (the "seed").
    public convenience init(seed: [UInt8]) throws(KeyFormatError) {
        guard seed.count == Self.seedByteCount else {
            throw .wrongLength(what: "Ed25519 seed", expected: Self.seedByteCount, actual: seed.count)
        }
        self.init(checkedSeed: seed)
    }

    /// `seed` has exactly `seedByteCount` bytes.
    private init(checkedSeed seed: [UInt8]) {
        Sodium.ensureInitialized()
        let sk = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.secretKeyByteCount)
        var pk = [UInt8](repeating: 0, count: Ed25519PublicKey.byteCount)
        _ = crypto_sign_seed_keypair(&pk, sk, seed)
        secretKey = sk
        publicKey = Ed25519PublicKey(checkedRawBytes: pk)
    }

    deinit {
        sodium_memzero(secretKey, Self.secretKeyByteCount)
        secretKey.deallocate()
    }

    /// A copy of the 32-byte seed, for sealing the key at rest. The caller owns the copy
    /// and should wipe it when done (see `SealedKey`, which does).
    public var seed: [UInt8] {
        Array(UnsafeBufferPointer(start: secretKey, count: Self.seedByteCount))
    }

    /// The detached 64-byte Ed25519 signature of `message` (deterministic, RFC 8032).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Ed25519PublicKey.signatureByteCount)
        _ = crypto_sign_detached(&signature, nil, message, UInt64(message.count), secretKey)
        return signature
    }
}
