import AuditCore
import AuditRecords
import Foundation
import Hummingbird

/// Login, logout, the caller's own account and the password change (the only thing a
/// one-time or expired password allows, as on the CLI).
extension APIRouter {
    func addSessionRoutes() {
        on(.post, "/api/v1/sessions", "login") { request, context in
            let input = try await fields(request, ["userId", "password"])
            let opened = try await logIn(userID: try input.string("userId"), password: try input.string("password"), context: context)
            return Reply.json(opened.json, status: .created)
        }

        on(.delete, "/api/v1/sessions/current", "logout") { _, context in
            _ = try context.signedIn(allowPasswordChangeOnly: true)
            if let digest = context.tokenDigest { services.sessions.close(digest) }
            return Reply.noContent()
        }

        on(.get, "/api/v1/me", "getMe") { _, context in
            let user = try context.signedIn(allowPasswordChangeOnly: true)
            let state = try await state(context)
            guard case .object(var o) = RecordsViews.user(user, full: true), let session = context.session else { return Reply.json(.null) }
            o["session"] = sessionJSON(session, security: state.security)
            o["queueSize"] = JSONValue(state.policy.map { state.queue(for: user.id, policy: $0, now: now).count } ?? 0)
            return Reply.json(.object(o))
        }

        on(.post, "/api/v1/me/password", "changePassword") { request, context in
            let user = try context.signedIn(allowPasswordChangeOnly: true)
            let input = try await fields(request, ["password", "newPassword", "reason"])
            let key = try await changePassword(user: user, current: try input.string("password"),
                                               new: try input.string("newPassword"), reason: try input.optionalString("reason"))
            return Reply.json(.object([
                "keyId": .string(key.keyID.prefixed), "keyConfirmed": .bool(key.confirmed),
                "message": .string("password and signing key replaced; every session of '\(user.id)' was ended: log in again with the new password"
                                   + (key.confirmed ? "" : "; your new key waits for an admin's confirmation before you can sign")),
            ]))
        }
    }

    struct OpenedSession {
        let token: String
        let session: Session
        let result: LoginResult
        let json: JSONValue
    }

    /// Shared by the JSON login and the login page: rate limit, then the service's
    /// authentication (failures and lockouts recorded), then a fresh session.
    func logIn(userID: String, password: String, context: ServerContext) async throws -> OpenedSession {
        if let wait = services.limiter.admit(address: context.remoteAddress, userID: userID) {
            throw HTTPFailure(.tooManyRequests, code: "rate_limited", "too many login attempts; try again in \(wait) seconds",
                              hint: "the limit is per client address and per user ID", retryAfter: wait)
        }
        let result: LoginResult
        do {
            result = try await act { () async throws(RecordsError) in
                try await service.logIn(Credentials(userID: userID, password: password))
            }
        } catch {
            if ["authentication_failed", "account_locked"].contains(error.code) {
                services.metrics.loginFailure()
                context.logger.notice("login failed", metadata: ["attempted": "\(userID)", "code": "\(error.code)"])
            }
            throw error
        }
        let state = try await state(context)
        let (token, session) = services.sessions.open(userID: result.user.id, mustChangePassword: result.mustChangePassword)
        context.logger.info("login", metadata: ["user": "\(result.user.id)"])
        var o: [String: JSONValue] = [
            "token": .string(token), "tokenType": "Bearer", "userId": .string(result.user.id),
            "printedName": .string(result.user.printedName), "roles": .array(result.user.roles.sorted().map(JSONValue.string)),
            "mustChangePassword": .bool(result.mustChangePassword), "passwordNotice": .optional(result.passwordNotice),
        ]
        if case .object(let s) = sessionJSON(session, security: state.security) { o.merge(s) { a, _ in a } }
        return OpenedSession(token: token, session: session, result: result, json: .object(o))
    }

    func sessionJSON(_ s: Session, security: SecurityParametersView) -> JSONValue {
        .object([
            "csrfToken": .string(s.csrfToken), "idleTimeoutSeconds": JSONValue(security.sessionIdleMinutes * 60),
            "expiresAt": .string(UTCTime.format(s.createdAt.addingTimeInterval(Double(security.sessionMaxHours) * 3600))),
            "createdAt": .string(UTCTime.format(s.createdAt)),
        ])
    }

    /// Replaces password and signing key (the owner's `rotateKey`, as `auditctl key rotate`)
    /// and ends every session of the person.
    func changePassword(user: UserRecord, current: String, new: String, reason: String?) async throws -> KeyRecord {
        let key = try await act { () async throws(RecordsError) in
            try await service.rotateKey(Credentials(userID: user.id, password: current), newPassword: new,
                                        reason: reason ?? "password changed in the web service")
        }
        services.sessions.closeAll(of: user.id)
        return key
    }
}

import AuditPolicy
typealias SecurityParametersView = SecurityParameters
