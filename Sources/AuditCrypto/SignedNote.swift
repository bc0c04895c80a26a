import AuditCore

/// One signature line of a note: key name, key hash and the base64 payload as written.
public struct NoteSignature: Hashable, Sendable {
    public let name: String
    public let keyHash: UInt32
    public let base64: String
}

/// A note whose text was signed by at least one trusted key.
public struct VerifiedNote: Sendable, Equatable {
    /// The signed text, including its final newline.
    public let text: String
    /// The trusted keys whose signatures verified, in signature order.
    public let verifiedBy: [NoteVerifierKey]
    /// Signatures from keys not in the trusted set, which the spec says to ignore.
    public let unverifiedSignatures: [NoteSignature]
}

/// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys: the envelope of
/// checkpoints, so any signed-note verifier can check our log heads.
public enum SignedNote {
    /// "— " — U+2014 EM DASH then a space, in UTF-8.
    static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]
    static let newline = UInt8(ascii: "\n")

    /// `text` followed by a blank line and one signature line per signer.
    public static func sign(text: String, signers: [NoteSigner]) throws(SignedNoteError) -> String {
        let body = Array(text.utf8)
        guard body.last == newline else { throw .invalidText(reason: "text must end with a newline") }
        if let bad = body.firstIndex(where: { $0 < 0x20 && $0 != newline }) {
            throw .invalidText(reason: "control character 0x\(String(body[bad], radix: 16)) at byte \(bad)")
        }
        guard !signers.isEmpty else { throw .invalidText(reason: "a signed note needs at least one signer") }
        guard signers.count <= Limits.maxSignedNoteSignatures else {
            throw .tooManySignatures(limit: Limits.maxSignedNoteSignatures)
        }
        var out = text + "\n"
        for signer in signers {
            let signature = NoteKeyHash.bytes(signer.keyHash) + signer.privateKey.sign(body)
            out += "— \(signer.name) \(Base64.encode(signature))\n"
        }
        guard out.utf8.count <= Limits.maxSignedNoteBytes else {
            throw .tooLarge(bytes: out.utf8.count, limit: Limits.maxSignedNoteBytes)
        }
        return out
    }

    public static func open(_ note: String, verifiers: [NoteVerifierKey]) throws(SignedNoteError) -> VerifiedNote {
        try open(bytes: Array(note.utf8), verifiers: verifiers)
    }

    /// Parses `bytes` and checks every signature from a key in `verifiers`.
    /// Unknown keys' signatures are skipped (spec: MUST ignore); a trusted key's bad
    /// signature rejects the whole note (spec: SHOULD reject); no good trusted signature
    /// is `.noVerifiedSignature` (spec: MUST reject). Same identical trusted key listed
    /// twice is harmless; two different keys with one name and hash are ambiguous.
    public static func open(bytes: [UInt8], verifiers: [NoteVerifierKey]) throws(SignedNoteError) -> VerifiedNote {
        guard bytes.count <= Limits.maxSignedNoteBytes else {
            throw .tooLarge(bytes: bytes.count, limit: Limits.maxSignedNoteBytes)
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .malformedNote(line: nil, reason: "not valid UTF-8")
        }
        if let bad = bytes.firstIndex(where: { $0 < 0x20 && $0 != newline }) {
            throw .malformedNote(line: lineNumber(bytes, at: bad), reason: "control character 0x\(String(bytes[bad], radix: 16))")
        }
        guard let split = lastBlankLine(bytes) else {
            throw .malformedNote(line: nil, reason: "no blank line before the signatures")
        }
        let text = Array(bytes[..<(split + 1)])
        let block = bytes[(split + 2)...]
        guard block.last == newline else {
            throw .malformedNote(line: nil, reason: "signature block must be non-empty and end with a newline")
        }

        var trusted: [Pair: NoteVerifierKey] = [:]
        var ambiguous: Set<Pair> = []
        for v in verifiers {
            let pair = Pair(name: v.name, hash: v.keyHash)
            if let existing = trusted[pair], existing != v { ambiguous.insert(pair) }
            trusted[pair] = v
        }

        var verified: [NoteVerifierKey] = []
        var seenTrusted: Set<Pair> = []
        var unverified: [NoteSignature] = []
        var seenUnverified: Set<ArraySlice<UInt8>> = []
        var count = 0
        var line = lineNumber(bytes, at: split + 2)
        var rest = block[...]
        while let end = rest.firstIndex(of: newline) {
            let content = rest[rest.startIndex..<end]
            rest = rest[(end + 1)...]
            defer { line += 1 }
            let sig = try parseSignatureLine(content, line: line)
            count += 1
            guard count <= Limits.maxSignedNoteSignatures else {
                throw .tooManySignatures(limit: Limits.maxSignedNoteSignatures)
            }
            let pair = Pair(name: sig.name, hash: sig.keyHash)
            guard let key = trusted[pair] else {
                if seenUnverified.insert(content).inserted {
                    unverified.append(NoteSignature(name: sig.name, keyHash: sig.keyHash, base64: sig.base64))
                }
                continue
            }
            guard !ambiguous.contains(pair) else { throw .ambiguousVerifier(name: sig.name, keyHash: sig.keyHash) }
            guard seenTrusted.insert(pair).inserted else { continue }
            guard key.publicKey.verify(signature: sig.signature, message: text) else {
                throw .invalidSignature(name: sig.name, keyHash: sig.keyHash)
            }
            verified.append(key)
        }
        guard !verified.isEmpty else { throw .noVerifiedSignature(unknownSignatures: unverified.count) }
        return VerifiedNote(text: String(decoding: text, as: UTF8.self), verifiedBy: verified,
                            unverifiedSignatures: unverified)
    }

    private struct Pair: Hashable {
        let name: String
        let hash: UInt32
    }

    struct ParsedSignature {
        let name: String
        let keyHash: UInt32
        let base64: String
        let signature: [UInt8]
    }

    /// `— <name> <base64(keyhash4 ‖ signature)>`, without the newline.
    static func parseSignatureLine(_ content: ArraySlice<UInt8>, line: Int) throws(SignedNoteError) -> ParsedSignature {
        guard content.starts(with: signaturePrefix) else {
            throw .malformedNote(line: line, reason: "signature line must start with \"— \"")
        }
        let afterPrefix = content.dropFirst(signaturePrefix.count)
        guard let space = afterPrefix.firstIndex(of: UInt8(ascii: " ")) else {
            throw .malformedNote(line: line, reason: "signature line needs a key name and a signature")
        }
        let name = String(decoding: afterPrefix[..<space], as: UTF8.self)
        let encoded = Array(afterPrefix[(space + 1)...])
        guard NoteKeyHash.isValidName(Substring(name)) else {
            throw .malformedNote(line: line, reason: "invalid key name")
        }
        guard let raw = Base64.decode(utf8: encoded), raw.count >= 5 else {
            throw .malformedNote(line: line, reason: "signature is not canonical base64 of key hash and signature")
        }
        let hash = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        return ParsedSignature(name: name, keyHash: hash, base64: String(decoding: encoded, as: UTF8.self),
                               signature: Array(raw[4...]))
    }

    /// Index of the first "\n" of the last "\n\n" in `bytes`.
    static func lastBlankLine(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == newline && bytes[i + 1] == newline { return i }
            i -= 1
        }
        return nil
    }

    private static func lineNumber(_ bytes: [UInt8], at offset: Int) -> Int {
        1 + bytes[..<min(offset, bytes.count)].lazy.filter { $0 == newline }.count
    }
}
