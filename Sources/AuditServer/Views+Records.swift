import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

/// JSON forms of people, changes and signatures. Every signature carries its manifestation
/// (21 CFR 11.50): printed name, date and time with zone (UTC), meaning, comment.
enum RecordsViews {
    static func user(_ u: UserRecord, full: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(u.id), "printedName": .string(u.printedName), "status": .string(u.status),
            "roles": .array(u.roles.sorted().map(JSONValue.string)),
            "pendingRoles": .array(u.pendingRoles.keys.sorted().map(JSONValue.string)),
            "mustChangePassword": .bool(u.mustChangePassword), "addedSeq": JSONValue(u.addedSeq),
            "passwordSetAt": .string(UTCTime.format(u.passwordSetAt)),
            "keys": .array(u.keys.map { k in
                .object(["keyId": .string(k.keyID.prefixed), "status": .string(k.status),
                         "registeredSeq": JSONValue(k.registeredSeq), "revokedSeq": .optional(k.revokedSeq)])
            }),
        ]
        if full {
            o["enrolledBy"] = .optional(u.enrolledBy)
            o["consecutiveFailures"] = JSONValue(u.consecutiveFailures)
            o["history"] = .array(u.history.map { h in
                .object(["seq": JSONValue(h.seq), "time": .string(h.time), "what": .string(h.what),
                         "by": .string(h.by), "detail": .string(h.detail)])
            })
        }
        return .object(o)
    }

    static func status(_ s: ChangeStatus) -> JSONValue {
        var o: [String: JSONValue] = ["state": .string(s.name)]
        switch s {
        case .approved(let seq), .rejected(let seq): o["decisionSeq"] = JSONValue(seq)
        case .pending(let shortfalls):
            o["shortfalls"] = .array(shortfalls.map { ["role": .string($0.role), "missing": JSONValue($0.missing)] })
        case .expired(let deadline): o["deadline"] = .string(UTCTime.format(deadline))
        case .undecided: break
        }
        return .object(o)
    }

    static func signature(_ s: SignatureRecord, current: Digest) -> JSONValue {
        let st = s.statement
        return .object([
            "seq": JSONValue(s.seq), "recordedAt": .string(s.recordedAt),
            "printedName": .optional(st?.printedName), "signerId": .optional(st?.signerID),
            "meaning": .optional(st?.meaning.rawValue), "time": .optional(st?.time), "timeZone": "UTC",
            "comment": .optional(st?.comment), "changeDigest": .optional(st?.changeDigest.prefixed),
            "keyId": .optional(s.keyID?.prefixed), "valid": .bool(s.problem == nil),
            "currentVersion": .bool(st?.changeDigest == current), "problem": .optional(s.problem),
        ])
    }

    static func changeSummary(_ c: ChangeRecord, status: ChangeStatus) -> JSONValue {
        let v = c.current.content
        return .object([
            "id": .string(c.id), "version": JSONValue(c.versions.count), "digest": .string(c.current.digest.prefixed),
            "changeType": .string(v.changeType.rawValue), "model": .string(v.model), "modelVersion": .string(v.modelVersion),
            "author": .string(v.authorID), "reason": .string(v.reason), "targetZone": .optional(v.targetZone),
            "artifactDigest": .optional(v.artifactDigest?.prefixed), "proposedAt": .string(c.current.time),
            "proposedSeq": JSONValue(c.current.seq), "status": Self.status(status),
            "signatureCount": JSONValue(c.currentSignatures.count),
        ])
    }

    static func version(_ v: ChangeVersion, number: Int) -> JSONValue {
        .object(["version": JSONValue(number), "digest": .string(v.digest.prefixed), "seq": JSONValue(v.seq),
                 "time": .string(v.time), "record": v.content.jsonValue])
    }

    static func queueItem(_ q: QueueItem, status: ChangeStatus) -> JSONValue {
        guard case .object(var o) = changeSummary(q.change, status: status) else { return .null }
        o["deadline"] = .string(UTCTime.format(q.deadline))
        o["meanings"] = .array(q.meanings.map { .string($0.rawValue) })
        return .object(o)
    }
}
