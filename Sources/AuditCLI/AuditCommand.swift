import ArgumentParser

/// Root of the `auditctl` command tree; subcommands live one per file.
public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "auditctl",
        abstract: "Compliance and audit-trail ledger for ML models on the factory floor.",
        subcommands: []
    )
    public init() {}
}
