// AuditCore module.
