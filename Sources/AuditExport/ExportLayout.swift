/// The files of an export ZIP and the format tags that keep their bytes from meaning
/// anything else. `Docs/inspector-guide.md` describes each one for people who check an
/// export without auditctl; change both together.
public enum ExportLayout {
    public static let manifestFormat = "auditctl-export-manifest/v1"
    public static let proofsFormat = "auditctl-export-proofs/v1"
    public static let keysFormat = "auditctl-export-keys/v1"

    public static let report = "report.html"
    public static let reportPDF = "report.pdf"
    public static let csv = "audit-trail.csv"
    public static let entries = "entries.jsonl"
    /// Record entries before the period that the period's signatures and approvals rest on.
    public static let context = "context.jsonl"
    public static let proofs = "proofs.jsonl"
    public static let checkpoint = "checkpoint.txt"
    /// The first signed checkpoint that covers the period's first entry.
    public static let startCheckpoint = "start-checkpoint.txt"
    public static let keys = "keys.json"
    public static let policiesFolder = "policies/"
    public static let manifest = "manifest.json"
    /// C2SP signed note by the log key over the SHA-256 of `manifest.json`.
    public static let manifestSignature = "manifest.sig"

    /// `policies/approval-policy-seq<N>.yaml`: the text recorded by `policy.updated` at seq N.
    public static func policyFile(seq: Int) -> String { "\(policiesFolder)approval-policy-seq\(seq).yaml" }

    /// The signed-note text of the manifest signature: format, origin and digest lines. Its
    /// first line can never parse as a checkpoint's, so the log key's two uses stay apart.
    public static func manifestNoteText(origin: String, manifestDigest: String) -> String {
        "\(manifestFormat)\n\(origin)\n\(manifestDigest)\n"
    }

    /// Bounds for reading a ZIP someone handed over (`ExportVerifier`).
    public static let maxManifestBytes = 1024 * 1024
    public static let maxKeysBytes = 64 * 1024 * 1024
    public static let maxZipEntries = 100_000
    /// One line of entries.jsonl / context.jsonl / proofs.jsonl: an entry is at most 64 KiB
    /// of payload plus its fixed fields, escaped.
    public static let maxLineBytes = 1024 * 1024
}
