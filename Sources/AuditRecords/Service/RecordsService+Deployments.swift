import AuditCore
import AuditCrypto
import Foundation

/// What an upload of edge decisions did.
public struct DeploymentUpload: Sendable {
    public let appended: [Entry]
    /// Decisions the ledger already holds (an earlier, interrupted upload got them in).
    public let alreadyRecorded: Int
}

extension RecordsService {
    /// Appends decisions signed by enrolled, confirmed edges (`EdgeDecision`), in their order.
    /// Each is checked before anything is written — the edge's key in force, its signature,
    /// a counter above the last recorded one — so a forged or altered line is refused with
    /// its position instead of landing as a rejected entry. Decisions whose counter the
    /// ledger already holds are skipped, which makes an interrupted upload safe to repeat.
    public func recordDeployments(_ signed: [JSONValue], source: String) async throws(RecordsError) -> DeploymentUpload {
        let (lock, state) = try await locked()
        defer { withExtendedLifetime(lock) {} }
        var counters = state.edgeCounters
        var drafts: [EntryDraft] = []
        var skipped = 0
        for (i, line) in signed.enumerated() {
            let at = "\(source) decision \(i + 1)"
            guard let draft = EdgeDecision.draft(fromSigned: line), let record = line["record"].flatMap(EdgeDecision.init(json:)),
                  let signature = line["signature"].flatMap(AuthoritySignature.init(json:))
            else { throw .invalidInput(field: at, reason: "not a decision signed by an edge (made before the edge had an identity?)") }
            guard let edge = state.users[record.edge], edge.active, edge.roles.contains("edge") else {
                throw .refused("\(at): '\(record.edge)' is not an enrolled edge confirmed by a second admin")
            }
            // The replay's own test (confirmed, not revoked, not superseded), so nothing the
            // upload accepts is rejected on replay and blocks every command.
            guard let key = edge.keys.first(where: { $0.keyID == signature.keyID }), key.authoritative(at: state.size),
                  key.publicKey.verify(signature: signature.signature, message: record.signingBytes)
            else { throw .refused("\(at): the signature is not by the confirmed key in force of edge '\(record.edge)'") }
            if let last = counters[record.edge], record.counter <= last {
                skipped += 1
                continue
            }
            counters[record.edge] = record.counter
            drafts.append(draft)
        }
        var appended: [Entry] = []
        var start = 0
        while start < drafts.count {
            let chunk = Array(drafts[start..<min(start + Limits.maxGroupCommitEntries, drafts.count)])
            appended += try await append(chunk)
            start += chunk.count
        }
        return DeploymentUpload(appended: appended, alreadyRecorded: skipped)
    }
}
