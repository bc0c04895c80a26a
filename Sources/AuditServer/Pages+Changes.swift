import AuditCore
import AuditPolicy
import AuditRecords
import Foundation
import Hummingbird

/// My queue, the change list, change detail and the two-step sign form (choose the
/// meaning, then read what it means and confirm with the password).
extension PageRoutes {
    func addChangePages() {
        router.get("/queue") { _, context in
            let user = try context.require(.sign)
            let state = try await api.state(context)
            let items = state.policy.map { state.queue(for: user.id, policy: $0, now: now) } ?? []
            return page("queue", "My queue", context, [
                "count": items.count, "hasItems": !items.isEmpty,
                "items": items.map { q -> [String: Any] in
                    var row = changeRow(q.change, status: q.change.status(policy: state.policy, now: now))
                    row["deadline"] = Pages.humanTime(UTCTime.format(q.deadline))
                    row["needed"] = q.shortfalls.filter { $0.missing > 0 }.map(\.description).joined(separator: "; ")
                    return row
                },
            ])
        }

        router.get("/changes") { request, context in
            let user = try context.require(.read)
            let q = QueryInput(uri: request.uri)
            let state = try await api.state(context)
            let rows = try api.filteredChanges(state, user: user, query: q)
            return page("changes", "Changes", context, [
                "count": rows.count, "items": rows.map { changeRow($0.0, status: $0.1) },
                "statuses": APIRouter.statusNames.map { name -> [String: Any] in ["name": name, "selected": name == q.string("status")] },
                "model": q.string("model") ?? "", "zone": q.string("zone") ?? "", "author": q.string("author") ?? "",
            ])
        }

        router.get("/changes/:id") { _, context in
            _ = try context.require(.read)
            let id = try context.parameters.require("id")
            let state = try await api.state(context)
            guard let change = state.changes[id] else { throw HTTPFailure(RecordsError.notFound(what: "change", id: id)) }
            let trail = try await api.read { try services.ledger.store.entries(.init(subject: id, limit: 1000)) }
            return page("change", "Change \(id)", context, changeDetail(change, state: state, trail: trail, context: context))
        }

        router.get("/changes/:id/sign") { _, context in
            let user = try context.require(.sign)
            let (change, policy) = try await signable(context)
            let meanings = Meaning.allCases.filter { m in
                if case .allowed = policy.admissibility(signerID: user.id, roles: user.roles, meaning: m,
                                                        changeType: change.current.content.changeType, authorID: change.current.content.authorID) { return true }
                return false
            }
            guard !meanings.isEmpty else {
                throw HTTPFailure.forbidden("no meaning is open to '\(user.id)' on \(change.id) under the approval policy in force")
            }
            var data = changeRow(change, status: change.status(policy: policy, now: now))
            data["meanings"] = meanings.enumerated().map { m -> [String: Any] in ["name": m.element.rawValue, "text": Pages.meaningText(m.element.rawValue), "first": m.offset == 0] }
            return page("sign", "Sign \(change.id)", context, data)
        }

        router.post("/changes/:id/sign/confirm") { request, context in
            let user = try context.require(.sign)
            let input = try await form(request, ["meaning", "comment"])
            let (change, _) = try await signable(context)
            guard let meaning = Meaning(rawValue: try input.string("meaning")) else { throw HTTPFailure.invalid("meaning", "choose one") }
            let comment = try input.optionalString("comment") ?? ""
            if meaning == .rejected && comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw HTTPFailure.invalid("comment", "say why the change is rejected")
            }
            var data = changeRow(change, status: .undecided)
            data["meaning"] = meaning.rawValue
            data["meaningText"] = Pages.meaningText(meaning.rawValue)
            data["comment"] = comment
            data["printedName"] = user.printedName
            data["userId"] = user.id
            data["digest"] = change.current.digest.prefixed
            return page("signConfirm", "Confirm signature", context, data)
        }

