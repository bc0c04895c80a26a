import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
@testable import AuditRecords
import AuditTesting
import Foundation
import Testing

/// Waivers: a signed, expiring `waiver.granted` entry accepts one zone finding; the fold
/// re-verifies every one, and the engine reports a waived finding as waived, never hides it.
@Suite struct WaiverTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Policies/examples").standardized
    /// The only finding of the AI-writes-into-safety example.
    static let finding = "ZR-007:line1-ai>c-line-plc>plc-cell>c-sis-plc>sis"
    static let reason = "SIS gateway replaced by a read-only unit in CC-2026-31; interim compensating interlock"

    static func report(_ f: RecordsFixture, now: Date) throws -> ZoneReport {
        let topology = try TopologyLoader.load(path: examples.appendingPathComponent("noncompliant-ai-writes-safety.yaml").path)
        // As `policy check` reads them: every waiver the replay accepts, even on a ledger that needs attention.
        return ZoneEvaluation.evaluate(topology: topology, waivers: try f.replayed().waivers, now: now)
    }

    static func request(_ finding: String = finding, days: Double = 30, from f: RecordsFixture) -> WaiverRequest {
        WaiverRequest(findingID: finding, reason: reason, expiresAt: f.clock.date + days * 86_400)
    }

    @Test func aWaivedFindingIsReportedAsWaivedNotHidden() async throws {
        let f = try await RecordsFixture.make()
        let before = try Self.report(f, now: f.clock.date)
        #expect(!before.compliant)
        #expect(before.openFindings.map(\.fingerprint) == [Self.finding])

        let digest = SHA256.hash(Array("topology bytes".utf8))
        var request = Self.request(from: f)
        request.topologyDigest = digest
        let record = try await f.service.grantWaiver(request, as: RecordsFixture.creds("otto"))
        #expect(try f.kinds().last == EntryKind.waiverGranted)
        #expect(try RecordsAudit.problems(in: f.store).isEmpty)
        // The entry carries a statement that verifies under otto's registered key, independently.
        let entry = try f.store.entry(seq: record.seq)
        let statement = try #require(entry.payload["statement"].flatMap(WaiverStatement.init(json:)))
        #expect(statement.topologyDigest == digest && statement.waivedBy == "otto" && statement.printedName == "Otto Security")
        let key = try #require(f.state().users["otto"]?.activeKey)
        #expect(entry.payload["keyId"]?.stringValue == key.keyID.prefixed)
        let signature = try #require(entry.payload["signature"]?.stringValue.flatMap(Base64.decode))
        #expect(key.publicKey.verify(signature: signature, message: statement.signingBytes))

        let after = try Self.report(f, now: f.clock.date)
        #expect(after.compliant)
        #expect(after.findings.map(\.fingerprint) == [Self.finding])
        #expect(after.summary.openFindings == 0 && after.summary.waivedFindings == 1)
        let waiver = try #require(after.findings.first?.waiver)
        #expect(waiver.waivedBy == "Otto Security (otto)")
        #expect(waiver.reason == Self.reason)
        #expect(after.text.contains("WAIVED by Otto Security (otto) until"))
    }

    @Test func anExpiredWaiverLeavesTheFindingOpen() async throws {
        let f = try await RecordsFixture.make()
        try await f.service.grantWaiver(Self.request(days: 1, from: f), as: RecordsFixture.creds("otto"))
        #expect(try Self.report(f, now: f.clock.date + 12 * 3600).compliant)
        let later = try Self.report(f, now: f.clock.date + 2 * 86_400)
        #expect(!later.compliant)
        #expect(later.openFindings.map(\.fingerprint) == [Self.finding])
        #expect(later.expiredWaivers.map(\.findingID) == [Self.finding])
        #expect(later.text.contains("expired waiver for \(Self.finding) (by Otto Security (otto)"))
    }

    @Test func requestsAreBoundedAndCheckedBeforeAnythingIsWritten() async throws {
        let f = try await RecordsFixture.make()
        let size = try f.store.size()
        let otto = RecordsFixture.creds("otto")
        for (request, field) in [
            (Self.request(days: -1, from: f), "expires"),
            (Self.request(days: 400, from: f), "expires"),
            (WaiverRequest(findingID: Self.finding, reason: "  ", expiresAt: f.clock.date + 86_400), "reason"),
            (Self.request("ZR-999:a>c>b", from: f), "finding"),
            (Self.request("line1-ai>c-line-plc", from: f), "finding"),
            (Self.request("ZR-007:line1 ai", from: f), "finding"),
        ] {
            let error = await recordsError { try await f.service.grantWaiver(request, as: otto) }
            guard case .invalidInput(let got, _)? = error else { Issue.record("\(request): \(String(describing: error))"); continue }
            #expect(got == field)
        }
        #expect(try f.store.size() == size)
        // 366 days is the bound, not more.
        try await f.service.grantWaiver(Self.request(days: 365, from: f), as: otto)
    }

    @Test func onlyTheWaiverRoleMayWaiveAndAdminsNever() async throws {
        let f = try await RecordsFixture.make()
        let size = try f.store.size()
        let quinn = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: RecordsFixture.creds("quinn")) }
        guard case .refused(let message)? = quinn else { Issue.record("\(String(describing: quinn))"); return }
        #expect(message.contains("'ot-security' role"))
        let ada = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: f.admin) }
        guard case .refused(let adminMessage)? = ada else { Issue.record("\(String(describing: ada))"); return }
        #expect(adminMessage.contains("admin"))
        // Refused after a correct password: nothing written, not even a failure.
        #expect(try f.store.size() == size)
        #expect(try f.state().users["quinn"]?.consecutiveFailures == 0)
        #expect(try Self.report(f, now: f.clock.date).openFindings.count == 1)
    }

    @Test func aWrongPasswordIsAnAuthenticationFailureCountedTowardLockout() async throws {
        let f = try await RecordsFixture.make(lockoutThreshold: 2)
        let wrong = RecordsFixture.creds("otto", "not-ottos-password")
        let first = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: wrong) }
        #expect(first == .authenticationFailed(userID: "otto"))
        #expect(try f.kinds().last == EntryKind.authFailed)
        #expect(try f.state().users["otto"]?.consecutiveFailures == 1)
        let second = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: wrong) }
        #expect(second == .accountLocked(userID: "otto"))
        #expect(try f.kinds().suffix(2) == [EntryKind.authFailed, EntryKind.accountLocked])
        #expect(try f.state().waiverRecords.isEmpty)
        // Locked: even the right password no longer waives.
        let locked = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: RecordsFixture.creds("otto")) }
        #expect(locked == .accountLocked(userID: "otto"))
    }

    /// Signs `statement` with `user`'s active key, as a tamperer holding the key could.
    static func handSigned(_ f: RecordsFixture, _ user: String, _ statement: WaiverStatement) throws -> JSONValue {
        let record = try #require(f.replayed().users[user])
        let keyRecord = try #require(record.activeKey)
        let key = try f.service.openKey(of: record, keyRecord, password: RecordsFixture.password(user))
        return ["statement": statement.jsonValue, "signature": .string(Base64.encode(key.sign(statement.signingBytes))),
                "keyId": .string(keyRecord.keyID.prefixed)]
    }

    static func statement(_ f: RecordsFixture, by user: String, name: String, days: Double = 30) -> WaiverStatement {
        WaiverStatement(findingID: finding, reason: reason, expiresAt: UTCTime.format(f.clock.date + days * 86_400),
                        topologyDigest: nil, waivedBy: user, printedName: name, time: UTCTime.now())
    }

    @Test func forgedOrAlteredWaiverEntriesDoNotCount() async throws {
        let f = try await RecordsFixture.make()
        // A genuine waiver for another (absent) finding: its signature must not carry over.
        let genuine = try await f.service.grantWaiver(Self.request("ZR-002:enterprise>c-ent-ops>site-ops", from: f),
                                                      as: RecordsFixture.creds("otto"))
        let payload = try #require(EntryAuthority.unsignedPayload(f.store.entry(seq: genuine.seq).payload).objectValue)
        // Each entry's own authority is made with the actor's key (the tamperer holds it), so
        // what is judged is the waiver statement and its signature.
        func append(_ actor: String, _ payload: JSONValue) async throws -> Int {
            try await f.forge(EntryKind.waiverGranted, actor: actor, subject: Self.finding, payload: payload,
                              signedBy: .key(try f.openKey(actor))).seq
        }
        // 1. Retargeted to the real finding, original signature: the bytes no longer verify.
        var retargeted = payload
        retargeted["statement"] = WaiverStatement(findingID: Self.finding, reason: genuine.statement!.reason, expiresAt: genuine.statement!.expiresAt,
                                                  topologyDigest: nil, waivedBy: "otto", printedName: "Otto Security",
                                                  time: genuine.statement!.time).jsonValue
        let s1 = try await append("otto", .object(retargeted))
        // 2. Correctly signed by otto's key, then one bit of the signature flipped.
        var flipped = try #require(Self.handSigned(f, "otto", Self.statement(f, by: "otto", name: "Otto Security")).objectValue)
        var bytes = try #require(flipped["signature"]?.stringValue.flatMap(Base64.decode))
        bytes[5] ^= 0x01
        flipped["signature"] = .string(Base64.encode(bytes))
        let s2 = try await append("otto", .object(flipped))
        // 3. A valid signature by someone without the role.
        let s3 = try await append("quinn", Self.handSigned(f, "quinn", Self.statement(f, by: "quinn", name: "Quinn QA")))
        // 4. Longer than the bound, validly signed.
        let s4 = try await append("otto", Self.handSigned(f, "otto", Self.statement(f, by: "otto", name: "Otto Security", days: 400)))

        let state = try f.replayed()
        #expect(state.waiverRecords.count == 5)
        #expect(state.waiverRecords.map(\.counts) == [true, false, false, false, false])
        let found = try RecordsAudit.problems(in: f.store)
        #expect(found.map(\.seq) == [s1, s2, s3, s4])
        let problems = found.map(\.message)
        #expect(problems.count == 4)
        #expect(problems[0].contains("do not verify") && problems[1].contains("do not verify"))
        #expect(problems[2].contains("'ot-security' role"))
        #expect(problems[3].contains("days after signing"))
        let report = try Self.report(f, now: f.clock.date)
        #expect(!report.compliant)
        #expect(report.openFindings.map(\.fingerprint) == [Self.finding])
        #expect(report.unmatchedWaivers.map(\.findingID) == ["ZR-002:enterprise>c-ent-ops>site-ops"])
    }

    @Test func aWaiverSignedWithARevokedKeyDoesNotCount() async throws {
        let f = try await RecordsFixture.make()
        let payload = try Self.handSigned(f, "otto", Self.statement(f, by: "otto", name: "Otto Security"))
        let ottoKey = try f.openKey("otto")
        try await f.service.revokeKey(of: "otto", keyID: nil, reason: "laptop lost", by: f.admin)
        let error = await recordsError { try await f.service.grantWaiver(Self.request(from: f), as: RecordsFixture.creds("otto")) }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("no active signing key"))
        let forged = try await f.forge(EntryKind.waiverGranted, actor: "otto", subject: Self.finding, payload: payload, signedBy: .key(ottoKey))
        let problems = try f.problems()
        #expect(problems.map(\.seq) == [forged.seq])
        #expect(problems.first?.message.contains("which was revoked at this seq") == true, "\(problems)")
        #expect(try f.replayed().waiverRecords.allSatisfy { !$0.counts })
        #expect(try Self.report(f, now: f.clock.date).openFindings.count == 1)
    }
}
