import AuditCore
import AuditLedger
import AuditPolicy
import AuditRecords

/// The words of one audit-trail row, per entry kind. Plain sentences an inspector can read
/// without knowing the JSON; the JSONL beside them holds the exact record.
enum TrailText {
    static let maxSummaryCharacters = 400

    static func describe(_ e: Entry, before: TrailBefore, after: RecordsState) -> (summary: String, old: String, new: String) {
        var (summary, old, new) = text(e, before: before, after: after)
        if let problem = after.problems.last(where: { $0.seq == e.seq }) {
            summary += " [REJECTED by the replay, no effect: \(problem.message)]"
        }
        if summary.count > maxSummaryCharacters { summary = String(summary.prefix(maxSummaryCharacters)) + "…" }
        if old == new { (old, new) = ("", "") }
        return (summary, old, new)
    }

    private static func text(_ e: Entry, before: TrailBefore, after: RecordsState) -> (String, String, String) {
        let p = e.payload
        let reason = p["reason"]?.stringValue.map { " — reason: \($0)" } ?? ""
        let change = { (before.userFacts, userFacts(after, e.subject)) }
        switch e.kind {
        case EntryKind.ledgerCreated:
            let founders = (p["founders"]?.arrayValue ?? []).map { f in
                "\(f["printedName"]?.stringValue ?? "?") (\(f["id"]?.stringValue ?? "?"))"
            }
            return ("ledger created for \(p["origin"]?.stringValue ?? e.subject); founding admins: \(founders.joined(separator: ", "))",
                    "", "log key \(p["keyId"]?.stringValue ?? "?")")
        case EntryKind.userAdded:
            let roles = (p["roles"]?.arrayValue ?? []).compactMap(\.stringValue).sorted().joined(separator: ", ")
            return ("enrolled \(name(after, e.subject)) with roles \(roles)\(reason)", change().0, change().1)
        case EntryKind.userDeactivated:
            return ("deactivated \(before.userName)\(reason)", change().0, change().1)
        case EntryKind.roleGranted:
            return ("granted role \(p["role"]?.stringValue ?? "?") to \(before.userName)\(reason)", change().0, change().1)
        case EntryKind.roleRevoked:
            return ("revoked role \(p["role"]?.stringValue ?? "?") from \(before.userName)\(reason)", change().0, change().1)
        case EntryKind.keyRegistered:
            return ("registered signing key \(short(p["keyId"]?.stringValue)) of \(before.userName)\(reason)", change().0, change().1)
        case EntryKind.keyRevoked:
            return ("revoked key \(short(p["keyId"]?.stringValue)) of \(before.userName)\(reason)", change().0, change().1)
        case EntryKind.credentialChanged:
            return ("password of \(before.userName) changed (only its digest is recorded)\(reason)", change().0, change().1)
        case EntryKind.authFailed:
            return ("authentication failed for \(e.subject) (\(p["operation"]?.stringValue ?? "?")): \(p["reason"]?.stringValue ?? "?")", "", "")
        case EntryKind.accountLocked:
            return ("account \(e.subject) locked after \(p["consecutiveFailures"]?.int64Value ?? 0) consecutive failures", change().0, change().1)
        case EntryKind.accountUnlocked:
            return ("account \(e.subject) unlocked\(reason)", change().0, change().1)
        case EntryKind.policyUpdated:
            return ("recorded approval policy \(p["file"]?.stringValue ?? "?") (\(short(p["digest"]?.stringValue)))\(reason)",
                    before.policyFacts, policyFacts(after))
        case EntryKind.authorityConfirmed:
            let seqs = (p["confirms"]?.arrayValue ?? []).compactMap(\.int64Value).map(String.init).joined(separator: ", ")
            let evidence = p["evidence"]?.stringValue.map { " — evidence: \($0)" } ?? ""
            if e.subject == RecordsState.policySubject {
                return ("confirmed the approval policy recorded at seq \(seqs)\(evidence)", before.policyFacts, policyFacts(after))
            }
            return ("confirmed identity of \(before.userName) (entries \(seqs))\(evidence)", change().0, change().1)
        case EntryKind.changeProposed: return changeProposed(e, before: before)
        case EntryKind.signatureAdded: return (signature(e, after: after), "", "")
        case EntryKind.changeApproved, EntryKind.changeRejected: return decision(e, before: before, after: after)
        case EntryKind.waiverGranted:
            let s = p["statement"]
            return ("waived finding \(e.subject) until \(s?["expiresAt"]?.stringValue ?? "?") by \(s?["printedName"]?.stringValue ?? "?") (\(e.actor)) — reason: \(s?["reason"]?.stringValue ?? "?")", "", "")
        case EntryKind.topologyChecked:
            let open = p["openFindings"]?.arrayValue?.count ?? 0
            let verdict = p["compliant"]?.boolValue == true ? "compliant" : "\(open) open finding\(open == 1 ? "" : "s")"
            return ("zone/conduit check of \(p["topologyFile"]?.stringValue ?? "?") (\(short(p["topologyDigest"]?.stringValue))) for site \(p["site"]?.stringValue ?? e.subject): \(verdict)", "", "")
        case EntryKind.deploymentVerified, EntryKind.deploymentBlocked: return (deployment(e), "", "")
        case EntryKind.exportGenerated:
            return ("export generated: seqs \(p["firstSeq"]?.int64Value ?? 0)–\(p["lastSeq"]?.int64Value ?? 0), manifest \(short(p["manifestDigest"]?.stringValue))", "", "")
        case EntryKind.clockCorrected, EntryKind.problemAcknowledged:
            return ("\(e.kind): \(compact(EntryAuthority.unsignedPayload(p)))", "", "")
        default:
            return (compact(EntryAuthority.unsignedPayload(p)), "", "")
        }
    }

