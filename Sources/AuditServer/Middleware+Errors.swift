import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// Turns every error into a response a person or a program understands: JSON under
/// `/api/`, an HTML page elsewhere. Never a stack trace: unexpected errors are logged with
/// the request id and the client gets a 500 naming that id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let failures: FailureRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return failures.response(for: failures.failure(from: error, context: context), request: request, context: context)
        }
    }
}

/// Shared by `ErrorMiddleware` and `SessionMiddleware` (whose own failures happen outside it).
struct FailureRenderer: Sendable {
    let pages: Pages

    func failure(from error: any Error, context: ServerContext) -> HTTPFailure {
        switch error {
        case let f as HTTPFailure: return f
        case let e as HTTPError:
            if e.status == .notFound {
                return HTTPFailure(.notFound, code: "not_found", "there is no such page or endpoint")
            }
            return HTTPFailure(e.status, code: "http_\(e.status.code)", e.body ?? e.status.reasonPhrase)
        case let e as any HTTPResponseError:
            return HTTPFailure(e.status, code: "http_\(e.status.code)", e.status.reasonPhrase)
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(String(describing: type(of: error)))"])
            return HTTPFailure(.internalServerError, code: "internal",
                               "the server could not complete the request (request id \(context.id))",
                               hint: "nothing you did caused this; the administrator can find the request id in the server log")
        }
    }

    func response(for f: HTTPFailure, request: Request, context: ServerContext) -> Response {
        var headers: HTTPFields = [:]
        if let retry = f.retryAfter { headers[.retryAfter] = String(retry) }
        if f.status == .unauthorized, request.uri.path.hasPrefix("/api/") {
            headers[.wwwAuthenticate] = "Bearer realm=\"auditctl\""
        }
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/metrics" {
            return Reply.json(Reply.failure(f, requestID: context.id), status: f.status, headers: headers)
        }
        if f.status == .unauthorized, f.code == "authentication_required", request.method == .get {
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Reply.redirect("/login?next=\(back)", headers: headers)
        }
        let html = pages.render("error", title: "\(f.status.code) \(f.status.reasonPhrase)", context: context, [
            "status": f.status.code, "reason": f.status.reasonPhrase, "message": f.message, "hint": f.hint,
            "requestId": context.id, "passwordChange": f.code == "password_change_required",
            "signedOut": f.status == .unauthorized,
        ])
        return Reply.html(html, status: f.status, headers: headers)
    }
}

