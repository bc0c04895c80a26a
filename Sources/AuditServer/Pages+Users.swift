import AuditCore
import AuditRecords
import Foundation
import Hummingbird

/// The users page: everyone's roles and status for admins and auditors; admins also
/// enroll people and act on accounts (each action signed with the admin's key).
extension PageRoutes {
    func addUserPages() {
        router.get("/users") { _, context in
            _ = try context.require(.readUsers)
            let state = try await api.state(context)
            let users = state.userIDsInOrder.compactMap { state.users[$0] }.filter { !$0.isEdge }
            return page("users", "Users", context, [
                "items": users.map { u -> [String: Any] in
                    ["id": u.id, "printedName": u.printedName, "status": u.status, "roles": u.roles.sorted().joined(separator: ", "),
                     "pending": u.pendingRoles.keys.sorted().joined(separator: ", "), "failures": u.consecutiveFailures]
                },
                "isAdmin": context.may(.administer), "knownRoles": (state.policy?.roles ?? []).joined(separator: ", "),
            ])
        }

        router.post("/users") { request, context in
            let admin = try context.require(.administer)
            let input = try await form(request, ["id", "printedName", "roles", "initialPassword", "reason", "password"])
            let state = try await api.state(context)
            let new = NewUser(id: try input.string("id"), printedName: try input.string("printedName"), roles: try input.strings("roles"),
                              initialPassword: try input.string("initialPassword"))
            let reason = try input.string("reason"), password = try input.string("password")
            let known = Set(state.policy?.roles ?? [])
            let service = services.ledger.service
            _ = try await api.act { () async throws(RecordsError) in
                try await service.addUser(new, reason: reason, knownRoles: known, by: Credentials(userID: admin.id, password: password))
            }
            return Reply.redirect("/users")
        }

        router.post("/users/action") { request, context in
            let admin = try context.require(.administer)
            let input = try await form(request, ["id", "action", "role", "reason", "password"])
            let id = try input.string("id"), action = try input.string("action")
            let reason = try input.string("reason"), password = try input.string("password")
            let role = try input.optionalString("role") ?? ""
            let state = try await api.state(context)
            let known = Set(state.policy?.roles ?? [])
            let service = services.ledger.service
            let creds = Credentials(userID: admin.id, password: password)
            guard ["unlock", "confirm", "grant", "deactivate"].contains(action) else { throw HTTPFailure.invalid("action", "unknown action") }
            _ = try await api.act { () async throws(RecordsError) in
                switch action {
                case "unlock": return try await service.unlockUser(id, reason: reason, by: creds)
                case "confirm": return try await service.confirmIdentity(of: id, evidence: reason, by: creds)
                case "grant": return try await service.setRole(role, granted: true, for: id, reason: reason, knownRoles: known, by: creds)
                default: return try await service.deactivateUser(id, reason: reason, by: creds)
                }
            }
            if action == "deactivate" { services.sessions.closeAll(of: id) }
            return Reply.redirect("/users")
        }
    }
}
