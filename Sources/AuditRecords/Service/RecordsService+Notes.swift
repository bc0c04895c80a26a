import AuditCore
import AuditCrypto
import Foundation

extension RecordsService {
    /// Appends a free-form entry (`EntryKind.freeForm`, e.g. `note.added`) as the
    /// authenticated person, signed with their key: the actor is proven, not typed.
    /// Every other kind has its own command with its own rules and is refused here.
    @discardableResult
    public func appendFreeForm(kind: String, subject: String, payload: JSONValue, by who: Credentials) async throws(RecordsError) -> Entry {
        guard EntryKind.freeForm.contains(kind) else {
            throw .invalidInput(field: "kind", reason: "'\(kind)' cannot be appended by hand (free-form kinds: \(EntryKind.freeForm.sorted().joined(separator: ", "))); each other kind has its own command")
        }
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(who, in: state, operation: "append \(kind)")
        let actor = try actor(user, password: who.password, now: clock(), security: state.security)
        return try await append([EntryDraft(kind: kind, actor: actor.id, subject: subject, payload: payload,
                                            authority: actor.authority)])[0]
    }
}
