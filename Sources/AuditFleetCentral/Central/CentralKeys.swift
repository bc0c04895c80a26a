import AuditCrypto

/// The central's two Ed25519 keys: its log key (signs the checkpoints of its own log, a C2SP
/// signed-note key named after its origin) and its witness key (cosigns plants' checkpoints,
/// c2sp.org/tlog-cosignature). Two keys so that a cosignature can never be taken for a
/// checkpoint of the central's log or the reverse (their signature types differ too).
public struct CentralKeys: Sendable {
    public let log: NoteSigner
    public let witness: Cosigner

    public var origin: String { log.name }

    public init(log: NoteSigner, witness: Cosigner) {
        self.log = log
        self.witness = witness
    }

    /// Fresh keys for a new central.
    public static func generate(origin: String, witnessName: String) throws(FleetError) -> CentralKeys {
        do {
            return CentralKeys(log: try NoteSigner(name: origin, privateKey: Ed25519PrivateKey.generate()),
                               witness: try Cosigner(name: witnessName, privateKey: Ed25519PrivateKey.generate()))
        } catch {
            throw .invalidInput(field: "--origin/--witness-name", reason: "cannot be a key name (\(error)): no spaces or '+'")
        }
    }
}
