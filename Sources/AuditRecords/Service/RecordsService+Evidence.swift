import AuditCore
import AuditCrypto
import Foundation

extension RecordsService {
    /// Appends `topology.checked` (evidence that the zone design was checked, Z7) as the
    /// authenticated person, signed with their key; they must hold a role in force.
    @discardableResult
    public func recordTopologyCheck(site: String, payload: JSONValue, by who: Credentials) async throws(RecordsError) -> Entry {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        let user = try await authenticate(who, in: state, operation: "record a topology check")
        guard !user.roles.isEmpty, !user.isEdge else {
            throw .refused("'\(user.id)' holds no role in force that may record evidence")
        }
        let actor = try actor(user, password: who.password, now: clock(), security: state.security)
        return try await append([EntryDraft(kind: EntryKind.topologyChecked, actor: actor.id, subject: site,
                                            payload: payload, authority: actor.authority)])[0]
    }
}
