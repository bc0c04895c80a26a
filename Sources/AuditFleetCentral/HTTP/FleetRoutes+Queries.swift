import AuditCore
import AuditCrypto
import AuditServer
import Foundation
import Hummingbird

/// Fleet queries (Docs/fleet.md): read-only, for the corporate QA head's tools. They reveal
/// every plant's records, so each needs a reader's bearer token (`--query-token-file`);
/// without configured tokens they are closed. A failed attempt is logged with the client
/// address and counted (`auditctl_fleet_query_auth_failures_total`).
extension FleetRoutes {
    static let defaultStaleSeconds = 3_600.0

    func addQueries(to router: Router<ServerContext>) {
        let queries = FleetQueries(database: central.database)

        router.get("/fleet/v1/plants") { request, context in
            try authorizeReader(request, context)
            let staleAfter = try Self.optionalInt(request, "staleAfter").map(Double.init) ?? Self.defaultStaleSeconds
            let now = Date()
            let plants = try await queries.health(only: Self.text(request, "plant"))
            return Reply.json(.object(["plants": .array(plants.map { $0.jsonValue(now: now, staleAfter: staleAfter) })]))
        }

        router.get("/fleet/v1/deployments") { request, context in
            try authorizeReader(request, context)
            let filter = DeploymentFilter(plant: Self.text(request, "plant"), model: Self.text(request, "model"),
                                          version: Self.text(request, "version"), zone: Self.text(request, "zone"),
                                          history: try Self.flag(request, "history"))
            let found = try await queries.deployments(filter)
            return Reply.json(.object(["deployments": .array(found.map(\.jsonValue))]))
        }

        router.get("/fleet/v1/changes") { request, context in
            try authorizeReader(request, context)
            var status: String? = Self.text(request, "status") ?? "pending"
            if status == "all" { status = nil }
            if let s = status, !ChangeFilter.statuses.contains(s) {
                throw FleetFailure.invalid("status", "must be one of \(ChangeFilter.statuses.sorted().joined(separator: ", ")) or all")
            }
            let found = try await queries.changes(ChangeFilter(plant: Self.text(request, "plant"), model: Self.text(request, "model"),
                                                               status: status))
            return Reply.json(.object(["changes": .array(found.map(\.jsonValue))]))
        }

        router.get("/fleet/v1/entries") { request, context in
            try authorizeReader(request, context)
            guard let model = Self.text(request, "model") else { throw FleetFailure.invalid("model", "required") }
            let limit = try Self.optionalInt(request, "limit") ?? 100
            let after = try Self.text(request, "after").map { token throws(FleetError) in try FleetEntryCursor(token: token) }
            let page = try await queries.entries(model: model, plant: Self.text(request, "plant"), after: after, limit: limit)
            return Reply.json(.object([
                "entries": .array(page.entries.map(\.jsonValue)),
                "next": page.next.map { .string($0.token) } ?? .null,
            ]))
        }
    }

    /// Constant-time check of the bearer token against the configured readers' digests.
    func authorizeReader(_ request: Request, _ context: ServerContext) throws {
        let auth = request.headers[.authorization] ?? ""
        let presented = auth.lowercased().hasPrefix("bearer ") ? SHA256.hash(Array(auth.dropFirst(7).utf8)).bytes : []
        var match = false
        for digest in options.queryTokenDigests where presented.count == digest.count {
            if ConstantTime.equal(presented, digest) { match = true }
        }
        guard match else {
            central.metrics.queryAuthFailure()
            context.logger.warning("fleet query refused: missing or unknown reader token",
                                   metadata: ["client": "\(context.remoteAddress)", "path": "\(request.uri.path)"])
            throw FleetFailure(.unauthorized, code: "authentication_required",
                               options.queryTokenDigests.isEmpty ? "fleet queries are closed on this central"
                                   : "a reader's bearer token is required",
                               hint: options.queryTokenDigests.isEmpty ? "start `auditctl fleet serve` with --query-token-file"
                                   : "send Authorization: Bearer <token>")
        }
    }

    static func text(_ request: Request, _ key: String) -> String? {
        guard let v = request.uri.queryParameters[key[...]].map(String.init), !v.isEmpty else { return nil }
        return v
    }

    static func flag(_ request: Request, _ key: String) throws -> Bool {
        switch text(request, key) {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw FleetFailure.invalid(key, "must be true or false")
        }
    }
}
