import ArgumentParser

/// Root of the `auditctl` command tree; subcommands live one per file.
public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "auditctl",
        abstract: "Compliance and audit-trail ledger for ML models on the factory floor.",
        subcommands: [
            InitCommand.self, AppendCommand.self, LogCommand.self, CheckpointCommand.self,
            ProofCommand.self, VerifyCommand.self, AcknowledgeCommand.self, ClockCommand.self,
            UserCommand.self, KeyCommand.self, ChangeCommand.self, SignCommand.self, PolicyCommand.self,
            VerifyBundleCommand.self, BundleCommand.self, TrustRootCommand.self, EdgeCommand.self, FleetCommand.self,
            ExportCommand.self, VerifyExportCommand.self, ServeCommand.self,
            FleetCommand.self,
        ]
    )
    public init() {}
}