    private static func changeProposed(_ e: Entry, before: TrailBefore) -> (String, String, String) {
        guard let record = e.payload["record"].flatMap(ChangeRecordContent.init(json:)) else {
            return ("malformed change proposal", "", "")
        }
        let zone = record.targetZone.map { " to \($0)" } ?? ""
        let summary = "\(record.changeType.rawValue) \(record.model) \(record.modelVersion)\(zone) — reason: \(record.reason)"
        guard let previous = before.change, record.previous != nil else {
            return ("proposed \(summary)", "", "")
        }
        let version = before.versions + 1
        var old: [String] = []
        var new: [String] = []
        for (field, a, b) in ChangeFields.pairs(previous, record) where a != b {
            old.append("\(field): \(a)")
            new.append("\(field): \(b)")
        }
        return ("revised (version \(version)): \(summary)", old.joined(separator: "; "), new.joined(separator: "; "))
    }

    private static func signature(_ e: Entry, after: RecordsState) -> String {
        guard let s = e.payload["statement"].flatMap(SignedStatement.init(json:)) else { return "malformed signature" }
        let comment = s.comment.isEmpty ? "" : " — comment: \(s.comment)"
        let problem = after.changes[e.subject]?.signatures.first(where: { $0.seq == e.seq })?.problem
        let verdict = problem == nil ? "signature verified" : "signature NOT verified"
        return "\(s.meaning.rawValue) signed by \(s.printedName) (\(s.signerID)) at \(s.time)\(comment) — \(verdict)"
    }

    private static func decision(_ e: Entry, before: TrailBefore, after: RecordsState) -> (String, String, String) {
        let p = e.payload
        let policy = short(p["policyDigest"]?.stringValue)
        let approved = e.kind == EntryKind.changeApproved
        let parts = (p[approved ? "assignment" : "rejectedBy"]?.arrayValue ?? []).map { a in
            let role = a["role"]?.stringValue.map { " as \($0)" } ?? ""
            let meaning = a["meaning"]?.stringValue.map { ", \($0)" } ?? ""
            return "\(a["signerId"]?.stringValue ?? "?")\(role)\(meaning) (\(a["signature"]?.stringValue ?? "?"))"
        }
        let summary = "\(approved ? "approved" : "rejected") under policy \(policy): \(parts.joined(separator: "; "))"
        let was = before.decided ? "decided" : "pending"
        let now = after.changes[e.subject]?.decision.map { $0.approved ? "approved" : "rejected" } ?? was
        return (summary, "status: \(was)", "status: \(now)")
    }

