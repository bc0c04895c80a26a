import AuditCore
import AuditPolicy
import Foundation

/// The JSON shapes of the fleet query answers (Docs/fleet.md, "Fleet queries"), shared by
/// the HTTP routes and `auditctl fleet query --json`.
extension FleetQueries.PlantHealth {
    /// `stale` when the last push is older than `staleAfter` seconds (or never happened).
    public func jsonValue(now: Date, staleAfter: Double) -> JSONValue {
        let lag = lastPushAt.map { max(0, now.timeIntervalSince($0)) }
        let stale = lag.map { $0 > staleAfter } ?? true
        let status: String
        if alarms > 0 { status = "alarm" } else if (openProblems ?? 0) > 0 { status = "needs-attention" } else { status = stale ? "stale" : "ok" }
        let problems: JSONValue = openProblems.map { .number(Double($0)) } ?? .null
        return .object([
            "origin": .string(origin), "name": name.map(JSONValue.string) ?? .null, "size": .number(Double(size)),
            "lastPushAt": lastPushAt.map { .string(UTCTime.format($0)) } ?? .null,
            "lagSeconds": lag.map { .number($0.rounded()) } ?? .null,
            "newestEntryTime": newestEntryTime.map(JSONValue.string) ?? .null,
            "alarms": .number(Double(alarms)), "lastAlarmAt": lastAlarmAt.map { .string(UTCTime.format($0)) } ?? .null,
            "openProblems": problems, "status": .string(status),
        ])
    }
}

extension FleetDeployment {
    public var jsonValue: JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .object([
            "plant": .string(origin), "seq": .number(Double(seq)), "edge": .string(edge), "time": .string(time),
            "verdict": .string(verified ? "loaded" : "blocked"), "model": opt(model), "version": opt(version),
            "zone": opt(zone), "changeId": opt(changeID), "bundleDigest": opt(bundleDigest),
        ])
    }
}

extension FleetChange {
    public var jsonValue: JSONValue {
        .object([
            "plant": .string(origin), "changeId": .string(changeID), "changeType": .string(changeType),
            "model": .string(model), "version": .string(version), "author": .string(authorID),
            "targetZone": targetZone.map(JSONValue.string) ?? .null, "proposedAt": .string(proposedAt),
            "status": .string(status), "signatures": .number(Double(signatures)),
            "deadline": deadline.map { .string(UTCTime.format($0)) } ?? .null,
            "waitingFor": .array(shortfalls.map {
                .object(["role": .string($0.role), "missing": .number(Double($0.missing)),
                         "required": .number(Double($0.required))])
            }),
        ])
    }
}

extension FleetEntry {
    public var jsonValue: JSONValue {
        let payloadValue = (try? JSONValue.parse(Array(payload.utf8), source: "payload")) ?? .string(payload)
        return .object([
            "plant": .string(origin), "seq": .number(Double(seq)), "time": .string(time), "kind": .string(kind),
            "actor": .string(actor), "subject": .string(subject), "payload": payloadValue,
        ])
    }
}
