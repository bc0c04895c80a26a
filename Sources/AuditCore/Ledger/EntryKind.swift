/// The entry kinds auditctl writes. Appends of any other kind are refused, so a typo in an
/// operator's `auditctl append` cannot create a record nobody will ever interpret.
public enum EntryKind {
    public static let ledgerCreated = "ledger.created"
    public static let noteAdded = "note.added"
    public static let checkpointRequested = "checkpoint.requested"
    public static let userAdded = "user.added"
    public static let userDeactivated = "user.deactivated"
    public static let roleGranted = "role.granted"
    public static let roleRevoked = "role.revoked"
    public static let keyRegistered = "key.registered"
    public static let keyRevoked = "key.revoked"
    /// A user's password was set or changed (records only the verifier's digest).
    public static let credentialChanged = "credential.changed"
    public static let authFailed = "auth.failed"
    public static let accountLocked = "account.locked"
    public static let accountUnlocked = "account.unlocked"
    public static let changeProposed = "change.proposed"
    public static let signatureAdded = "signature.added"
    public static let changeApproved = "change.approved"
    public static let changeRejected = "change.rejected"
    public static let policyUpdated = "policy.updated"
    public static let topologyChecked = "topology.checked"
    public static let waiverGranted = "waiver.granted"
    public static let deploymentVerified = "deployment.verified"
    public static let deploymentBlocked = "deployment.blocked"
    public static let exportGenerated = "export.generated"
    /// An admin confirms, after checking identity, a role grant, key or policy recorded by
    /// another admin (no single person creates a signer).
    public static let authorityConfirmed = "authority.confirmed"
    /// An admin's statement that an earlier entry carries a wrong (future) time because the
    /// host clock was ahead. Payload `{"seq": N, "reason": …}`: N is the first entry with the
    /// wrong time; the correction covers entries N up to itself. The writer exempts it from
    /// the clock-behind check and gives it the host's time, which becomes the new floor.
    public static let clockCorrected = "clock.corrected"
    /// An admin acknowledges entries the replay rejected (after investigating them), so the
    /// ledger can be used again; the rejected entries keep having no effect.
    public static let problemAcknowledged = "problem.acknowledged"

    /// Kinds anyone authenticated may append with `auditctl append`: they change no state.
    /// Every other kind is written only by the command that owns its rules.
    public static let freeForm: Set<String> = [noteAdded, checkpointRequested]

    public static let all: Set<String> = [
        ledgerCreated, noteAdded, checkpointRequested, userAdded, userDeactivated, roleGranted,
        roleRevoked, keyRegistered, keyRevoked, credentialChanged, authFailed, accountLocked, accountUnlocked,
        changeProposed, signatureAdded, changeApproved, changeRejected, policyUpdated,
        topologyChecked, waiverGranted, deploymentVerified, deploymentBlocked, exportGenerated,
        authorityConfirmed, clockCorrected, problemAcknowledged,
    ]
}
