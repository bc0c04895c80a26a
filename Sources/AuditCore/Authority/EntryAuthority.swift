/// Proof of who made a ledger entry (DESIGN.md: "authority is proven, never asserted").
///
/// An authority-bearing entry stores, under `payload.authority`, one or more Ed25519
/// signatures over its *authority statement*: the RFC 8785 canonical JSON of
///
///     {"format":"auditctl-entry-authority/v1","seq":…,"time":…,"kind":…,"actor":…,
///      "subject":…,"payload":<payload without "authority">,"prev":"sha256:…"}
///
/// Because the statement names the entry's seq and the previous entry's hash, a signed
/// entry cannot be moved, copied into another ledger position or replayed later; because
/// it names kind, subject and payload, nothing in it can be altered. The ledger writer
/// asks the draft's `EntryAuthorizing` for the signatures once it has fixed seq, time and
/// prev inside the append transaction, so signing never races another appender.
public enum EntryAuthority {
    public static let format = "auditctl-entry-authority/v1"
    /// The payload key that holds the signatures; reserved, callers may not set it.
    public static let payloadKey = "authority"

    /// The exact bytes an authority signature covers.
    public static func statementBytes(seq: Int, time: String, kind: String, actor: String, subject: String,
                                      unsignedPayload: JSONValue, prev: Digest) -> [UInt8] {
        JSONValue.object([
            "format": .string(format), "seq": .number(Double(seq)), "time": .string(time), "kind": .string(kind),
            "actor": .string(actor), "subject": .string(subject), "payload": unsignedPayload, "prev": .string(prev.prefixed),
        ]).canonicalBytes()
    }

    /// The statement of a stored entry: its payload with `authority` removed.
    public static func statementBytes(of entry: Entry) -> [UInt8] {
        statementBytes(seq: entry.seq, time: entry.time, kind: entry.kind, actor: entry.actor, subject: entry.subject,
                       unsignedPayload: unsignedPayload(entry.payload), prev: entry.prev)
    }

    /// `payload` without the `authority` key.
    public static func unsignedPayload(_ payload: JSONValue) -> JSONValue {
        guard var object = payload.objectValue, object[payloadKey] != nil else { return payload }
        object[payloadKey] = nil
        return .object(object)
    }

    /// The signatures an entry carries: nil when it has no `authority` key, an empty array
    /// when the key is there but malformed (so a malformed proof never reads as "unsigned").
    public static func signatures(of payload: JSONValue) -> [AuthoritySignature]? {
        guard let value = payload[payloadKey] else { return nil }
        guard let items = value.arrayValue, !items.isEmpty, items.count <= Limits.maxAuthoritySignatures else { return [] }
        var out: [AuthoritySignature] = []
        for item in items {
            guard let s = AuthoritySignature(json: item) else { return [] }
            out.append(s)
        }
        return out
    }

    /// `payload` with the signatures added under `authority`.
    public static func signedPayload(_ payload: JSONValue, _ signatures: [AuthoritySignature]) -> JSONValue {
        var object = payload.objectValue ?? [:]
        object[payloadKey] = .array(signatures.map(\.jsonValue))
        return .object(object)
    }
}

/// One signature over an authority statement, with the id (SHA-256 fingerprint of the raw
/// public key) of the key that made it.
public struct AuthoritySignature: Sendable, Equatable {
    public let keyID: Digest
    public let signature: [UInt8]

    public init(keyID: Digest, signature: [UInt8]) {
        self.keyID = keyID
        self.signature = signature
    }

    public var jsonValue: JSONValue {
        .object(["keyId": .string(keyID.prefixed), "signature": .string(Base64.encode(signature))])
    }

    public init?(json: JSONValue) {
        guard let object = json.objectValue, object.count == 2,
              let keyID = json["keyId"]?.stringValue.flatMap(Digest.init(prefixed:)),
              let signature = json["signature"]?.stringValue.flatMap(Base64.decode), signature.count == 64
        else { return nil }
        self.init(keyID: keyID, signature: signature)
    }
}

/// Signs an entry's authority statement once the writer has fixed its position. Holds the
/// unsealed key only for the one append it was made for.
public protocol EntryAuthorizing: Sendable {
    func sign(statement: [UInt8]) throws -> [AuthoritySignature]
}
