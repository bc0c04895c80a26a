import AuditCore
import AuditServer
import HTTPTypes
import Hummingbird

/// An error answer of the fleet API: status, a stable code, a sentence, the field at fault
/// (push 400s name it, as Docs/fleet.md promises) and a hint. Rendered as JSON.
struct FleetFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
    var hint: String

    init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil, hint: String = "") {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.hint = hint
    }

    static func invalid(_ field: String, _ why: String) -> FleetFailure {
        FleetFailure(.badRequest, code: "invalid_parameter", "\(field): \(why)", field: field, hint: "see Docs/fleet.md")
    }

    /// A database failure: the client may retry; nothing half-done was stored.
    init(_ error: FleetError) {
        switch error {
        case let .invalidInput(field, reason):
            self.init(.badRequest, code: "invalid_parameter", "\(field): \(reason)", field: field, hint: "see Docs/fleet.md")
        case .notEnrolled:
            self.init(.notFound, code: "unknown_origin", error.description)
        default:
            self.init(.serviceUnavailable, code: "storage", "the fleet database cannot be used right now",
                      hint: "retry later; a push is stored completely or not at all")
        }
    }

    func response(requestID: String) -> Response {
        var body: [String: JSONValue] = [
            "status": .number(Double(status.code)), "code": .string(code), "message": .string(message),
            "hint": .string(hint), "requestId": .string(requestID),
        ]
        if let field { body["field"] = .string(field) }
        var headers: HTTPFields = [:]
        if status == .serviceUnavailable { headers[.retryAfter] = "5" }
        return Reply.json(.object(["error": .object(body)]), status: status, headers: headers)
    }
}

/// Every error becomes a JSON answer; unexpected ones are logged with the request id and
/// answered 500 naming it (never a stack trace, never a query or its values).
struct FleetErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let f as FleetFailure {
            return f.response(requestID: context.id)
        } catch let e as FleetError {
            if case .database = e { context.logger.error("fleet database error", metadata: ["error": "\(e)"]) }
            return FleetFailure(e).response(requestID: context.id)
        } catch let e as HTTPError {
            let code = e.status == .notFound ? "not_found" : "http_\(e.status.code)"
            return FleetFailure(e.status, code: code, e.body ?? e.status.reasonPhrase).response(requestID: context.id)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(describing: type(of: error)))"])
            return FleetFailure(.internalServerError, code: "internal",
                                "the central could not complete the request (request id \(context.id))",
                                hint: "the administrator finds the request id in the server log").response(requestID: context.id)
        }
    }
}
