import AuditCore
import AuditRecords
import Foundation
import Hummingbird

/// The audit trail browser (filters, paging by seq) and one entry with its proof.
extension PageRoutes {
    func addLedgerPages() {
        router.get("/entries") { request, context in
            _ = try context.require(.read)
            let q = QueryInput(uri: request.uri)
            let p = try await api.entryPage(q)
            let limit = (try? q.int("limit", range: 1...APIRouter.maxPage)) ?? 50
            func link(from: Int) -> String {
                var items = ["from=\(from)"]
                for key in ["kind", "actor", "subject", "since", "until"] {
                    if let v = q.string(key), let e = v.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { items.append("\(key)=\(e)") }
                }
                return "/entries?" + items.joined(separator: "&")
            }
            let filtered = ["kind", "actor", "subject", "since", "until"].contains { q.string($0) != nil }
            return page("entries", "Audit trail", context, [
                "size": p.size, "from": p.from, "items": p.entries.map { e -> [String: Any] in
                    ["seq": e.seq, "time": Pages.humanTime(e.time), "kind": e.kind, "actor": e.actor, "subject": e.subject]
                },
                "next": p.next.map { link(from: $0) } as Any,
                "first": (p.from > 0 ? link(from: 0) : nil) as Any,
                "last": (!filtered && p.size > limit ? link(from: max(0, p.size - limit)) : nil) as Any,
                "kind": q.string("kind") ?? "", "actor": q.string("actor") ?? "", "subject": q.string("subject") ?? "",
                "since": q.string("since") ?? "", "until": q.string("until") ?? "",
            ])
        }

        router.get("/entries/:seq") { _, context in
            _ = try context.require(.read)
            let seq = try api.seqParameter(context)
            let d = try await api.entryDetail(seq)
            let state = try await api.state(context)
            return page("entry", "Entry \(seq)", context, [
                "seq": seq, "time": Pages.humanTime(d.entry.time), "kind": d.entry.kind, "actor": d.entry.actor, "subject": d.entry.subject,
                "subjectIsChange": state.changes[d.entry.subject] != nil, "leafHash": d.leafHash.prefixed, "prev": d.entry.prev.prefixed,
                "payload": d.entry.payload.prettyString(), "verified": d.problem == nil && d.proof != nil, "problem": d.problem ?? "",
                "hasProof": d.proof != nil, "checkpointSize": d.checkpoint?.size ?? 0, "root": d.proof?.root.prefixed ?? "",
                "path": d.proof?.path.map(\.prefixed) ?? [], "note": d.checkpoint?.note ?? "",
            ])
        }
    }
}