        router.post("/changes/:id/sign") { request, context in
            let input = try await form(request, ["meaning", "comment", "password"])
            guard let meaning = Meaning(rawValue: try input.string("meaning")) else { throw HTTPFailure.invalid("meaning", "choose one") }
            let id = try context.parameters.require("id")
            let result = try await api.sign(context: context, meaning: meaning, comment: try input.optionalString("comment") ?? "",
                                            password: try input.string("password"))
            let statusState = result["status"]?["state"]?.stringValue ?? ""
            let signature = result["signature"]
            return page("signed", "Signed", context, [
                "id": id, "meaning": meaning.rawValue, "seq": Int(signature?["seq"]?.doubleValue ?? -1),
                "time": Pages.humanTime(signature?["time"]?.stringValue ?? ""),
                "decision": result["decision"]?["kind"]?.stringValue.map { $0 == EntryKind.changeApproved ? "approved" : "rejected" } as Any,
                "decisionSeq": Int(result["decision"]?["seq"]?.doubleValue ?? -1), "statusText": statusState,
            ], status: .created)
        }
    }

    /// The change and the policy in force, or a page saying why it cannot be signed.
    func signable(_ context: ServerContext) async throws -> (ChangeRecord, ApprovalPolicy) {
        let id = try context.parameters.require("id")
        let state = try await api.state(context)
        guard let change = state.changes[id] else { throw HTTPFailure(RecordsError.notFound(what: "change", id: id)) }
        let policy = try mappedSync { () throws(RecordsError) in try services.ledger.policy(in: state) }
        if let d = change.decision {
            throw HTTPFailure(RecordsError.conflict("'\(id)' was already \(d.approved ? "approved" : "rejected") at seq \(d.seq)"))
        }
        return (change, policy)
    }

    func changeRow(_ c: ChangeRecord, status: ChangeStatus) -> [String: Any] {
        let v = c.current.content
        return ["id": c.id, "model": v.model, "modelVersion": v.modelVersion, "changeType": v.changeType.rawValue,
                "zone": v.targetZone ?? "—", "author": v.authorID, "reason": v.reason, "status": status.name,
                "proposedAt": Pages.humanTime(c.current.time), "artifactDigest": v.artifactDigest?.prefixed ?? "—",
                "digest": c.current.digest.prefixed, "version": c.versions.count]
    }

    func changeDetail(_ change: ChangeRecord, state: RecordsState, trail: [Entry], context: ServerContext) -> [String: Any] {
        let status = change.status(policy: state.policy, now: now)
        let analysis = ChangeAnalysis(change: change, state: state, policy: state.policy, now: now)
        var data = changeRow(change, status: status)
        data["statusText"] = Self.statusText(status)
        data["canSign"] = context.may(.sign) && change.decision == nil
        if let p = analysis.previousApproved {
            data["previous"] = ["id": p.id, "modelVersion": p.current.content.modelVersion]
        }
        data["differences"] = analysis.differences.map { ["field": $0.field, "previous": $0.previous, "proposed": $0.proposed] }
        data["hasDifferences"] = !analysis.differences.isEmpty
        data["deadline"] = analysis.evaluation.map { Pages.humanTime(UTCTime.format($0.deadline)) } as Any
        data["requirements"] = analysis.requirements.map { r -> [String: Any] in
            ["role": r.role, "count": r.count, "meanings": r.meanings.joined(separator: ", "),
             "signers": r.signers.isEmpty ? "—" : r.signers.joined(separator: ", "), "met": r.met]
        }
        data["signatures"] = change.signatures.map { s -> [String: Any] in
            let st = s.statement
            var note = analysis.notes["seq \(s.seq)"] ?? ""
            if let problem = s.problem { note = "INVALID: \(problem)" } else if st?.changeDigest != change.current.digest { note = "for an earlier version; does not count" }
            return ["printedName": st?.printedName ?? "?", "signerId": st?.signerID ?? "?", "meaning": st?.meaning.rawValue ?? "?",
                    "time": Pages.humanTime(st?.time ?? ""), "comment": st?.comment ?? "", "note": note]
        }
        data["hasSignatures"] = !change.signatures.isEmpty
        data["trail"] = trail.map { e -> [String: Any] in ["seq": e.seq, "time": Pages.humanTime(e.time), "kind": e.kind, "actor": e.actor] }
        return data
    }

    static func statusText(_ status: ChangeStatus) -> String {
        switch status {
        case .approved(let seq): return "approved (seq \(seq))"
        case .rejected(let seq): return "rejected (seq \(seq))"
        case .pending(let s): return s.isEmpty ? "pending" : "pending — " + s.filter { $0.missing > 0 }.map(\.description).joined(separator: "; ")
        case .expired(let d): return "expired at \(Pages.humanTime(UTCTime.format(d)))"
        case .undecided: return "undecided (no approval policy in force)"
        }
    }
}
