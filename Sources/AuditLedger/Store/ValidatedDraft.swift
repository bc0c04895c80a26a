import AuditCore

/// A draft that passed every input check, with its canonical payload computed once.
struct ValidatedDraft: Sendable {
    let kind: String
    let actor: String
    let subject: String
    let payload: JSONValue
    let canonicalPayload: String
    let authority: (any EntryAuthorizing)?
    /// For `clock.corrected`: the first entry whose time it corrects (payload `seq`). The
    /// writer checks it names an earlier entry and exempts the draft from the clock check.
    let correctedSeq: Int?

    init(_ draft: EntryDraft, allowedKinds: Set<String>) throws(LedgerError) {
        guard allowedKinds.contains(draft.kind) else {
            throw .invalidDraft(field: "kind", reason: "unknown kind '\(draft.kind)' (known: \(allowedKinds.sorted().joined(separator: ", ")))")
        }
        try Self.checkIdentifier(draft.actor, field: "actor", allowEmpty: false)
        try Self.checkIdentifier(draft.subject, field: "subject", allowEmpty: true)
        guard case .object(let object) = draft.payload else {
            throw .invalidDraft(field: "payload", reason: "must be a JSON object")
        }
        // Only the writer puts signatures there, made for the entry's final position.
        guard object[EntryAuthority.payloadKey] == nil else {
            throw .invalidDraft(field: "payload.\(EntryAuthority.payloadKey)", reason: "is reserved for the entry's authority signatures, which auditctl adds itself")
        }
        let bytes = draft.payload.canonicalBytes()
        guard bytes.count <= Limits.maxEntryPayloadBytes else {
            throw .invalidDraft(field: "payload", reason: "\(bytes.count) bytes exceeds the limit of \(Limits.maxEntryPayloadBytes) bytes")
        }
        if draft.kind == EntryKind.clockCorrected {
            guard let n = object["seq"]?.int64Value, n >= 0 else {
                throw .invalidDraft(field: "payload.seq", reason: "a clock correction names the first future-dated entry's seq (a non-negative integer)")
            }
            guard let reason = object["reason"]?.stringValue, !reason.isEmpty else {
                throw .invalidDraft(field: "payload.reason", reason: "a clock correction says why (a non-empty string)")
            }
            correctedSeq = Int(n)
        } else {
            correctedSeq = nil
        }
        kind = draft.kind
        actor = draft.actor
        subject = draft.subject
        payload = draft.payload
        canonicalPayload = String(decoding: bytes, as: UTF8.self)
        authority = draft.authority
    }

    /// The payload to store for an entry at `seq` after `prev` at `time`: unchanged, or
    /// with the authority signatures over that position added.
    func finalPayload(seq: Int, time: String, prev: Digest) throws -> (JSONValue, String) {
        guard let authority else { return (payload, canonicalPayload) }
        let statement = EntryAuthority.statementBytes(seq: seq, time: time, kind: kind, actor: actor, subject: subject,
                                                      unsignedPayload: payload, prev: prev)
        let signatures: [AuthoritySignature]
        do { signatures = try authority.sign(statement: statement) } catch {
            throw LedgerError.signing("the \(kind) entry: \(error)")
        }
        let signed = EntryAuthority.signedPayload(payload, signatures)
        let bytes = signed.canonicalBytes()
        guard bytes.count <= Limits.maxEntryPayloadBytes else {
            throw LedgerError.invalidDraft(field: "payload", reason: "\(bytes.count) bytes with its signatures exceeds the limit of \(Limits.maxEntryPayloadBytes) bytes")
        }
        return (signed, String(decoding: bytes, as: UTF8.self))
    }

    private static func checkIdentifier(_ value: String, field: String, allowEmpty: Bool) throws(LedgerError) {
        if value.isEmpty && !allowEmpty { throw .invalidDraft(field: field, reason: "must not be empty") }
        guard value.utf8.count <= Limits.maxIdentifierBytes else {
            throw .invalidDraft(field: field, reason: "longer than \(Limits.maxIdentifierBytes) bytes")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidDraft(field: field, reason: "contains control characters")
        }
    }
}
