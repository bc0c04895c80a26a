import AuditCore
import AuditPolicy
import AuditRecords
import Foundation
import Hummingbird

/// Changes: list with filters, the caller's queue, detail, propose, sign and reject. Every
/// write is the same `RecordsService` call the CLI makes, with the caller's password
/// (re-authentication for each signature, 21 CFR 11.200(a)(1)).
extension APIRouter {
    static let statusNames = ["pending", "approved", "rejected", "expired", "undecided"]

    func addChangeRoutes() {
        on(.get, "/api/v1/changes", "listChanges") { request, context in
            let user = try context.require(.read)
            let q = QueryInput(uri: request.uri)
            let state = try await state(context)
            _ = try filteredChanges(RecordsState(), user: user, query: q)  // validates the query (422) before the cache
            return cachedJSON("changes|\(user.id)|\(request.uri.query ?? "")", version: context.ledgerVersion) {
                let rows = (try? filteredChanges(state, user: user, query: q)) ?? []
                return .object(["changes": .array(rows.map { RecordsViews.changeSummary($0.0, status: $0.1) }), "count": JSONValue(rows.count)])
            }
        }

        on(.get, "/api/v1/queue", "myQueue") { _, context in
            let user = try context.require(.sign)
            let state = try await state(context)
            let items = state.policy.map { state.queue(for: user.id, policy: $0, now: now) } ?? []
            return Reply.json(.object(["changes": .array(items.map { RecordsViews.queueItem($0, status: $0.change.status(policy: state.policy, now: now)) }),
                                       "count": JSONValue(items.count)]))
        }

        on(.get, "/api/v1/changes/:id", "getChange") { _, context in
            _ = try context.require(.read)
            let id = try context.parameters.require("id")
            let state = try await state(context)
            guard let change = state.changes[id] else { throw HTTPFailure(RecordsError.notFound(what: "change", id: id)) }
            let trail = try await read { try self.ledger.store.entries(.init(subject: id, limit: 1000)) }
            return Reply.json(changeDetail(change, state: state, trail: trail))
        }

        on(.post, "/api/v1/changes", "proposeChange") { request, context in
            let user = try context.require(.propose)
            let input = try await fields(request, ["changeId", "changeType", "model", "modelVersion", "reason", "artifactDigest", "targetZone", "password"])
            let proposal = try proposal(from: input)
            let password = try input.string("password")
            let v = try await act { () async throws(RecordsError) in
                try await service.propose(proposal, by: Credentials(userID: user.id, password: password))
            }
            return Reply.json(.object(["id": .string(v.content.changeID), "digest": .string(v.digest.prefixed), "seq": JSONValue(v.seq),
                                       "record": v.content.jsonValue]), status: .created)
        }

        on(.post, "/api/v1/changes/:id/signatures", "signChange") { request, context in
            let input = try await fields(request, ["meaning", "comment", "password"])
            guard let meaning = Meaning(rawValue: try input.string("meaning")) else {
                throw HTTPFailure.invalid("meaning", "one of \(Meaning.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let result = try await sign(context: context, meaning: meaning, comment: try input.optionalString("comment") ?? "",
                                        password: try input.string("password"))
            return Reply.json(result, status: .created)
        }

        on(.post, "/api/v1/changes/:id/rejection", "rejectChange") { request, context in
            let input = try await fields(request, ["comment", "password"])
            let comment = try input.string("comment")
            guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw HTTPFailure.invalid("comment", "say why the change is rejected")
            }
            return Reply.json(try await sign(context: context, meaning: .rejected, comment: comment,
                                             password: try input.string("password")), status: .created)
        }
    }

