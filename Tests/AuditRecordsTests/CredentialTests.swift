import AuditCore
import AuditPolicy
@testable import AuditRecords
import Testing

/// Identity and credential rules: unique IDs, one-time passwords, lockout, sessions.
@Suite struct CredentialTests {
    @Test func aLockedAccountCannotSignUntilAnAdminUnlocksIt() async throws {
        let f = try await RecordsFixture.make(lockoutThreshold: 3)
        let id = try await f.propose(.register).content.changeID
        for attempt in 1...3 {
            let error = await recordsError { try await f.sign(id, "quinn", .approved, password: "wrong-password-\(attempt)") }
            if attempt < 3 {
                guard case .authenticationFailed? = error else { Issue.record("\(String(describing: error))"); return }
            } else {
                guard case .accountLocked? = error else { Issue.record("\(String(describing: error))"); return }
            }
        }
        let kinds = try f.kinds()
        #expect(kinds.suffix(4) == [EntryKind.authFailed, EntryKind.authFailed, EntryKind.authFailed, EntryKind.accountLocked])
        // The right password no longer helps.
        let locked = await recordsError { try await f.sign(id, "quinn", .approved) }
        guard case .accountLocked? = locked else { Issue.record("\(String(describing: locked))"); return }
        // The user cannot unlock themselves; an admin can.
        let selfUnlock = await recordsError { try await f.service.unlockUser("quinn", reason: "me", by: RecordsFixture.creds("quinn")) }
        #expect(selfUnlock != nil)
        try await f.service.unlockUser("quinn", reason: "verified identity by phone", by: f.admin)
        let r = try await f.sign(id, "quinn", .approved)
        #expect(r.decision?.kind == EntryKind.changeApproved)
        #expect(try f.state().users["quinn"]?.consecutiveFailures == 0)
    }

    @Test func successResetsTheFailureCount() async throws {
        let f = try await RecordsFixture.make(lockoutThreshold: 2)
        let a = try await f.propose(.promote).content.changeID
        _ = await recordsError { try await f.sign(a, "quinn", .approved, password: "nope-nope-nope") }
        try await f.sign(a, "quinn", .approved)
        _ = await recordsError { try await f.sign(a, "pat", .approved, password: "nope-nope-nope") }
        #expect(try f.state().users["quinn"]?.locked == false)
        #expect(try f.state().users["quinn"]?.consecutiveFailures == 0)
    }

    @Test func userIDsAreNeverReused() async throws {
        let f = try await RecordsFixture.make()
        try await f.service.deactivateUser("otto", reason: "left the company", by: f.admin)
        let error = await recordsError {
            try await f.service.addUser(NewUser(id: "otto", printedName: "Another Otto", roles: ["ot-security"], initialPassword: "fresh-start-123"),
                                        reason: "new hire", knownRoles: Set(f.policy.roles), by: f.admin)
        }
        guard case .conflict(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("never reused"))
        let signError = await recordsError { try await f.sign(try await f.propose(.config).content.changeID, "otto", .approved) }
        guard case .authenticationFailed? = signError else { Issue.record("\(String(describing: signError))"); return }
    }

    @Test func aOneTimePasswordCannotSign() async throws {
        let f = try await RecordsFixture.make()
        try await f.service.addUser(NewUser(id: "nina", printedName: "Nina New", roles: ["qa-reviewer"], initialPassword: "one-time-nina-pass"),
                                    reason: "new hire", knownRoles: Set(f.policy.roles), by: f.admin)
        let id = try await f.propose(.register).content.changeID
        let error = await recordsError { try await f.sign(id, "nina", .approved, password: "one-time-nina-pass") }
        guard case .refused(let message)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(message.contains("one-time password"))
    }

    @Test func unknownRoleIsRefused() async throws {
        let f = try await RecordsFixture.make()
        let error = await recordsError {
            try await f.service.setRole("qa-reviwer", granted: true, for: "otto", reason: "typo", knownRoles: Set(f.policy.roles), by: f.admin)
        }
        guard case .invalidInput(_, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("unknown role 'qa-reviwer'"))
    }

    @Test func theSealedKeyNeedsTheOwnersPassword() async throws {
        let f = try await RecordsFixture.make()
        let state = try f.state()
        let quinn = try #require(state.users["quinn"])
        let key = try #require(quinn.activeKey)
        let opened = await recordsError { _ = try f.service.openKey(of: quinn, key, password: "one-time-quinn-pass") }
        guard case .credentialFile? = opened else { Issue.record("\(String(describing: opened))"); return }
        #expect(throws: Never.self) { _ = try f.service.openKey(of: quinn, key, password: RecordsFixture.password("quinn")) }
    }

    @Test func signingSessionAsksForTheIDAgainAfterTheIdleTimeout() async throws {
        let f = try await RecordsFixture.make()
        let session = SigningSession(service: f.service, idleTimeout: 600, clock: f.clock.function)
        let a = try await f.propose(.promote).content.changeID
        let noSession = await recordsError { _ = try await session.sign(changeID: a, meaning: .approved, policy: f.policy, userID: nil, password: RecordsFixture.password("quinn")) }
        guard case .invalidInput? = noSession else { Issue.record("\(String(describing: noSession))"); return }
        _ = try await session.sign(changeID: a, meaning: .approved, policy: f.policy, userID: "quinn", password: RecordsFixture.password("quinn"))
        #expect(await session.currentUser == "quinn")
        let b = try await f.propose(.register).content.changeID
        f.clock.advance(300)
        _ = try await session.sign(changeID: b, meaning: .reviewed, policy: f.policy, userID: nil, password: RecordsFixture.password("quinn"))
        let other = await recordsError { _ = try await session.sign(changeID: a, meaning: .approved, policy: f.policy, userID: "pat", password: RecordsFixture.password("pat")) }
        guard case .refused? = other else { Issue.record("\(String(describing: other))"); return }
        f.clock.advance(601)
        #expect(await session.currentUser == nil)
        let timedOut = await recordsError { _ = try await session.sign(changeID: a, meaning: .approved, policy: f.policy, userID: nil, password: RecordsFixture.password("quinn")) }
        guard case .invalidInput? = timedOut else { Issue.record("\(String(describing: timedOut))"); return }
    }
}
