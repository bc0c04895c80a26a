// AuditPolicy module.
