/// What a signer declares by signing (21 CFR 11.50(a)(3)): the words shown next to the
/// printed name and time. `rejected` is a signed "no" and never counts toward approval.
public enum Meaning: String, Codable, CaseIterable, Sendable {
    case authored, reviewed, approved, rejected, responsibility
}

/// The kinds of model change a policy must cover; every policy covers all of them.
public enum ChangeType: String, Codable, CaseIterable, Sendable {
    case register, promote, rollback, retire, config
}
