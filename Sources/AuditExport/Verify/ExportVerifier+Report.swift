import AuditCore
import AuditCrypto
import AuditRecords

extension VerificationRun {
    /// The report's cover, change statuses and signature manifestations, keys.json and the
    /// policy texts, each against the replayed records.
    func checkReportAndKeys(_ records: ReplayedRecords) {
        guard records.completed else { return }
        var facts = ReportFacts(manifest: manifest)
        facts.atStart = records.atStart
        facts.atEnd = records.atEnd
        facts.policySeqs = records.policySeqs
        if let report = reportHead { checkReport(report, facts) }
        checkKeys(records)
        checkPolicies(records)
    }

    private func checkReport(_ report: ReportReader, _ facts: ReportFacts) {
        let before = result.problems.count
        let m = manifest!
        for (field, value) in [("origin", m.origin), ("site", m.site), ("log-key", m.logVerifierKey),
                               ("generated-at", m.generatedAt), ("as-of", m.asOf)] where report.cover[field] != value {
            problem(ExportLayout.report, "the cover's \(field) says \"\(report.cover[field] ?? "(missing)")\", manifest.json says \"\(value)\"")
        }
        let changes = facts.changes
        var expectedSignatures: [Int: SignatureRecord] = [:]
        for c in changes {
            let status = c.status(policy: facts.atEnd.policy, now: facts.asOf).name
            if report.statuses[c.id] != status {
                problem(ExportLayout.report, seq: c.versions.first?.seq, "change \(c.id) is shown as \(report.statuses[c.id] ?? "(missing)"); recomputed from the entries and the policy in force it is \(status)")
            }
            for s in facts.events(of: c).compactMap(\.signature) { expectedSignatures[s.seq] = s }
        }
        for id in report.statuses.keys where !changes.contains(where: { $0.id == id }) {
            problem(ExportLayout.report, "shows change \(id), which has no activity in the period's entries")
        }
        for (seq, sig) in expectedSignatures.sorted(by: { $0.key < $1.key }) {
            guard let shown = report.signatures[seq] else {
                problem(ExportLayout.report, seq: seq, "the signature recorded at seq \(seq) has no manifestation in the report")
                continue
            }
            let st = sig.statement
            let want = ReportReader.Signature(seq: seq, verified: sig.problem == nil, printedName: st?.printedName ?? "?",
                                              signerID: st?.signerID ?? "?", meaning: st?.meaning.rawValue ?? "?",
                                              signedAt: st?.time ?? "?", comment: st?.comment ?? "")
            if shown != want {
                problem(ExportLayout.report, seq: seq, "the manifestation of the signature at seq \(seq) (\(shown.printedName), \(shown.meaning), \(shown.signedAt), \(shown.verified ? "verified" : "not verified")) differs from the signed statement (\(want.printedName), \(want.meaning), \(want.signedAt), \(want.verified ? "verified" : "not verified"))")
            }
        }
        for seq in report.signatures.keys.sorted() where expectedSignatures[seq] == nil {
            problem(ExportLayout.report, seq: seq, "shows a signature at seq \(seq) that the entries do not record")
        }
        for seq in report.duplicateSignatures { problem(ExportLayout.report, seq: seq, "shows two different manifestations for seq \(seq)") }
        if result.problems.count == before {
            result.checked.append("report.html: cover facts, \(changes.count) change status(es) and \(expectedSignatures.count) signature manifestation(s) (printed name, UTC time, meaning, verdict) agree with the entries")
        }
    }

    private func checkKeys(_ records: ReplayedRecords) {
        guard let bytes = read(ExportLayout.keys, limit: ExportLayout.maxKeysBytes) else { return }
        let logKeyID = key.publicKey.keyID.prefixed
        let expected = KeysFile.json(manifest: manifest, logKeyID: logKeyID, atStart: records.atStart, atEnd: records.atEnd)
        do {
            let shown = try JSONValue.parse(bytes, source: ExportLayout.keys)
            guard shown == expected else {
                let users = shown["users"]?.arrayValue ?? []
                let wanted = expected["users"]?.arrayValue ?? []
                let first = zip(users, wanted).first(where: { $0.0 != $0.1 }).map { $0.1["id"]?.stringValue ?? "?" } ?? "(the log key or the user list)"
                problem(ExportLayout.keys, "differs from the keys and roles the entries register, first at \(first)")
                return
            }
            result.checked.append("keys.json: \(expected["users"]?.arrayValue?.count ?? 0) people's keys and roles equal those the entries register")
        } catch {
            problem(ExportLayout.keys, "is not valid JSON: \(error)")
        }
    }

    private func checkPolicies(_ records: ReplayedRecords) {
        let before = result.problems.count
        let listed = manifest.files.filter { $0.name.hasPrefix(ExportLayout.policiesFolder) }
        for f in listed {
            let seq = Int(f.name.dropFirst(ExportLayout.policyFile(seq: 0).count - "0.yaml".count).dropLast(".yaml".count))
            guard let seq, ExportLayout.policyFile(seq: seq) == f.name, let digest = records.policyTexts[seq] else {
                problem(f.name, "is not the text of a policy.updated entry in the export")
                continue
            }
            if digest != f.sha256 { problem(f.name, seq: seq, "differs from the policy text recorded at seq \(seq)") }
        }
        for seq in records.policyTexts.keys.sorted() where !listed.contains(where: { $0.name == ExportLayout.policyFile(seq: seq) }) {
            problem(ExportLayout.manifest, seq: seq, "lists no \(ExportLayout.policyFile(seq: seq)) for the policy recorded at seq \(seq)")
        }
        if result.problems.count == before, !listed.isEmpty {
            result.checked.append("\(listed.count) approval policy text(s) equal those recorded in the ledger")
        }
    }
}
