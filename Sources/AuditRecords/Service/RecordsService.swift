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

    /// The current state, replayed from every entry.
    public func state() throws(RecordsError) -> RecordsState {
        do { return try RecordsState.fold(store: store) } catch { throw .ledger(error) }
    }

    func locked() throws(RecordsError) -> (RecordsLock, RecordsState) {
        let lock = try RecordsLock(directory: directory)
        return (lock, try state())
    }

    @discardableResult
    func append(_ drafts: [EntryDraft]) async throws(RecordsError) -> [Entry] {
        do { return try await store.append(drafts) } catch { throw .ledger(error) }
    }

    /// Checks ID + password, recording every failure and locking the account at the
    /// threshold (one atomic append). Call with the records lock held.
    func authenticate(_ c: Credentials, in state: RecordsState, operation: String) async throws(RecordsError) -> UserRecord {
        func fail(_ reason: String, lockAfter failures: Int? = nil) async throws(RecordsError) {
            let subject = (try? RecordIDs.checkUserID(c.userID)) != nil ? c.userID : "(invalid user ID)"
            var drafts = [EntryDraft(kind: EntryKind.authFailed, actor: RecordIDs.systemActor, subject: subject,
                                     payload: ["operation": .string(operation), "reason": .string(reason),
                                               "consecutiveFailures": failures.map { .number(Double($0)) } ?? .null])]
            if let failures, failures >= configuration.lockoutThreshold {
                drafts.append(EntryDraft(kind: EntryKind.accountLocked, actor: RecordIDs.systemActor, subject: c.userID,
                                         payload: ["consecutiveFailures": .number(Double(failures)),
                                                   "threshold": .number(Double(configuration.lockoutThreshold))]))
            }
            try await append(drafts)
        }
        guard let user = state.users[c.userID], user.active else {
            try await fail("unknown or deactivated user")
            throw .authenticationFailed(userID: c.userID)
        }
        if user.locked {
            try await fail("account locked")
            throw .accountLocked(userID: c.userID)
        }
        let encoded = try files.passwordHash(user: user.id, digest: user.passwordDigest)
        guard PasswordHash.verify(password: c.password, encoded: encoded) else {
            let failures = user.consecutiveFailures + 1
            try await fail("wrong password", lockAfter: failures)
            if failures >= configuration.lockoutThreshold { throw .accountLocked(userID: c.userID) }
            throw .authenticationFailed(userID: c.userID)
        }
        return user
    }

    /// Authenticates an active admin.
    func authenticateAdmin(_ c: Credentials, in state: RecordsState, operation: String) async throws(RecordsError) -> UserRecord {
        let admin = try await authenticate(c, in: state, operation: operation)
        guard admin.isAdmin else { throw .refused("'\(admin.id)' does not hold the '\(ApprovalPolicy.adminRole)' role needed to \(operation)") }
        guard !admin.mustChangePassword else {
            throw .refused("'\(admin.id)' must first replace the one-time password (`auditctl key rotate`)")
        }
        return admin
    }

    /// Password rules applied whenever a password is set.
    func checkNewPassword(_ password: String, for user: String) throws(RecordsError) {
        guard password.count >= configuration.minimumPasswordLength else {
            throw .invalidInput(field: "password", reason: "must be at least \(configuration.minimumPasswordLength) characters")
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

    /// Whether the password of `user` is past its maximum age at `now`.
    func passwordExpired(_ user: UserRecord, now: Date) -> Bool {
        configuration.maximumPasswordAgeDays > 0
            && now.timeIntervalSince(user.passwordSetAt) > Double(configuration.maximumPasswordAgeDays) * 86_400
    }
}
