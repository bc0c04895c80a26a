import AuditCore
import AuditCrypto

/// C2SP signed notes, checkpoints and note keys (what the approval proof and `verify
/// --trusted-checkpoint` read).
enum NoteFuzz {
    /// Input: a verifier key line, then the note. Seeds pair a real log key with its real
    /// checkpoints, so mutations reach signature checking and the checkpoint body.
    static let signedNote = FuzzTarget(name: "signed-note", summary: "verifier key line + C2SP signed note") { bytes throws(FuzzPropertyViolation) in
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return }
        guard let keyText = String(validating: bytes[..<newline], as: UTF8.self),
              let key = try? NoteVerifierKey.parse(keyText) else {
            _ = try? SignedNote.open(bytes: Array(bytes[(newline + 1)...]), verifiers: [])
            return
        }
        let note = Array(bytes[(newline + 1)...])
        guard let opened = try? SignedNote.open(bytes: note, verifiers: [key]) else { return }
        // The verified text is a prefix of the note and ends in a newline.
        try Expect.equal(Array(note.prefix(opened.text.utf8.count)), Array(opened.text.utf8), "signed-note", "verified text is the note's text")
        try Expect.equal(opened.text.last, "\n", "signed-note", "verified text ends in a newline")
        try Expect.equal(opened.verifiedBy.contains(key), true, "signed-note", "verified by the given key")
        if let body = try? CheckpointBody.parse(opened.text) {
            try Expect.equal(body.text, opened.text, "signed-note", "checkpoint text round trip")
        }
    }

    /// A checkpoint body: what parses must print back byte for byte (C2SP allows one form).
    static let checkpoint = FuzzTarget(name: "checkpoint", summary: "C2SP tlog-checkpoint body") { bytes throws(FuzzPropertyViolation) in
        guard let text = String(validating: bytes, as: UTF8.self), let body = try? CheckpointBody.parse(text) else { return }
        try Expect.equal(body.text, text, "checkpoint", "text round trip")
        let again = try Expect.reparse("checkpoint", "its own text") { try CheckpointBody.parse(body.text) }
        try Expect.equal(again, body, "checkpoint", "value round trip")
    }

    /// Verifier (`name+hash+key`) and signer (`PRIVATE+KEY+…`) key strings.
    static let noteKeys = FuzzTarget(name: "note-keys", summary: "C2SP verifier or signer key string") { bytes throws(FuzzPropertyViolation) in
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        if let key = try? NoteVerifierKey.parse(text) {
            let again = try Expect.reparse("note-keys", "encoded verifier key") { try NoteVerifierKey.parse(key.encoded) }
            try Expect.equal(again, key, "note-keys", "verifier key round trip")
            try Expect.equal(again.encoded, key.encoded, "note-keys", "verifier key encoding")
            // Go's note package accepts either hex case; the canonical form is lowercase.
            try Expect.equal(key.encoded.lowercased() == text.lowercased() || key.encoded == text, true, "note-keys", "encoded differs beyond hex case")
        }
        if let signer = try? NoteSigner.parse(text) {
            let again = try Expect.reparse("note-keys", "encoded signer key") { try NoteSigner.parse(signer.encoded) }
            try Expect.equal(again.verifierKey, signer.verifierKey, "note-keys", "signer key round trip")
            try Expect.equal(again.encoded, signer.encoded, "note-keys", "signer key encoding")
        }
    }
}
