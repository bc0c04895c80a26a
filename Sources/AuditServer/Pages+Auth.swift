import AuditCore
import AuditRecords
import Foundation
import Hummingbird

/// Login, logout, password change and the account page.
extension PageRoutes {
    static let loginCookie = "auditctl_login"

    func sessionCookie(_ value: String, clear: Bool = false) -> Cookie {
        Cookie(name: SessionMiddleware.cookieName, value: value, maxAge: clear ? 0 : nil, path: "/",
               secure: services.options.usesTLS, httpOnly: true, sameSite: .strict)
    }

    func addAuthPages() {
        router.get("/login") { request, context in
            let q = QueryInput(uri: request.uri)
            return loginPage(context, next: q.string("next") ?? "/", notice: q.string("notice").flatMap { Self.notices[$0] })
        }

        router.post("/login") { request, context in
            let input = try await form(request, ["userId", "password", "login_csrf", "next"])
            let next = Self.safeNext(try input.optionalString("next"))
            guard let presented = try input.optionalString("login_csrf"), let cookie = request.cookies[Self.loginCookie]?.value,
                  ConstantTimeText.equal(presented, cookie) else {
                return loginPage(context, next: next, problem: "The login form expired. Please try again.", status: .forbidden)
            }
            let userID = (try input.optionalString("userId") ?? "").trimmingCharacters(in: .whitespaces)
            do {
                let opened = try await api.logIn(userID: userID, password: try input.optionalString("password") ?? "", context: context)
                var response = Reply.redirect(opened.result.mustChangePassword ? "/password" : next)
                response.setCookie(sessionCookie(opened.token))
                return response
            } catch let f as HTTPFailure where [401, 423, 429, 422].contains(f.status.code) {
                let text = f.status.code == 401 ? "User ID or password is wrong. The attempt was recorded." : f.message
                var headers: HTTPFields = [:]
                if let retry = f.retryAfter { headers[.retryAfter] = String(retry) }
                return loginPage(context, next: next, problem: text, userID: userID, status: f.status, headers: headers)
            }
        }

        router.post("/logout") { _, context in
            if let digest = context.tokenDigest { services.sessions.close(digest) }
            var response = Reply.redirect("/login?notice=loggedOut")
            response.setCookie(sessionCookie("", clear: true))
            return response
        }

        router.get("/password") { _, context in
            let user = try context.signedIn(allowPasswordChangeOnly: true)
            let state = try await api.state(context)
            let notice = context.session?.mustChangePassword == true ? "Your password is one-time or expired: choose your own to continue." : nil
            return page("password", "Change password", context, ["minLength": state.security.passwordMinLength, "notice": notice as Any, "userId": user.id])
        }

        router.post("/password") { request, context in
            let user = try context.signedIn(allowPasswordChangeOnly: true)
            let input = try await form(request, ["password", "newPassword"])
            _ = try await api.changePassword(user: user, current: try input.string("password"), new: try input.string("newPassword"), reason: nil)
            var response = Reply.redirect("/login?notice=passwordChanged")
            response.setCookie(sessionCookie("", clear: true))
            return response
        }

        router.get("/account") { _, context in
            let user = try context.signedIn(allowPasswordChangeOnly: true)
            let state = try await api.state(context)
            let s = state.security
            let expires = context.session.map { UTCTime.format($0.createdAt.addingTimeInterval(Double(s.sessionMaxHours) * 3600)) } ?? ""
            return page("account", "Your account", context, [
                "user": ["id": user.id, "printedName": user.printedName, "roles": user.roles.sorted(), "pendingRoles": user.pendingRoles.keys.sorted(),
                         "status": user.status, "passwordSetAt": Pages.humanTime(UTCTime.format(user.passwordSetAt))] as [String: Any],
                "idleMinutes": s.sessionIdleMinutes, "expiresAt": Pages.humanTime(expires),
            ])
        }
    }

    static let notices = ["loggedOut": "You are logged out.", "passwordChanged": "Password changed. Log in with the new password.",
                          "expired": "Your session ended. Please log in again."]

    /// Only same-site paths after login (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    func loginPage(_ context: ServerContext, next: String, notice: String? = nil, problem: String? = nil, userID: String = "",
                   status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let token = SessionStore.randomToken()
        var response = page("login", "Log in", context, ["loginCSRF": token, "next": Self.safeNext(next), "notice": notice as Any,
                                                           "problem": problem as Any, "userId": userID], status: status, headers: headers)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, path: "/login", secure: services.options.usesTLS,
                                  httpOnly: true, sameSite: .strict))
        return response
    }
}
