import AuditCLI

await AuditCommand.main()
