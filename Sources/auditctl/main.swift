import AuditCLI

await AuditCommand.runMain()