    private static func deployment(_ e: Entry) -> String {
        let d = e.payload["record"]?["decision"]
        let verdict = e.kind == EntryKind.deploymentVerified ? "may load" : "BLOCKED"
        let bundle = d?["bundle"]?.stringValue ?? "?"
        let zone = d?["zone"]?.stringValue.map { " in zone \($0)" } ?? ""
        let model = [d?["model"]?.stringValue, d?["version"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        let failed = (d?["checks"]?.arrayValue ?? []).filter { $0["status"]?.stringValue == "fail" }
            .map { "\($0["code"]?.stringValue ?? "?"): \($0["detail"]?.stringValue ?? "")" }
        let why = failed.isEmpty ? "" : " — failed: " + failed.joined(separator: "; ")
        return "edge \(e.actor): \(model.isEmpty ? bundle : model) (\(bundle))\(zone) \(verdict)\(why)"
    }

    /// "Printed Name (id)" as the state knows them, or the bare id.
    static func name(_ state: RecordsState, _ id: String) -> String {
        state.users[id].map { "\($0.printedName) (\(id))" } ?? id
    }

    /// The facts of a person an entry may change: roles, pending roles, status, key.
    static func userFacts(_ state: RecordsState, _ id: String) -> String {
        guard let u = state.users[id] else { return "" }
        var facts = ["roles: " + (u.roles.isEmpty ? "none" : u.roles.sorted().joined(separator: ", "))]
        if !u.pendingRoles.isEmpty { facts.append("awaiting confirmation: " + u.pendingRoles.keys.sorted().joined(separator: ", ")) }
        facts.append("status: \(u.status)")
        if let key = u.keys.last { facts.append("key: \(short(key.keyID.prefixed)) (\(key.status))") }
        return facts.joined(separator: "; ")
    }

    static func policyFacts(_ state: RecordsState) -> String {
        var facts = ["policy in force: " + (state.policyDigest.map { short($0.prefixed) } ?? "none")]
        if !state.pendingPolicies.isEmpty {
            facts.append("awaiting confirmation: seq " + state.pendingPolicies.keys.sorted().map(String.init).joined(separator: ", "))
        }
        return facts.joined(separator: "; ")
    }

    /// `sha256:` and the first 16 hex digits: enough to find the full value in the JSONL.
    static func short(_ digest: String?) -> String {
        guard let digest else { return "?" }
        return digest.count > 23 ? String(digest.prefix(23)) + "…" : digest
    }

    static func compact(_ value: JSONValue) -> String {
        let text = value.canonicalString()
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// What `TrailText` needs to know of the state just before an entry, taken before the
/// replay applies it (copying the whole state per entry would cost O(records) each time).
struct TrailBefore {
    var userName: String
    var userFacts = ""
    var policyFacts = ""
    var change: ChangeRecordContent?
    var versions = 0
    var decided = false

    private static let folded = Set(RecordsState.foldedKinds)

    static func capture(_ e: Entry, _ state: RecordsState) -> TrailBefore {
        var b = TrailBefore(userName: TrailText.name(state, e.subject))
        guard folded.contains(e.kind) else { return b }
        b.userFacts = TrailText.userFacts(state, e.subject)
        if e.kind == EntryKind.policyUpdated || e.subject == RecordsState.policySubject { b.policyFacts = TrailText.policyFacts(state) }
        if let change = state.changes[e.subject] {
            b.change = change.current.content
            b.versions = change.versions.count
            b.decided = change.decision != nil
        }
        return b
    }
}

/// The fields of a change version a revision can alter, for old/new columns.
enum ChangeFields {
    static func pairs(_ a: ChangeRecordContent, _ b: ChangeRecordContent) -> [(String, String, String)] {
        [("type", a.changeType.rawValue, b.changeType.rawValue), ("model", a.model, b.model),
         ("version", a.modelVersion, b.modelVersion), ("reason", a.reason, b.reason),
         ("target zone", a.targetZone ?? "-", b.targetZone ?? "-"),
         ("bundle digest", a.artifactDigest?.prefixed ?? "-", b.artifactDigest?.prefixed ?? "-")]
    }
}