    /// One e-signature through `RecordsService.sign` with the policy recorded in the ledger.
    /// The signer's key is unsealed inside that call and wiped when it returns.
    func sign(context: ServerContext, meaning: Meaning, comment: String, password: String) async throws -> JSONValue {
        let user = try context.require(.sign)
        let id = try context.parameters.require("id")
        let state = try await state(context)
        guard state.changes[id] != nil else { throw HTTPFailure(RecordsError.notFound(what: "change", id: id)) }
        let policy = try mappedSync { () throws(RecordsError) in try ledger.policy(in: state) }
        let result: SignResult
        do {
            result = try await act { () async throws(RecordsError) in
                try await service.sign(changeID: id, meaning: meaning, comment: comment, policy: policy,
                                       as: Credentials(userID: user.id, password: password))
            }
        } catch {
            if error.code == "account_locked" { services.sessions.closeAll(of: user.id) }
            throw error
        }
        context.logger.info("signed", metadata: ["change": "\(id)", "meaning": "\(meaning.rawValue)", "seq": "\(result.signature.seq)"])
        let after = try await self.state()
        let status = after.changes[id]?.status(policy: after.policy, now: now) ?? .undecided
        return .object(["signature": result.signature.jsonValue, "decision": result.decision?.jsonValue ?? .null,
                        "status": RecordsViews.status(status)])
    }

    func proposal(from input: RequestInput) throws -> ChangeProposal {
        guard let type = ChangeType(rawValue: try input.string("changeType")) else {
            throw HTTPFailure.invalid("changeType", "one of \(ChangeType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var digest: Digest?
        if let text = try input.optionalString("artifactDigest"), !text.isEmpty {
            guard let d = Digest(prefixed: text) else { throw HTTPFailure.invalid("artifactDigest", "must be sha256:<64 lowercase hex>") }
            digest = d
        }
        let changeID = try input.optionalString("changeId").flatMap { $0.isEmpty ? nil : $0 }
        let zone = try input.optionalString("targetZone").flatMap { $0.isEmpty ? nil : $0 }
        return ChangeProposal(changeID: changeID, changeType: type, model: try input.string("model"),
                              modelVersion: try input.string("modelVersion"), reason: try input.string("reason"),
                              artifactDigest: digest, targetZone: zone)
    }

    /// Changes matching the list filters, newest first (the queue filter: oldest first).
    func filteredChanges(_ state: RecordsState, user: UserRecord, query q: QueryInput) throws -> [(ChangeRecord, ChangeStatus)] {
        let status = q.string("status")
        if let status, !Self.statusNames.contains(status) {
            throw HTTPFailure.invalid("status", "one of \(Self.statusNames.joined(separator: ", "))")
        }
        var changes = Array(state.changesInOrder.reversed())
        if let waiting = q.string("waiting") {
            guard waiting == "me" else { throw HTTPFailure.invalid("waiting", "only 'me' (changes waiting for your signature)") }
            changes = state.policy.map { state.queue(for: user.id, policy: $0, now: now).map(\.change) } ?? []
        }
        let model = q.string("model"), zone = q.string("zone"), author = q.string("author")
        return changes.filter { c in
            let v = c.current.content
            return (model == nil || v.model == model) && (zone == nil || v.targetZone == zone) && (author == nil || v.authorID == author)
        }.map { ($0, $0.status(policy: state.policy, now: now)) }.filter { status == nil || $0.1.name == status }
    }

    func changeDetail(_ change: ChangeRecord, state: RecordsState, trail: [Entry]) -> JSONValue {
        let status = change.status(policy: state.policy, now: now)
        guard case .object(var o) = RecordsViews.changeSummary(change, status: status) else { return .null }
        let analysis = ChangeAnalysis(change: change, state: state, policy: state.policy, now: now)
        o["versions"] = .array(change.versions.enumerated().map { RecordsViews.version($0.element, number: $0.offset + 1) })
        o["record"] = change.current.content.jsonValue
        o["signatures"] = .array(change.signatures.map { s in
            guard case .object(var so) = RecordsViews.signature(s, current: change.current.digest) else { return .null }
            so["policyNote"] = .optional(analysis.notes["seq \(s.seq)"])
            return .object(so)
        })
        if case .object(let a) = analysis.jsonValue { o.merge(a) { x, _ in x } }
        o["auditTrail"] = .array(trail.map(\.jsonValue))
        return .object(o)
    }
}

func mappedSync<T>(_ body: () throws(RecordsError) -> T) throws(HTTPFailure) -> T {
    do { return try body() } catch { throw HTTPFailure(error) }
}
