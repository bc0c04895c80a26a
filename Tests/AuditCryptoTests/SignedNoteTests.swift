import AuditCrypto
import Testing

/// Ported from golang.org/x/mod/sumdb/note note_test.go (the reference implementation of
/// c2sp.org/signed-note): same keys, same text, same expected signed note.
@Suite struct SignedNoteTests {
    static let peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochVKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\n"
        + "then you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    // TestNewVerifier
    @Test func verifierKeyParsesAndEveryManglingIsRejected() throws {
        let key = try NoteVerifierKey.parse(Self.peterVKey)
        #expect(key.name == "PeterNeumann")
        #expect(key.keyHash == 0xc74f20a3)
        #expect(key.encoded == Self.peterVKey)

        let b = Array(Self.peterVKey.utf8)
        for i in 0...b.count {
            for j in (i + 1)..<(b.count + 1) where !(i == 0 && j == b.count) {
                #expect(throws: SignedNoteError.self) { try NoteVerifierKey.parse(String(decoding: b[i..<j], as: UTF8.self)) }
            }
        }
        for i in b.indices {
            var m = b
            m[i] &+= 1
            #expect(throws: SignedNoteError.self) { try NoteVerifierKey.parse(String(decoding: m, as: UTF8.self)) }
        }
        // Wrong-length key and unknown algorithm, each with a key hash adjusted to match.
        #expect(throws: SignedNoteError.self) {
            try NoteVerifierKey.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: SignedNoteError.self) {
            try NoteVerifierKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    // TestNewSigner
    @Test func signerKeyParsesAndEveryManglingIsRejected() throws {
        let signer = try NoteSigner.parse(Self.peterSKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyHash == 0xc74f20a3)
        #expect(signer.verifierKey.encoded == Self.peterVKey)
        #expect(signer.encoded == Self.peterSKey)

        let b = Array(Self.peterSKey.utf8)
        for i in 0...b.count {
            for j in (i + 1)..<(b.count + 1) where !(i == 0 && j == b.count) {
                #expect(throws: SignedNoteError.self) { try NoteSigner.parse(String(decoding: b[i..<j], as: UTF8.self)) }
            }
        }
        for i in b.indices {
            var m = b
            m[i] &+= 1
            #expect(throws: SignedNoteError.self) { try NoteSigner.parse(String(decoding: m, as: UTF8.self)) }
        }
    }

    // TestSign
    @Test func signReproducesTheGoOutputExactly() throws {
        let signer = try NoteSigner.parse(Self.peterSKey)
        let note = try SignedNote.sign(text: Self.text, signers: [signer])
        #expect(note == Self.text + "\n" + Self.peterSig)
        #expect(throws: SignedNoteError.self) { try SignedNote.sign(text: "abc", signers: [signer]) }
        #expect(throws: SignedNoteError.self) { try SignedNote.sign(text: "a\u{1}b\n", signers: [signer]) }
        #expect(throws: SignedNoteError.self) { try SignedNote.sign(text: Self.text, signers: []) }
        #expect(throws: SignedNoteError.self) { try NoteSigner(name: "bad name", privateKey: .generate()) }
        #expect(throws: SignedNoteError.self) { try NoteSigner(name: "a+b", privateKey: .generate()) }
        #expect(throws: SignedNoteError.self) { try NoteSigner(name: "", privateKey: .generate()) }
    }

    // TestOpen
    @Test func openFollowsTheGoReference() throws {
        let peter = try NoteVerifierKey.parse(Self.peterVKey)
        let enoch = try NoteVerifierKey.parse(Self.enochVKey)
        let both = Self.text + "\n" + Self.peterSig + Self.enochSig

        // One signature verified, one from an unknown key skipped.
        let one = try SignedNote.open(both, verifiers: [peter])
        #expect(one.text == Self.text)
        #expect(one.verifiedBy == [peter])
        #expect(one.unverifiedSignatures.map(\.name) == ["EnochRoot"])
        #expect(one.unverifiedSignatures.first?.keyHash == 0xaf0cfe78)

        // Both verified, in order.
        let two = try SignedNote.open(both, verifiers: [peter, enoch])
        #expect(two.verifiedBy == [peter, enoch])
        #expect(two.unverifiedSignatures.isEmpty)

        // Neither known: well formed, but no trusted signature.
        #expect(throws: SignedNoteError.noVerifiedSignature(unknownSignatures: 2)) {
            try SignedNote.open(both, verifiers: [])
        }

        // Same trusted key listed twice is not ambiguous for a value type (Go's pointer
        // list reports it; the spec only cares about distinct keys sharing name and hash).
        #expect(try SignedNote.open(Self.text + "\n" + Self.enochSig, verifiers: [enoch, peter, enoch]).verifiedBy == [enoch])

        // Too many signatures, whether known or not.
        let many = Self.text + "\n" + String(repeating: Self.peterSig, count: 101)
        #expect(throws: SignedNoteError.tooManySignatures(limit: 100)) { try SignedNote.open(many, verifiers: [peter]) }
        #expect(throws: SignedNoteError.tooManySignatures(limit: 100)) { try SignedNote.open(many, verifiers: []) }
        #expect(try SignedNote.open(Self.text + "\n" + String(repeating: Self.peterSig, count: 100), verifiers: [peter]).verifiedBy == [peter])

        // A trusted key's signature that does not verify rejects the note.
        let sig = Array(Self.peterSig)
        let corrupted = String(sig[..<60]) + "ABCD" + String(sig[60...])
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyHash: 0xc74f20a3)) {
            try SignedNote.open(Self.text + "\n" + corrupted, verifiers: [peter])
        }

        // Duplicated verified and unverified signatures are collapsed.
        let enochChars = Array(Self.enochSig)
        let enochABCD = String(enochChars[..<60]) + "ABCD" + String(enochChars[60...])
        let dup = try SignedNote.open(Self.text + "\n" + Self.peterSig + Self.peterSig + Self.enochSig + Self.enochSig + enochABCD,
                                      verifiers: [peter])
        #expect(dup.verifiedBy == [peter])
        #expect(dup.unverifiedSignatures.count == 2)
    }

    @Test func malformedNotesAreMalformedNotUnverified() throws {
        let peter = try NoteVerifierKey.parse(Self.peterVKey)
        let badNotes: [[UInt8]] = [
            Self.text,
            Self.text + "\n",
            Self.text + "\n" + String(Self.peterSig.dropLast()),
            "\u{1}" + Self.text + "\n" + Self.peterSig,
            Self.text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            Self.text + "\n" + Self.peterSig + "Unexpected line.\n",
        ].map { Array($0.utf8) } + [
            [0xFF] + Array((Self.text + "\n" + Self.peterSig).utf8),   // invalid UTF-8
        ]
        for note in badNotes {
            do {
                _ = try SignedNote.open(bytes: note, verifiers: [peter])
                Issue.record("opened: \(String(decoding: note, as: UTF8.self))")
            } catch {
                guard case .malformedNote = error else { Issue.record("expected malformedNote, got \(error)"); continue }
            }
        }
        let tooBig = String(repeating: "x", count: 1024 * 1024) + "\n\n" + Self.peterSig
        #expect(throws: SignedNoteError.tooLarge(bytes: tooBig.utf8.count, limit: 1024 * 1024)) {
            try SignedNote.open(tooBig, verifiers: [peter])
        }
    }

    @Test func everyOneBitChangeOfTheSignedNoteIsRejected() throws {
        let peter = try NoteVerifierKey.parse(Self.peterVKey)
        let note = Array((Self.text + "\n" + Self.peterSig).utf8)
        #expect(try SignedNote.open(bytes: note, verifiers: [peter]).text == Self.text)
        for flipped in oneBitFlips(note) {
            #expect(throws: SignedNoteError.self) { try SignedNote.open(bytes: flipped, verifiers: [peter]) }
        }
    }

    @Test func freshKeysRoundTripWithSeveralSigners() throws {
        let a = try NoteSigner(name: "log.auditctl.example/plant-7", privateKey: .generate())
        let b = try NoteSigner(name: "witness.example/w1", privateKey: .generate())
        let text = "log.auditctl.example/plant-7\n42\nq3n2b8FZ5mW8k7nOTeJ8Hc5l0BBvVZbgT4qjD1m/9vI=\n"
        let note = try SignedNote.sign(text: text, signers: [a, b])
        let opened = try SignedNote.open(note, verifiers: [b.verifierKey])
        #expect(opened.text == text)
        #expect(opened.verifiedBy == [b.verifierKey])
        #expect(opened.unverifiedSignatures.map(\.name) == [a.name])
        #expect(try NoteSigner.parse(a.encoded).verifierKey == a.verifierKey)
        #expect(try NoteVerifierKey.parse(a.verifierKey.encoded) == a.verifierKey)
        // A key with the same name but another public key is not trusted.
        let impostor = try NoteVerifierKey(name: a.name, publicKey: Ed25519PrivateKey.generate().publicKey)
        #expect(throws: SignedNoteError.noVerifiedSignature(unknownSignatures: 2)) {
            try SignedNote.open(note, verifiers: [impostor])
        }
    }
}
