import AuditCore

/// A draft that passed every input check, with its canonical payload computed once.
struct ValidatedDraft: Sendable {
    let kind: String
    let actor: String
    let subject: String
    let payload: JSONValue
    let canonicalPayload: String

    init(_ draft: EntryDraft, allowedKinds: Set<String>) throws(LedgerError) {
        guard allowedKinds.contains(draft.kind) else {
            throw .invalidDraft(field: "kind", reason: "unknown kind '\(draft.kind)' (known: \(allowedKinds.sorted().joined(separator: ", ")))")
        }
        try Self.checkIdentifier(draft.actor, field: "actor", allowEmpty: false)
        try Self.checkIdentifier(draft.subject, field: "subject", allowEmpty: true)
        guard case .object = draft.payload else {
            throw .invalidDraft(field: "payload", reason: "must be a JSON object")
        }
        let bytes = draft.payload.canonicalBytes()
        guard bytes.count <= Limits.maxEntryPayloadBytes else {
            throw .invalidDraft(field: "payload", reason: "\(bytes.count) bytes exceeds the limit of \(Limits.maxEntryPayloadBytes) bytes")
        }
        kind = draft.kind
        actor = draft.actor
        subject = draft.subject
        payload = draft.payload
        canonicalPayload = String(decoding: bytes, as: UTF8.self)
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
