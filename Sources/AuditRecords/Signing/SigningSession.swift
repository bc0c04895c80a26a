import AuditPolicy
import Foundation

/// A continuous signing session for one person (21 CFR 11.200(a)(1)): the first signing
/// needs ID + password, later ones only the password, until `idleTimeout` passes without a
/// signing; then, or after any failed attempt, both components are needed again.
/// For long-lived callers such as the HTTP service; the CLI asks for both every time.
public actor SigningSession {
    public let service: RecordsService
    public let idleTimeout: TimeInterval
    private let clock: @Sendable () -> Date
    private var userID: String?
    private var lastActivity: Date?

    public init(service: RecordsService, idleTimeout: TimeInterval = 15 * 60, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.service = service
        self.idleTimeout = idleTimeout
        self.clock = clock
    }

    /// The session's person while it is open, nil when both components are needed.
    public var currentUser: String? {
        guard let userID, let lastActivity, clock().timeIntervalSince(lastActivity) <= idleTimeout else { return nil }
        return userID
    }

    /// Signs within the session. `userID` may be nil only while the session is open; when
    /// given it must match the session's person.
    public func sign(changeID: String, meaning: Meaning, comment: String = "", policy: ApprovalPolicy,
                     userID given: String?, password: String) async throws(RecordsError) -> SignResult {
        let open = currentUser
        let id: String
        switch (open, given) {
        case (nil, nil):
            throw .invalidInput(field: "user ID", reason: "no signing session is open (or it timed out); give user ID and password")
        case (let sessionUser?, let typed?) where typed != sessionUser:
            throw .refused("this signing session belongs to '\(sessionUser)'; end it before '\(typed)' signs")
        case (let sessionUser?, _): id = sessionUser
        case (nil, let typed?): id = typed
        }
        do {
            let result = try await service.sign(changeID: changeID, meaning: meaning, comment: comment, policy: policy,
                                                as: Credentials(userID: id, password: password))
            userID = id
            lastActivity = clock()
            return result
        } catch {
            if case .authenticationFailed = error { end() }
            if case .accountLocked = error { end() }
            throw error
        }
    }

    /// Ends the session now (sign-out).
    public func end() {
        userID = nil
        lastActivity = nil
    }
}
