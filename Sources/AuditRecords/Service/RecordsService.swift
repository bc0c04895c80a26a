import AuditCore
import AuditCrypto
import AuditLedger
import AuditPolicy
import Foundation

/// An ID and password typed by a person. Both are always required (21 CFR 11.200(a)(1)).
public struct Credentials: Sendable {
    public let userID: String
    public let password: String
    public init(userID: String, password: String) {
        self.userID = userID
        self.password = password
    }
}

/// Every action on people, keys, changes and signatures. Each one reads the current state
/// by replaying the ledger, checks the rules, and appends its entries atomically, all while
/// holding the data directory's records lock, so the checks and the write see the same state.
public struct RecordsService: Sendable {
    public let store: LedgerStore
    public let files: CredentialFiles
    public let configuration: RecordsConfiguration
    /// Injected so tests can move time (expiry, password aging, session timeouts).
    public let clock: @Sendable () -> Date
    let directory: String

    public init(store: LedgerStore, directory: String, configuration: RecordsConfiguration = RecordsConfiguration(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.directory = directory
        self.files = CredentialFiles(directory: directory)
        self.configuration = configuration
        self.clock = clock
    }

    /// The current state, replayed from every entry. Refuses a ledger whose replay found
    /// entries that do not hold: no command acts on state a forged entry may have shaped.
    public func state() throws(RecordsError) -> RecordsState {
        let state = try replayedState()
        let open = state.openProblems
        if let first = open.first { throw .needsAttention(first: first, count: open.count) }
        return state
    }

    /// The replayed state with its problems, for `verify` and diagnostics only.
    public func replayedState() throws(RecordsError) -> RecordsState {
        do { return try RecordsState.fold(store: store) } catch { throw .ledger(error) }
    }

    func locked() async throws(RecordsError) -> (RecordsLock, RecordsState) {
        let lock = try await RecordsLock.acquire(directory: directory)
        let state = try state()
        store.clockTolerance = Double(state.security.clockToleranceSeconds)
        return (lock, state)
    }

    /// An admin acknowledges rejected entries after investigating them (the incident
    /// reference goes in `reason`), so commands act on this ledger again. Every rejected
    /// entry not yet acknowledged is named; they keep having no effect.
    @discardableResult
    public func acknowledgeProblems(reason: String, by admin: Credentials) async throws(RecordsError) -> Entry {
        try RecordIDs.checkText(reason, field: "reason")
        let lock = try await RecordsLock.acquire(directory: directory)
        defer { withExtendedLifetime(lock) {} }
        let state = try replayedState()
        let seqs = Array(Set(state.openProblems.map(\.seq))).sorted()
        guard !seqs.isEmpty else { throw .conflict("the replay rejected no entry that is not acknowledged already") }
        let actor = try await authenticateAdmin(admin, in: state, operation: "acknowledge rejected entries")
        return try await append([EntryDraft(kind: EntryKind.problemAcknowledged, actor: actor.id, subject: "ledger",
                                            payload: ["seqs": .array(seqs.map { .number(Double($0)) }), "reason": .string(reason)],
                                            authority: actor.authority)])[0]
    }

    @discardableResult
    func append(_ drafts: [EntryDraft]) async throws(RecordsError) -> [Entry] {
        do { return try await store.append(drafts) } catch { throw .ledger(error) }
    }

    /// Checks ID + password, recording every failure and locking the account at the
    /// policy's threshold (one atomic append, signed with the log key). Call with the
    /// records lock held.
    func authenticate(_ c: Credentials, in state: RecordsState, operation: String) async throws(RecordsError) -> UserRecord {
        let security = state.security
        func fail(_ reason: String, lockAfter failures: Int? = nil) async throws(RecordsError) {
            guard let system = store.systemAuthority else {
                throw .storage(path: store.path, reason: "the failed authentication cannot be recorded: the log key is not unlocked")
            }
            let subject = (try? RecordIDs.checkUserID(c.userID)) != nil ? c.userID : "(invalid user ID)"
            var drafts = [EntryDraft(kind: EntryKind.authFailed, actor: RecordIDs.systemActor, subject: subject,
                                     payload: ["operation": .string(operation), "reason": .string(reason),
                                               "consecutiveFailures": failures.map { .number(Double($0)) } ?? .null],
                                     authority: system)]
            if let failures, failures >= security.lockoutThreshold {
                drafts.append(EntryDraft(kind: EntryKind.accountLocked, actor: RecordIDs.systemActor, subject: c.userID,
                                         payload: ["consecutiveFailures": .number(Double(failures)),
                                                   "threshold": .number(Double(security.lockoutThreshold))],
                                         authority: system))
            }
            try await append(drafts)
        }
        guard let user = state.users[c.userID], user.active, !user.isEdge else {
            try await fail("unknown or deactivated user")
            throw .authenticationFailed(userID: c.userID)
        }
        if user.locked {
            try await fail("account locked")
            throw .accountLocked(userID: c.userID)
        }
        let encoded = try files.passwordHash(user: user.id, digest: user.passwordDigest)
        guard PasswordHash.verify(password: c.password, encoded: encoded) else {
            let failures = recentFailures(user, security: security) + 1
            try await fail("wrong password", lockAfter: failures)
            if failures >= security.lockoutThreshold { throw .accountLocked(userID: c.userID) }
            throw .authenticationFailed(userID: c.userID)
        }
        return user
    }

    /// Failures that still count toward lockout: all since the last success, or only those
    /// inside the policy's window.
    func recentFailures(_ user: UserRecord, security: SecurityParameters) -> Int {
        guard security.lockoutWindowMinutes > 0 else { return user.consecutiveFailures }
        let since = clock().addingTimeInterval(-Double(security.lockoutWindowMinutes) * 60)
        return user.failureTimes.filter { $0 >= since }.count
    }

    /// Authenticates an active admin whose admin role and key are in force, and opens the
    /// admin's key to sign the action's entries.
    func authenticateAdmin(_ c: Credentials, in state: RecordsState, operation: String) async throws(RecordsError) -> Actor {
        let admin = try await authenticate(c, in: state, operation: operation)
        guard admin.isAdmin else {
            let pending = admin.pendingRoles[ApprovalPolicy.adminRole] != nil ? " (granted, but not yet confirmed by another admin)" : ""
            throw .refused("'\(admin.id)' does not hold the '\(ApprovalPolicy.adminRole)' role needed to \(operation)\(pending)")
        }
        guard !admin.mustChangePassword else {
            throw .refused("'\(admin.id)' must first replace the one-time password (`auditctl key rotate`)")
        }
        return try actor(admin, password: c.password, now: clock(), security: state.security)
    }

    /// A person ready to act: their confirmed key opened for this one action.
    func actor(_ user: UserRecord, password: String, now: Date, security: SecurityParameters) throws(RecordsError) -> Actor {
        try requireReadyToAct(user, now: now, security: security)
        guard let key = user.signingKey else {
            throw .refused(Self.noSigningKeyReason(user))
        }
        return Actor(user: user, key: try openKey(of: user, key, password: password))
    }

    static func noSigningKeyReason(_ user: UserRecord) -> String {
        if let key = user.activeKey, !key.confirmed {
            return "the signing key of '\(user.id)' (\(key.keyID.prefixed)) is waiting for confirmation by an admin other than the one who enrolled them (`auditctl user confirm \(user.id)`)"
        }
        return "'\(user.id)' has no active signing key (revoked or never enrolled); enroll one with `auditctl key rotate`"
    }

    /// Refuses users who must first replace a one-time or expired password.
    func requireReadyToAct(_ user: UserRecord, now: Date, security: SecurityParameters) throws(RecordsError) {
        if user.mustChangePassword {
            throw .refused("'\(user.id)' still has the one-time password from enrollment; replace it with `auditctl key rotate` first")
        }
        if passwordExpired(user, now: now, security: security) {
            throw .refused("the password of '\(user.id)' is older than \(security.passwordMaxAgeDays) days; change it with `auditctl key rotate`")
        }
    }

    /// Password rules applied whenever a password is set.
    func checkNewPassword(_ password: String, for user: String, security: SecurityParameters) throws(RecordsError) {
        guard password.count >= security.passwordMinLength else {
            throw .invalidInput(field: "password", reason: "must be at least \(security.passwordMinLength) characters")
        }
        guard password.utf8.count <= Limits.maxPasswordBytes else {
            throw .invalidInput(field: "password", reason: "longer than \(Limits.maxPasswordBytes) bytes")
        }
        guard password.lowercased() != user.lowercased() else {
            throw .invalidInput(field: "password", reason: "must not be the user ID")
        }
    }

    func hashPassword(_ password: String, user: String) throws(RecordsError) -> Digest {
        let encoded: String
        do { encoded = try PasswordHash.make(password: password, parameters: configuration.passwordHashing) } catch {
            throw .storage(path: "(password hash)", reason: error.description)
        }
        return try files.storePasswordHash(encoded, user: user)
    }

    /// Whether the password of `user` is past the policy's maximum age at `now`.
    func passwordExpired(_ user: UserRecord, now: Date, security: SecurityParameters) -> Bool {
        security.passwordMaxAgeDays > 0
            && now.timeIntervalSince(user.passwordSetAt) > Double(security.passwordMaxAgeDays) * 86_400
    }
}

/// An authenticated person with their signing key unsealed for one action; `authority`
/// signs that action's entries at their ledger position.
struct Actor {
    let user: UserRecord
    let key: Ed25519PrivateKey
    var id: String { user.id }
    var authority: KeyAuthority { KeyAuthority(key) }
}
