import ArgumentParser

/// `auditctl fleet …`: the central fleet service that mirrors and witnesses every plant's
/// ledger (Docs/fleet.md). One subcommand per file in this folder.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Run and administer the central fleet service (PostgreSQL) that mirrors and witnesses plant ledgers.",
        subcommands: [FleetInitCommand.self, FleetEnrollCommand.self, FleetServeCommand.self])
}
