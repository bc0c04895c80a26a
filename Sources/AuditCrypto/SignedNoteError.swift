/// Errors for C2SP signed notes (c2sp.org/signed-note) and their key strings.
/// Malformed input (`malformedKey`, `malformedNote`, `tooLarge`, `tooManySignatures`) is
/// kept apart from verification failures (`invalidSignature`, `noVerifiedSignature`).
public enum SignedNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A verifier or signer key string is not well formed, or its key hash is wrong.
    case malformedKey(reason: String)
    /// The note does not follow the signed-note syntax. `line` is 1-based when known.
    case malformedNote(line: Int?, reason: String)
    case tooLarge(bytes: Int, limit: Int)
    case tooManySignatures(limit: Int)
    /// Text handed to `sign` cannot be a note text (must end in a newline, no control characters).
    case invalidText(reason: String)
    /// Two trusted verifier keys share a name and key hash, so a signature is ambiguous.
    case ambiguousVerifier(name: String, keyHash: UInt32)
    /// A signature from a trusted key did not verify: the note was altered or forged.
    case invalidSignature(name: String, keyHash: UInt32)
    /// The note is well formed but no trusted key signed it.
    case noVerifiedSignature(unknownSignatures: Int)

    public var description: String {
        switch self {
        case let .malformedKey(reason): return "malformed note key: \(reason)"
        case let .malformedNote(line?, reason): return "malformed signed note (line \(line)): \(reason)"
        case let .malformedNote(nil, reason): return "malformed signed note: \(reason)"
        case let .tooLarge(bytes, limit): return "signed note is \(bytes) bytes; limit is \(limit)"
        case let .tooManySignatures(limit): return "signed note has more than \(limit) signatures"
        case let .invalidText(reason): return "cannot sign note text: \(reason)"
        case let .ambiguousVerifier(name, hash): return "ambiguous trusted key \(name)+\(NoteKeyHash.hex(hash))"
        case let .invalidSignature(name, hash):
            return "invalid signature for key \(name)+\(NoteKeyHash.hex(hash)); the note was altered or forged"
        case let .noVerifiedSignature(unknown):
            return "note has no signature from a trusted key (\(unknown) signature(s) from unknown keys)"
        }
    }
}
