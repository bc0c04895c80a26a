// AuditLedger module.
