import AuditCore
import CCrypto

/// The SHA-256 implementation fetched once: OpenSSL 3 otherwise re-fetches the
/// algorithm on every init, which dominates the cost of hashing small ledger entries.
nonisolated(unsafe) private let fetchedSHA256: OpaquePointer = {
    guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
        fatalError("libcrypto has no SHA256 implementation")
    }
    return md
}()

/// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions
/// (about 3x coreutils `sha256sum` on this hardware).
public enum SHA256 {
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> Digest {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { o in
            EVP_Digest(buffer.baseAddress, buffer.count, o.baseAddress, &len, fetchedSHA256, nil)
        }
        precondition(ok == 1 && len == 32, "EVP_Digest failed")
        return Digest(uncheckedBytes: out)
    }

    /// Hashes into a caller-owned 32-byte buffer: no allocation, for bulk work such as
    /// recomputing every Merkle node during `verify`.
    public static func hash(_ buffer: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32, "SHA-256 output buffer too small")
        var len: UInt32 = 0
        let ok = EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                            &len, fetchedSHA256, nil)
        precondition(ok == 1 && len == 32, "EVP_Digest failed")
    }

    public static func hash(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ string: String) -> Digest {
        hash(Array(string.utf8))
    }

    /// Hashes the concatenation of `parts` without copying them together first.
    public static func hash(parts: [[UInt8]]) -> Digest {
        let h = SHA256Hasher()
        for p in parts { h.update(p) }
        return h.finalize()
    }
}

/// Incremental SHA-256 for streamed input (large model files, prefixed Merkle nodes).
/// A class so the underlying EVP context is freed exactly once.
public final class SHA256Hasher {
    private let ctx: OpaquePointer
    private var finished = false

    public init() {
        guard let c = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        ctx = c
        precondition(EVP_DigestInit_ex(ctx, fetchedSHA256, nil) == 1, "EVP_DigestInit_ex failed")
    }

    deinit { EVP_MD_CTX_free(ctx) }

    public func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher used after finalize()")
        if buffer.count > 0 {
            precondition(EVP_DigestUpdate(ctx, buffer.baseAddress, buffer.count) == 1, "EVP_DigestUpdate failed")
        }
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    public func update(byte: UInt8) { withUnsafeBytes(of: byte) { update($0) } }

    public func finalize() -> Digest {
        precondition(!finished, "SHA256Hasher finalized twice")
        finished = true
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(ctx, $0.baseAddress, &len) }
        precondition(ok == 1 && len == 32, "EVP_DigestFinal_ex failed")
        return Digest(uncheckedBytes: out)
    }
}
