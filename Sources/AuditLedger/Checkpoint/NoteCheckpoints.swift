import AuditCore
import AuditCrypto

/// Signs checkpoints as C2SP signed notes with the log's Ed25519 key.
public struct NoteCheckpointSigner: CheckpointSigning {
    public let signer: NoteSigner

    public init(signer: NoteSigner) { self.signer = signer }

    public func signNote(body: CheckpointBody) throws -> String {
        try SignedNote.sign(text: body.text, signers: [signer])
    }

    public var systemAuthority: (any EntryAuthorizing)? { KeyAuthority(signer.privateKey) }
}

/// Opens checkpoint notes with the log's trusted verifier key; any other signer is ignored.
public struct NoteCheckpointVerifier: CheckpointNoteVerifying {
    public let key: NoteVerifierKey

    public init(key: NoteVerifierKey) { self.key = key }

    public func open(note: String) throws -> CheckpointBody {
        let verified = try SignedNote.open(note, verifiers: [key])
        guard verified.verifiedBy.contains(key) else {
            throw CheckpointParseError.malformed("no signature by \(key.name) verifies")
        }
        return try CheckpointBody.parse(verified.text)
    }
}
