import AuditCrypto
import AuditLedger
import NIOCore
import AuditRecords
import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Finds the caller's session from `Authorization: Bearer <token>` (API clients) or the
/// `auditctl_session` cookie (pages), and the person as the ledger knows them now. It never
/// refuses by itself: routes decide between 401 and 403 (`ServerContext.require`). A person
/// who has been locked out or deactivated since logging in loses every session here.
///
/// A request with a token is handled on the read threads from here on: the state check
/// reads the ledger (`PRAGMA data_version`, a replay if the file changed), and the route's
/// own reads then run on the same thread instead of hopping there a second time.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    static let cookieName = "auditctl_session"
    let ledger: ServerLedger
    let sessions: SessionStore
    let failures: FailureRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var token: String?
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            token = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        } else if let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty {
            token = cookie
            context.viaCookie = true
        }
        guard let token, token.utf8.count <= 128 else { return try await next(request, context) }
        return try await ledger.onReadThreads {
            do throws(RecordsError) {
                let checked = try ledger.checkedStateNow()
                context.state = checked.state
                context.ledgerVersion = checked.version
                if case .success(let session) = sessions.lookup(token, security: checked.state.security) {
                    if let user = checked.state.users[session.userID], user.active, !user.locked {
                        context.session = session
                        context.user = user
                        context.tokenDigest = session.tokenDigest
                        context.logger[metadataKey: "user"] = "\(user.id)"
                    } else {
                        sessions.closeAll(of: session.userID)
                    }
                }
            } catch {
                return failures.response(for: HTTPFailure(error), request: request, context: context)
            }
            var response = try await next(request, context)
            if let id = context.user?.id { response.headers[.auditUser] = id }
            return response
        }
    }
}

/// CSRF: a cookie travels with any request the browser makes, so every state-changing
/// request made with the session cookie must also carry the session's CSRF token, in the
/// `X-CSRF-Token` header or (forms) the `csrf` field. Bearer-token clients are exempt: a
/// browser never adds that header on its own. SameSite=Strict cookies are the second layer.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.viaCookie, let session = context.session,
              ![.get, .head, .options].contains(request.method) else {
            return try await next(request, context)
        }
        if let header = request.headers[.xCSRFToken] {
            guard Self.same(header, session.csrfToken) else { throw Self.refusal }
            return try await next(request, context)
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw Self.refusal
        }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: maxBodyBytes) } catch {
            throw HTTPFailure(.contentTooLarge, code: "body_too_large", "the request body is larger than \(maxBodyBytes) bytes")
        }
        let fields = FormDecoding.fields(String(decoding: body.readableBytesView, as: UTF8.self))
        guard let token = fields["csrf"], Self.same(token, session.csrfToken) else { throw Self.refusal }
        return try await next(request, context)
    }

    static let refusal = HTTPFailure(.forbidden, code: "csrf", "the form is out of date or did not come from this site",
                                     hint: "reload the page and submit again")

    static func same(_ a: String, _ b: String) -> Bool {
        ConstantTimeText.equal(a, b)
    }
}


enum ConstantTimeText {
    static func equal(_ a: String, _ b: String) -> Bool {
        ConstantTime.equal(Array(a.utf8), Array(b.utf8))
    }
}
