import ArgumentParser

/// The exit codes auditctl promises (Docs/exit-codes.md); scripts at the edge branch on them.
public enum AuditExitCode: Int32, Sendable, CaseIterable {
    case ok = 0
    /// An integrity or signature check failed: the record or bundle must not be trusted.
    case verificationFailed = 1
    /// Input could not be read or parsed (bad JSON/YAML, wrong file type, over a size limit).
    case malformedInput = 3
    /// The named ledger, entry, change, user or file does not exist.
    case notFound = 4
    /// Authentication failed: wrong password, locked account, revoked key.
    case authenticationFailed = 5
    /// Authenticated, but the rules refuse it (role, separation of duties, lifecycle order).
    case refused = 6
    /// A topology or policy check found violations.
    case nonCompliant = 7
    /// Storage could not be used: not an auditctl ledger, newer schema, disk or lock error.
    case storage = 8
    /// The request conflicts with current state (already initialized, already decided).
    case conflict = 9
    /// A service auditctl needs could not be used (the central fleet service down, a timeout,
    /// a 5xx or an answer that is not the protocol's); nothing was changed: retry later.
    case unavailable = 10
    /// Command-line usage error (ArgumentParser's EX_USAGE).
    case usage = 64
}

/// What every command throws for a user-facing failure: one `error:` line, one `hint:` line.
public struct CLIFailure: Error, Sendable {
    public var message: String
    public var hint: String
    public var code: AuditExitCode

    public init(_ message: String, hint: String, code: AuditExitCode) {
        self.message = message
        self.hint = hint
        self.code = code
    }
}
