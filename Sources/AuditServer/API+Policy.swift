import AuditBundle
import AuditCore
import AuditPolicy
import AuditRecords
import Foundation
import Hummingbird

/// The approval policy in force, zone/conduit check results recorded in the ledger,
/// waivers, and the trust root edges verify bundles with.
extension APIRouter {
    func addPolicyRoutes() {
        on(.get, "/api/v1/policy", "getPolicy") { _, context in
            _ = try context.require(.read)
            let state = try await state(context)
            guard let policy = state.policy, let digest = state.policyDigest else {
                throw HTTPFailure(.notFound, code: "not_found", "no approval policy is in force yet")
            }
            let s = policy.security
            return Reply.json(.object([
                "digest": .string(digest.prefixed), "seq": .optional(state.policySeq), "file": .string(policy.file),
                "roles": .array(policy.roles.map(JSONValue.string)),
                "security": .object([
                    "lockoutThreshold": JSONValue(s.lockoutThreshold), "lockoutWindowMinutes": JSONValue(s.lockoutWindowMinutes),
                    "passwordMinLength": JSONValue(s.passwordMinLength), "passwordMaxAgeDays": JSONValue(s.passwordMaxAgeDays),
                    "sessionIdleMinutes": JSONValue(s.sessionIdleMinutes), "sessionMaxHours": JSONValue(s.sessionMaxHours),
                    "identityConfirmations": JSONValue(s.identityConfirmations), "clockToleranceSeconds": JSONValue(s.clockToleranceSeconds),
                ]),
                "changeTypes": .object(Dictionary(uniqueKeysWithValues: ChangeType.allCases.map { t in
                    let rule = policy.rule(for: t)
                    return (t.rawValue, JSONValue.object([
                        "expiresAfterHours": JSONValue(rule.expiresAfterHours), "authorMaySign": .bool(rule.authorMaySign),
                        "requirements": .array(rule.requirements.map { r in
                            .object(["role": .string(r.role), "count": JSONValue(r.count), "meanings": .array(r.meanings.map(\.rawValue).sorted().map(JSONValue.string))])
                        }),
                    ]))
                })),
            ]))
        }

        on(.get, "/api/v1/policy-checks", "listPolicyChecks") { request, context in
            _ = try context.require(.read)
            let limit = try QueryInput(uri: request.uri).int("limit", range: 1...Self.maxPage) ?? 100
            let entries = try await read { try self.ledger.store.entries(.init(kind: EntryKind.topologyChecked)) }
            return Reply.json(.object(["checks": .array(entries.suffix(limit).reversed().map(\.jsonValue)), "count": JSONValue(entries.count)]))
        }

        on(.get, "/api/v1/waivers", "listWaivers") { _, context in
            _ = try context.require(.read)
            let state = try await state(context)
            return Reply.json(.object(["waivers": .array(state.waiverRecords.map { w in
                .object([
                    "seq": JSONValue(w.seq), "recordedAt": .string(w.recordedAt), "counts": .bool(w.counts), "problem": .optional(w.problem),
                    "findingId": .optional(w.statement?.findingID), "reason": .optional(w.statement?.reason),
                    "expiresAt": .optional(w.statement?.expiresAt), "waivedBy": .optional(w.statement?.waivedBy),
                    "printedName": .optional(w.statement?.printedName), "time": .optional(w.statement?.time),
                ])
            })]))
        }

        on(.get, "/api/v1/trust-root", "getTrustRoot") { _, context in
            _ = try context.require(.read)
            let state = try await state(context)
            let trust: TrustRoot
            do { trust = try LedgerBundleSources.trustRoot(store: ledger.store, state: state) } catch {
                throw HTTPFailure(.conflict, code: "conflict", "\(error)", hint: "record an approval policy and enroll approvers first")
            }
            var response = Reply.json(.null)
            response.body = .init(byteBuffer: ByteBuffer(bytes: trust.encoded))
            response.headers[.contentDisposition] = "attachment; filename=\"trust-root.json\""
            return response
        }
    }
}
