import AuditCore
import AuditRecords
import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// The reviewer web pages. Each page calls the same helpers as the JSON API (and so the
/// same `RecordsService` calls); only the rendering differs. Forms post with the session's
/// CSRF token; after a post the browser is redirected (303) or shown the result.
struct PageRoutes: Sendable {
    /// Used only while registering routes (the router itself is not Sendable).
    nonisolated(unsafe) let router: Router<ServerContext>
    let services: ServerServices
    let api: APIRouter

    init(router: Router<ServerContext>, services: ServerServices) {
        self.router = router
        self.services = services
        // Helpers only: nothing is registered through this one.
        self.api = APIRouter(router: router, services: services, operations: NIOLockedValueBox([]))
    }

    var pages: Pages { services.pages }
    var now: Date { services.options.clock() }

    func addAll() {
        router.get("/static/style.css") { _, _ in
            var r = Reply.text(StaticAssets.stylesheet, contentType: "text/css; charset=utf-8")
            r.headers[.cacheControl] = "public, max-age=3600"
            return r
        }
        router.get("/") { _, context in
            guard context.user != nil else { return Reply.redirect("/login") }
            if context.session?.mustChangePassword == true { return Reply.redirect("/password") }
            if context.may(.sign) { return Reply.redirect("/queue") }
            if context.may(.read) { return Reply.redirect("/changes") }
            if context.may(.readUsers) { return Reply.redirect("/users") }
            return Reply.redirect("/account")
        }
        addAuthPages()
        addChangePages()
        addLedgerPages()
        addUserPages()
    }

    func page(_ name: String, _ title: String, _ context: ServerContext, _ data: [String: Any],
              status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        Reply.html(pages.render(name, title: title, context: context, data), status: status, headers: headers)
    }

    func form(_ request: Request, _ allowed: Set<String>) async throws -> RequestInput {
        try await api.fields(request, allowed)
    }
}
