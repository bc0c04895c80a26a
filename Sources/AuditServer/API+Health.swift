import AuditCore
import AuditCrypto
import AuditRecords
import Foundation
import Hummingbird

/// Liveness, readiness and Prometheus metrics.
extension APIRouter {
    func addHealthRoutes() {
        /// Alive: answers without touching the ledger (a load balancer's probe).
        on(.get, "/healthz", "health") { _, _ in Reply.json(.object(["status": "ok"])) }

        /// Ready: the ledger opens, and its replay has no unacknowledged rejected entries.
        on(.get, "/readyz", "ready") { _, _ in
            do {
                let state = try await ledger.state()
                return Reply.json(.object(["status": "ready", "size": JSONValue(state.size)]))
            } catch let error as RecordsError {
                return Reply.json(.object(["status": "not ready", "reason": .string(HTTPFailure(error).message)]), status: .serviceUnavailable)
            } catch {
                return Reply.json(.object(["status": "not ready", "reason": "the ledger cannot be read"]), status: .serviceUnavailable)
            }
        }

        router.get("/metrics") { request, context in
            try authorizeMetrics(request, context)
            let state = try await state(context)
            let m = services.metrics
            m.gauge("ledger_entries", "Entries in the ledger", Double(state.size))
            m.gauge("signatures", "Valid e-signatures recorded", Double(state.changes.values.reduce(0) { total, change in total + change.signatures.filter { $0.problem == nil }.count }))
            m.gauge("changes_pending", "Changes without a decision", Double(state.changes.values.filter { $0.decision == nil }.count))
            m.gauge("locked_accounts", "Accounts locked after failed authentications", Double(state.users.values.filter(\.locked).count))
            m.gauge("sessions", "Open web and API sessions", Double(services.sessions.count()))
            return Reply.text(m.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    /// Admins and auditors with a session, or a scraper presenting the configured token.
    func authorizeMetrics(_ request: Request, _ context: ServerContext) throws {
        if context.session != nil {
            _ = try context.require(.metrics)
            return
        }
        if let expected = services.options.metricsTokenDigest, let auth = request.headers[.authorization],
           auth.lowercased().hasPrefix("bearer ") {
            let presented = SHA256.hash(Array(auth.dropFirst(7).utf8))
            if ConstantTime.equal(presented.bytes, expected) { return }
        }
        throw HTTPFailure.unauthenticated("metrics need an admin or auditor session, or the scraper token")
    }
}
