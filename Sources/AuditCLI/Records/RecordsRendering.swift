import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

/// Text and JSON forms of people, changes and signatures. Every signature is shown with its
/// manifestation (21 CFR 11.50): printed name, date and time with zone, and meaning.
enum RecordsRendering {
    static func userJSON(_ u: UserRecord) -> JSONValue {
        .object([
            "id": .string(u.id), "printedName": .string(u.printedName), "roles": .array(u.roles.sorted().map(JSONValue.string)),
            "status": .string(u.status), "addedSeq": .number(Double(u.addedSeq)),
            "passwordSetAt": .string(UTCTime.format(u.passwordSetAt)), "mustChangePassword": .bool(u.mustChangePassword),
            "consecutiveFailures": .number(Double(u.consecutiveFailures)),
            "keys": .array(u.keys.map { k in
                ["keyId": .string(k.keyID.prefixed), "status": .string(k.status), "registeredSeq": .number(Double(k.registeredSeq)),
                 "revokedSeq": k.revokedSeq.map { .number(Double($0)) } ?? .null]
            }),
        ])
    }

    /// "2026-11-26 16:22:18.331 UTC": the date and time with its zone, spelled out for people.
    static func humanTime(_ rfc3339: String) -> String {
        guard rfc3339.hasSuffix("Z"), rfc3339.count > 11 else { return rfc3339 }
        return rfc3339.dropLast().replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    static func statusText(_ status: ChangeStatus) -> String {
        switch status {
        case .approved(let seq): return "approved (seq \(seq))"
        case .rejected(let seq): return "rejected (seq \(seq))"
        case .pending(let shortfalls):
            return shortfalls.isEmpty ? "pending" : "pending — " + shortfalls.map(\.description).joined(separator: "; ")
        case .expired(let deadline): return "expired at \(UTCTime.format(deadline))"
        case .undecided: return "undecided (approval policy not available)"
        }
    }

    static func statusJSON(_ status: ChangeStatus) -> JSONValue {
        var o: [String: JSONValue] = ["state": .string(status.name)]
        switch status {
        case .approved(let seq), .rejected(let seq): o["decisionSeq"] = .number(Double(seq))
        case .pending(let s): o["shortfalls"] = .array(s.map { ["role": .string($0.role), "missing": .number(Double($0.missing))] })
        case .expired(let d): o["deadline"] = .string(UTCTime.format(d))
        case .undecided: break
        }
        return .object(o)
    }

    static func signatureJSON(_ s: SignatureRecord, current: Digest) -> JSONValue {
        let st = s.statement
        return .object([
            "seq": .number(Double(s.seq)),
            "printedName": st.map { .string($0.printedName) } ?? .null,
            "signerId": st.map { .string($0.signerID) } ?? .null,
            "meaning": st.map { .string($0.meaning.rawValue) } ?? .null,
            "time": st.map { .string($0.time) } ?? .null,
            "timeZone": "UTC",
            "comment": st.map { .string($0.comment) } ?? .null,
            "changeDigest": st.map { .string($0.changeDigest.prefixed) } ?? .null,
            "keyId": s.keyID.map { .string($0.prefixed) } ?? .null,
            "valid": .bool(s.problem == nil),
            "currentVersion": .bool(st?.changeDigest == current),
            "problem": s.problem.map(JSONValue.string) ?? .null,
        ])
    }

    static func signatureLine(_ s: SignatureRecord, current: Digest) -> String {
        guard let st = s.statement else { return "  seq \(s.seq): INVALID — \(s.problem ?? "malformed")" }
        var line = "  \(st.printedName) (\(st.signerID)) — \(st.meaning.rawValue) — \(humanTime(st.time)) — seq \(s.seq)"
        if let problem = s.problem { line += " — INVALID: \(problem)" } else if st.changeDigest != current { line += " — for an earlier version; does not count" }
        if !st.comment.isEmpty { line += "\n      comment: \(st.comment)" }
        return line
    }

    static func changeJSON(_ c: ChangeRecord, status: ChangeStatus) -> JSONValue {
        let v = c.current
        return .object([
            "id": .string(c.id), "digest": .string(v.digest.prefixed), "version": .number(Double(c.versions.count)),
            "record": v.content.jsonValue, "proposedAt": .string(v.time), "proposedSeq": .number(Double(v.seq)),
            "status": statusJSON(status),
            "signatures": .array(c.signatures.map { signatureJSON($0, current: v.digest) }),
            "versions": .array(c.versions.map { ["digest": .string($0.digest.prefixed), "seq": .number(Double($0.seq)), "time": .string($0.time)] }),
        ])
    }

    static func changeText(_ c: ChangeRecord, status: ChangeStatus) -> String {
        let v = c.current.content
        var lines = [
            "change \(c.id)  version \(c.versions.count)  \(c.current.digest.prefixed)",
            "  type: \(v.changeType.rawValue)   model: \(v.model) \(v.modelVersion)   author: \(v.authorID)",
            "  proposed: \(humanTime(c.current.time))   reason: \(v.reason)",
        ]
        if let a = v.artifactDigest { lines.append("  artifact: \(a.prefixed)") }
        if let z = v.targetZone { lines.append("  target zone: \(z)") }
        lines.append("  status: \(statusText(status))")
        lines.append(c.signatures.isEmpty ? "signatures: none" : "signatures:")
        lines += c.signatures.map { signatureLine($0, current: c.current.digest) }
        return lines.joined(separator: "\n")
    }

    static func accessJSON(_ u: UserRecord) -> JSONValue {
        .object([
            "id": .string(u.id), "printedName": .string(u.printedName), "status": .string(u.status),
            "enrolledBy": u.enrolledBy.map { .string($0) } ?? .null,
            "roles": .array(u.roles.sorted().map(JSONValue.string)),
            "pendingRoles": .array(u.pendingRoles.keys.sorted().map(JSONValue.string)),
            "history": .array(u.history.map { h in
                .object(["seq": .number(Double(h.seq)), "time": .string(h.time), "what": .string(h.what),
                         "by": .string(h.by), "detail": .string(h.detail)])
            }),
        ])
    }
}
