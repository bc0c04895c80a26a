import AuditCore
import AuditPolicy
import AuditRecords
import Foundation
import Hummingbird

/// People and roles. Admins write (each write is an entry signed with the admin's key, so
/// the admin's password comes with every request); everyone reads their own record;
/// admins and auditors read everyone's (access review).
extension APIRouter {
    func addUserRoutes() {
        on(.get, "/api/v1/users", "listUsers") { _, context in
            _ = try context.require(.readUsers)
            let state = try await state(context)
            return Reply.json(.object(["users": .array(state.userIDsInOrder.compactMap { state.users[$0] }.filter { !$0.isEdge }
                .map { RecordsViews.user($0, full: true) })]))
        }

        on(.get, "/api/v1/users/:id", "getUser") { _, context in
            let me = try context.signedIn()
            let id = try context.parameters.require("id")
            guard id == me.id || context.may(.readUsers) else {
                throw HTTPFailure.forbidden("'\(me.id)' may read only their own record; admins and auditors read everyone's")
            }
            let state = try await state(context)
            guard let user = state.users[id] else { throw HTTPFailure(RecordsError.notFound(what: "user", id: id)) }
            return Reply.json(RecordsViews.user(user, full: true))
        }

        on(.post, "/api/v1/users", "addUser") { request, context in
            let admin = try context.require(.administer)
            let input = try await fields(request, ["id", "printedName", "roles", "initialPassword", "reason", "password"])
            let state = try await state(context)
            let new = NewUser(id: try input.string("id"), printedName: try input.string("printedName"), roles: try input.strings("roles"),
                              initialPassword: try input.string("initialPassword"))
            let reason = try input.string("reason"), password = try input.string("password")
            let known = Set(state.policy?.roles ?? [])
            let entry = try await act { () async throws(RecordsError) in
                try await service.addUser(new, reason: reason, knownRoles: known, by: Credentials(userID: admin.id, password: password))
            }
            return try await userActionReply(entry, user: new.id, status: .created)
        }

        on(.post, "/api/v1/users/:id/roles", "grantRole") { request, context in
            let input = try await fields(request, ["role", "reason", "password"])
            return try await adminAction(context, input) { service, id, admin, reason, known throws(RecordsError) in
                try await service.setRole(try roleField(input), granted: true, for: id, reason: reason, knownRoles: known, by: admin)
            }
        }

        on(.post, "/api/v1/users/:id/roles/:role/revoke", "revokeRole") { request, context in
            let input = try await fields(request, ["reason", "password"])
            let role = try context.parameters.require("role")
            return try await adminAction(context, input) { service, id, admin, reason, known throws(RecordsError) in
                try await service.setRole(role, granted: false, for: id, reason: reason, knownRoles: known, by: admin)
            }
        }

        on(.post, "/api/v1/users/:id/unlock", "unlockUser") { request, context in
            let input = try await fields(request, ["reason", "password"])
            return try await adminAction(context, input) { service, id, admin, reason, _ throws(RecordsError) in
                try await service.unlockUser(id, reason: reason, by: admin)
            }
        }

        on(.post, "/api/v1/users/:id/confirm", "confirmUser") { request, context in
            let input = try await fields(request, ["reason", "password"])
            return try await adminAction(context, input) { service, id, admin, reason, _ throws(RecordsError) in
                try await service.confirmIdentity(of: id, evidence: reason, by: admin)
            }
        }

        on(.post, "/api/v1/users/:id/deactivate", "deactivateUser") { request, context in
            let input = try await fields(request, ["reason", "password"])
            let reply = try await adminAction(context, input) { service, id, admin, reason, _ throws(RecordsError) in
                try await service.deactivateUser(id, reason: reason, by: admin)
            }
            services.sessions.closeAll(of: try context.parameters.require("id"))
            return reply
        }
    }

    func roleField(_ input: RequestInput) throws(RecordsError) -> String {
        guard let role = try? input.string("role") else { throw .invalidInput(field: "role", reason: "required") }
        return role
    }

    typealias AdminCall = @Sendable (RecordsService, String, Credentials, String, Set<String>) async throws(RecordsError) -> Entry

    /// The shared shape of admin actions on one user: the admin's role, password and reason,
    /// then the service call (which authenticates again, opens the admin's key, signs).
    func adminAction(_ context: ServerContext, _ input: RequestInput, _ call: @escaping AdminCall) async throws -> Response {
        let admin = try context.require(.administer)
        let id = try context.parameters.require("id")
        let reason = try input.string("reason"), password = try input.string("password")
        let state = try await state(context)
        let known = Set(state.policy?.roles ?? [])
        let service = self.service
        let entry = try await act { () async throws(RecordsError) in
            try await call(service, id, Credentials(userID: admin.id, password: password), reason, known)
        }
        return try await userActionReply(entry, user: id, status: .ok)
    }

    func userActionReply(_ entry: Entry, user id: String, status: HTTPResponse.Status) async throws -> Response {
        let after = try await state()
        return Reply.json(.object(["entry": entry.jsonValue, "user": after.users[id].map { RecordsViews.user($0, full: true) } ?? .null]),
                          status: status)
    }
}
