// AuditTesting module.
