import AuditLedger
import AuditCore
import AuditRecords
import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Registers JSON operations on the router and records each (method, OpenAPI path,
/// operationId) so tests can hold the list against Schemas/openapi.yaml.
struct APIRouter: Sendable {
    /// Used only while registering routes (the router itself is not Sendable).
    nonisolated(unsafe) let router: Router<ServerContext>
    let services: ServerServices
    let operations: NIOLockedValueBox<[APIOperation]>

    var ledger: ServerLedger { services.ledger }
    var service: RecordsService { services.ledger.service }
    var now: Date { services.options.clock() }

    func on(_ method: HTTPRequest.Method, _ path: String, _ operationID: String,
            _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response) {
        let openAPIPath = path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
        operations.withLockedValue { $0.append(APIOperation(method: method.rawValue.lowercased(), path: openAPIPath, operationID: operationID)) }
        router.on(RouterPath(path), method: method, use: handler)
    }

    /// The current replayed state (503 when it needs attention).
    func state() async throws(HTTPFailure) -> RecordsState {
        try await mapped { () async throws(RecordsError) in try await ledger.state() }
    }

    /// The state this request's session was checked against (fresh when there was none).
    func state(_ context: ServerContext) async throws(HTTPFailure) -> RecordsState {
        if let state = context.state { return state }
        return try await state()
    }

    /// A JSON body cached per ledger version, route, caller, query and second (statuses move
    /// with time: expiry). Lists of changes are recomputed only when the file changed; a
    /// request without a version (no session check) is never served from the cache.
    func cachedJSON(_ key: String, version: LedgerVersion?, _ make: () -> JSONValue) -> Response {
        guard let version else { return Reply.json(make()) }
        let second = Int(now.timeIntervalSince1970)
        if let hit = services.responses.withLockedValue({ $0[key] }), hit.version == version, hit.second == second {
            return Reply.bytes(hit.body)
        }
        let body = make().canonicalBytes()
        services.responses.withLockedValue { cache in
            if cache.count > 2_000 { cache.removeAll(keepingCapacity: true) }
            cache[key] = (version, second, body)
        }
        return Reply.bytes(body)
    }

    /// Runs an action (Argon2id, key, lock, append) on the action threads, mapping errors.
    func act<T: Sendable>(_ body: @escaping @Sendable () async throws(RecordsError) -> T) async throws(HTTPFailure) -> T {
        try await mapped { () async throws(RecordsError) in try await ledger.act(body) }
    }

    /// A blocking ledger read on the read threads.
    func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await ledger.read(body) } catch let e as LedgerError {
            throw HTTPFailure(e)
        } catch let e as RecordsError {
            throw HTTPFailure(e)
        }
    }

    func fields(_ request: Request, _ allowed: Set<String>) async throws -> RequestInput {
        try await RequestInput.read(request, limit: services.options.maxBodyBytes, allowed: allowed.union(["csrf"]))
    }
}

