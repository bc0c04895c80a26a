/// One ledger record: `{seq, time, kind, actor, subject, payload, prev}` (DESIGN.md).
///
/// `seq` is the entry's 0-based position, equal to its RFC 9162 leaf index, so the chain
/// and the Merkle tree speak of the same numbers. `prev` is the leaf hash of entry
/// `seq - 1` (32 zero bytes for the genesis entry).
public struct Entry: Sendable, Equatable {
    public let seq: Int
    /// RFC 3339 UTC with millisecond precision and a `Z`, as written at append time.
    public let time: String
    public let kind: String
    public let actor: String
    public let subject: String
    /// Always an object; its canonical bytes are what the entry hash commits to.
    public let payload: JSONValue
    public let prev: Digest

    public init(seq: Int, time: String, kind: String, actor: String, subject: String,
                payload: JSONValue, prev: Digest) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.payload = payload
        self.prev = prev
    }

    /// The entry as a JSON object (the form that is canonicalized, exported and shown).
    public var jsonValue: JSONValue {
        .object([
            "seq": .number(Double(seq)),
            "time": .string(time),
            "kind": .string(kind),
            "actor": .string(actor),
            "subject": .string(subject),
            "payload": payload,
            "prev": .string(prev.prefixed),
        ])
    }

    /// RFC 8785 bytes of `jsonValue`: the exact input of the leaf hash.
    public var canonicalBytes: [UInt8] { jsonValue.canonicalBytes() }
}

/// What a caller asks the ledger to append; the ledger assigns seq, time and prev, and,
/// when `authority` is set, has it sign the entry at that position (`EntryAuthority`).
public struct EntryDraft: Sendable, Equatable {
    public var kind: String
    public var actor: String
    public var subject: String
    public var payload: JSONValue
    public var authority: (any EntryAuthorizing)?

    public init(kind: String, actor: String, subject: String = "", payload: JSONValue = .object([:]),
                authority: (any EntryAuthorizing)? = nil) {
        self.kind = kind
        self.actor = actor
        self.subject = subject
        self.payload = payload
        self.authority = authority
    }

    /// Same content and whether it is to be signed (a signer has no identity to compare).
    public static func == (a: EntryDraft, b: EntryDraft) -> Bool {
        a.kind == b.kind && a.actor == b.actor && a.subject == b.subject && a.payload == b.payload
            && (a.authority == nil) == (b.authority == nil)
    }
}
