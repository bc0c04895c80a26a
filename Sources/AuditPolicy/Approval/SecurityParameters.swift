/// The security limits auditctl enforces (21 CFR 11.300, IEC 62443 SR 1.11, SR 2.5). They are
/// part of the recorded approval policy, never of a caller's environment: whoever runs a
/// command cannot loosen them, and a change to them goes through the same admin-signed,
/// second-admin-confirmed `policy.updated` as any other rule.
public struct SecurityParameters: Sendable, Equatable {
    /// Consecutive authentication failures that lock an account.
    public var lockoutThreshold = 5
    /// Failures older than this no longer count toward the threshold; 0 = they count until a
    /// successful authenticated action or an unlock.
    public var lockoutWindowMinutes = 0
    public var passwordMinLength = 12
    /// Days after which a password must be changed before the next action; 0 = never.
    public var passwordMaxAgeDays = 90
    /// How far an entry's host time may lag the ledger's last time, and a signature's time
    /// its entry's time.
    public var clockToleranceSeconds = 300
    /// Idle time that ends a signing or web session.
    public var sessionIdleMinutes = 15
    /// Absolute lifetime of a web session.
    public var sessionMaxHours = 12
    /// Admins other than the enrolling or granting one who must confirm a new signing
    /// identity (a role grant, a key not vouched for by the owner's previous key, a policy).
    public var identityConfirmations = 1
    /// The role whose holders may waive zone findings.
    public var waiverRole = "ot-security"

    public init() {}

    public static let keys = ["lockoutThreshold", "lockoutWindowMinutes", "passwordMinLength", "passwordMaxAgeDays",
                              "clockToleranceSeconds", "sessionIdleMinutes", "sessionMaxHours", "identityConfirmations",
                              "waiverRole"]

    /// Reads the optional `security:` mapping; absent keys keep their defaults.
    static func load(_ reader: YAMLMappingReader?, declaredRoles: [String]) throws(YAMLInputError) -> SecurityParameters {
        var s = SecurityParameters()
        guard let reader else { return s }
        if let v = try reader.optionalInt("lockoutThreshold", range: 1...20) { s.lockoutThreshold = v }
        if let v = try reader.optionalInt("lockoutWindowMinutes", range: 0...10_080) { s.lockoutWindowMinutes = v }
        if let v = try reader.optionalInt("passwordMinLength", range: 8...1024) { s.passwordMinLength = v }
        if let v = try reader.optionalInt("passwordMaxAgeDays", range: 0...3650) { s.passwordMaxAgeDays = v }
        if let v = try reader.optionalInt("clockToleranceSeconds", range: 1...3600) { s.clockToleranceSeconds = v }
        if let v = try reader.optionalInt("sessionIdleMinutes", range: 1...240) { s.sessionIdleMinutes = v }
        if let v = try reader.optionalInt("sessionMaxHours", range: 1...72) { s.sessionMaxHours = v }
        if let v = try reader.optionalInt("identityConfirmations", range: 0...5) { s.identityConfirmations = v }
        if let role = try reader.optionalString("waiverRole") {
            guard declaredRoles.contains(role), !ApprovalPolicy.builtInRoles.contains(role) else {
                throw YAMLInputError(file: reader.file, at: try reader.required("waiverRole"),
                                     "'waiverRole' must be a declared role other than \(ApprovalPolicy.builtInRoles.sorted().joined(separator: ", "))")
            }
            s.waiverRole = role
        }
        return s
    }
}
