// AuditCrypto module.
