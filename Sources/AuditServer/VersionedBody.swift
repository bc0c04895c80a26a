import AuditLedger
import NIOConcurrencyHelpers

/// One rendered reply that depends on nothing but the ledger's content (the latest signed
/// checkpoint), kept under the `LedgerVersion` it was read at and used only by requests
/// that found the file at that same version: any commit makes it unusable at once.
final class VersionedBody: Sendable {
    private let latest = NIOLockedValueBox<(version: LedgerVersion, body: [UInt8])?>(nil)

    func body(at version: LedgerVersion) -> [UInt8]? {
        latest.withLockedValue { $0?.version == version ? $0?.body : nil }
    }

    func remember(_ body: [UInt8], at version: LedgerVersion) {
        latest.withLockedValue { current in
            if current.map({ $0.version <= version }) ?? true { current = (version, body) }
        }
    }
}
