import AuditCore
import AuditCrypto

/// Finds the trusted key that made a DSSE signature. DSSE defines `keyid` as an optional,
/// unauthenticated hint, so it only chooses which key to try first: a keyid naming a trusted
/// key decides (that key must verify), while an empty or unknown keyid (securesystemslib
/// writes its own key ids, model-signing none) means every trusted key of the signature's
/// type is tried — a bounded loop, at most the number of keys in the trust root.
struct SignatureKeys {
    enum Key {
        case signer(TrustRoot.Signer)
        case producer(TrustRoot.Producer)
    }

    enum Outcome {
        case verified(Key)
        /// The keyid named this trusted key, and the signature does not verify with it.
        case doesNotVerify(Key)
        case unknownSigner
    }

    let trust: TrustRoot

    /// `producers`: whether model-signing ECDSA P-256 producer keys may have made it (they
    /// may sign `model.sig`, never approve). `hint` is model-signing's key hint, if any.
    func resolve(_ sig: DSSESignature, message: [UInt8], hint: String, producers: Bool) -> Outcome {
        if let named = named(sig.keyID, producers: producers) {
            return verifies(named, sig, message) ? .verified(named) : .doesNotVerify(named)
        }
        // Ed25519 signatures are exactly 64 bytes; ECDSA signatures are DER (70-72 bytes).
        let hinted = trust.producers.filter { $0.matches(hint: hint) }
        let candidates: [Key] = sig.signature.count == 64
            ? trust.signers.map { .signer($0) }
            : producers ? (hinted + trust.producers.filter { !$0.matches(hint: hint) }).map { .producer($0) } : []
        for key in candidates where verifies(key, sig, message) { return .verified(key) }
        return .unknownSigner
    }

    private func named(_ keyID: String, producers: Bool) -> Key? {
        guard !keyID.isEmpty else { return nil }
        if let digest = Digest(prefixed: keyID), let signer = trust.signer(keyID: digest) { return .signer(signer) }
        if producers, let p = trust.producers.first(where: { $0.key.keyID.prefixed == keyID }) {
            return .producer(p)
        }
        return nil
    }

    private func verifies(_ key: Key, _ sig: DSSESignature, _ message: [UInt8]) -> Bool {
        switch key {
        case .signer(let s): return s.publicKey.verify(signature: sig.signature, message: message)
        case .producer(let p): return p.key.verify(derSignature: sig.signature, message: message)
        }
    }
}

extension TrustRoot.Producer {
    /// Whether `hint` is model-signing's hint for this key: hex SHA-256 of the PEM text, as
    /// given in the trust root or as Python's `cryptography` re-encodes it.
    func matches(hint: String) -> Bool {
        !hint.isEmpty && (SHA256.hash(pem).hex == hint || key.modelSigningHint == hint)
    }
}
