import AuditCore
import AuditCrypto
import AuditPolicy
import Foundation

/// One founding admin as `ledger.created` binds them: the root of the chain of authority.
public struct FoundingAdmin: Sendable, Equatable {
    public let id: String
    public let printedName: String
    public let publicKey: Ed25519PublicKey
    public let passwordDigest: Digest

    public init(id: String, printedName: String, publicKey: Ed25519PublicKey, passwordDigest: Digest) {
        self.id = id
        self.printedName = printedName
        self.publicKey = publicKey
        self.passwordDigest = passwordDigest
    }

    public var jsonValue: JSONValue {
        .object(["id": .string(id), "printedName": .string(printedName), "publicKey": .string(publicKey.base64),
                 "keyId": .string(publicKey.keyID.prefixed), "passwordDigest": .string(passwordDigest.prefixed)])
    }

    init?(json: JSONValue) {
        guard let o = json.objectValue, o.count == 5, let id = json["id"]?.stringValue,
              let name = json["printedName"]?.stringValue,
              let key = json["publicKey"]?.stringValue.flatMap({ try? Ed25519PublicKey(base64: $0) }),
              json["keyId"]?.stringValue == key.keyID.prefixed,
              let digest = json["passwordDigest"]?.stringValue.flatMap(Digest.init(prefixed:))
        else { return nil }
        self.init(id: id, printedName: name, publicKey: key, passwordDigest: digest)
    }
}

extension RecordsState {
    /// Genesis: the log key and the founding admins, each of whom signed the entry. Nothing
    /// before it can grant authority, and nothing else may claim to be it.
    mutating func applyGenesis(_ e: Entry) {
        guard e.seq == 0 else { return note(e, "only the first entry of a ledger may be ledger.created") }
        if let text = e.payload["verifierKey"]?.stringValue, let key = try? NoteVerifierKey.parse(text) {
            logKey = key.publicKey
        } else {
            note(e, "malformed 'verifierKey'")
        }
        guard let list = e.payload["founders"]?.arrayValue, !list.isEmpty, list.count <= Limits.maxAuthoritySignatures else {
            return note(e, "names no founding admins: the ledger has no root of authority (created by an older auditctl?)")
        }
        let founders = list.compactMap(FoundingAdmin.init(json:))
        guard founders.count == list.count, Set(founders.map(\.id)).count == founders.count,
              Set(founders.map(\.publicKey.keyID)).count == founders.count,
              founders.allSatisfy({ (try? RecordIDs.checkUserID($0.id)) != nil })
        else { return note(e, "malformed 'founders'") }
        let statement = EntryAuthority.statementBytes(of: e)
        let signatures = EntryAuthority.signatures(of: e.payload) ?? []
        for founder in founders {
            let signed = signatures.contains {
                $0.keyID == founder.publicKey.keyID && founder.publicKey.verify(signature: $0.signature, message: statement)
            }
            guard signed else { return note(e, "founding admin '\(founder.id)' did not sign ledger.created") }
        }
        guard let at = UTCTime.parse(e.time) else { return note(e, "malformed time") }
        for f in founders {
            var user = UserRecord(id: f.id, printedName: f.printedName, roles: [ApprovalPolicy.adminRole], addedSeq: 0,
                                  enrolledBy: nil, passwordDigest: f.passwordDigest, passwordSetAt: at, mustChangePassword: false)
            user.keys = [KeyRecord(keyID: f.publicKey.keyID, publicKey: f.publicKey, registeredSeq: 0, confirmed: true, confirmedSeq: 0)]
            user.history = [AccessEvent(seq: 0, time: e.time, what: "founding admin", by: f.id,
                                        detail: "key \(f.publicKey.keyID.prefixed), signed ledger.created")]
            users[f.id] = user
        }
    }
}
