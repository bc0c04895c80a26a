import AuditCore
import AuditLedger
import AuditRecords
import Foundation

/// What to export. Dates are inclusive; an open end means the first entry or the export's
/// checkpoint. The ZIP always holds one contiguous run of seqs (see `ExportSelection`).
public struct ExportRequest: Sendable {
    public var from: Date?
    public var to: Date?
    public var selection: ExportSelection
    /// Shown on the cover and in every page's running header (e.g. "Plant 3, line 1").
    public var site: String
    /// auditctl's version, for the cover.
    public var systemVersion: String

    public init(from: Date? = nil, to: Date? = nil, selection: ExportSelection = ExportSelection(), site: String,
                systemVersion: String = AuditExportVersion.current) {
        self.from = from
        self.to = to
        self.selection = selection
        self.site = site
        self.systemVersion = systemVersion
    }
}

public enum AuditExportVersion {
    public static let current = "0.1.0"
}

/// Progress of a long export: `phase` names the step, `done` of `total` entries.
public typealias ExportProgress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

/// A written and recorded export.
public struct ExportResult: Sendable {
    public let path: String
    public let manifest: ExportManifest
    public let manifestDigest: Digest
    public let zipDigest: Digest
    public let zipSize: Int
    /// The `export.generated` entry that records it.
    public let recorded: Entry
}
