import AuditCore
import AuditLedger
import AuditRecords

/// keys.json: the log verifier key and every person's (and edge's) public keys and roles at
/// the start and the end of the period, each key with the seq of the entry that registered
/// it (`ledger.created` for founders, `user.added` for edges, `key.registered` otherwise),
/// so an inspector can check each e-signature without trusting this file.
enum KeysFile {
    static func json(manifest: ExportManifest, logKeyID: String, atStart: RecordsState, atEnd: RecordsState) -> JSONValue {
        var users: [JSONValue] = []
        for id in ReportOrder.userIDs(atEnd) {
            guard let u = atEnd.users[id] else { continue }
            let keys: [JSONValue] = u.keys.map { k in
                ["keyId": .string(k.keyID.prefixed), "publicKey": .string(k.publicKey.base64),
                 "registeredSeq": .number(Double(k.registeredSeq)), "status": .string(k.status),
                 "confirmedSeq": k.confirmedSeq.map { .number(Double($0)) } ?? .null,
                 "supersededSeq": k.supersededSeq.map { .number(Double($0)) } ?? .null,
                 "revokedSeq": k.revokedSeq.map { .number(Double($0)) } ?? .null]
            }
            users.append([
                "id": .string(id), "printedName": .string(u.printedName), "status": .string(u.status),
                "enrolledSeq": .number(Double(u.addedSeq)), "enrolledBy": u.enrolledBy.map(JSONValue.string) ?? .null,
                "rolesAtStart": atStart.users[id].map { .array($0.roles.sorted().map(JSONValue.string)) } ?? .null,
                "rolesAtEnd": .array(u.roles.sorted().map(JSONValue.string)),
                "pendingRoles": .array(u.pendingRoles.keys.sorted().map(JSONValue.string)),
                "keys": .array(keys),
            ])
        }
        return .object([
            "format": .string(ExportLayout.keysFormat), "origin": .string(manifest.origin),
            "logVerifierKey": .string(manifest.logVerifierKey), "logKeyId": .string(logKeyID), "logKeyRegisteredSeq": 0,
            "asOfSeq": .number(Double(manifest.lastSeq)), "users": .array(users),
        ])
    }
}
