import AuditCore
import AuditCrypto
import Logging
import PostgresNIO

/// The central fleet service over one PostgreSQL database: enrolls plants, ingests their
/// pushes (`ingest`), witnesses their checkpoints, raises alarms, and keeps its own signed
/// log. The HTTP routes and the CLI are thin shells over it.
public struct FleetCentral: Sendable {
    public let database: FleetDatabase
    let keys: CentralKeys
    let log: CentralLog
    public let metrics: FleetMetrics
    let logger: Logger

    public var origin: String { keys.origin }
    public var logVerifierKey: NoteVerifierKey { keys.log.verifierKey }
    public var witnessKey: CosignerKey { keys.witness.key }
    public var reader: CentralLogReader { CentralLogReader(database: database) }

    enum MetaKey {
        static let format = "format"
        static let origin = "origin"
        static let logKey = "log_verifier_key"
        static let witnessKey = "witness_key"
    }

    private init(database: FleetDatabase, keys: CentralKeys, metrics: FleetMetrics, logger: Logger) {
        self.database = database
        self.keys = keys
        self.log = CentralLog(origin: keys.origin, signer: keys.log)
        self.metrics = metrics
        self.logger = logger
    }

    /// `fleet init`: migrates the schema, records the central's identity and public keys,
    /// and starts its log with `fleet.created` and a first signed checkpoint, in one
    /// transaction. Refuses a database that already has a central.
    public static func initialize(database: FleetDatabase, keys: CentralKeys, by admin: String,
                                  metrics: FleetMetrics = FleetMetrics(), logger: Logger) async throws(FleetError) -> FleetCentral {
        try await FleetMigrator.migrate(database)
        let central = FleetCentral(database: database, keys: keys, metrics: metrics, logger: logger)
        try await database.transaction("initializing the fleet database") { c in
            try await c.guardedQuery("LOCK TABLE fleet_meta IN EXCLUSIVE MODE", logger: logger)
            if let existing = try await readMeta(c, logger: logger)[MetaKey.origin] {
                throw FleetError.alreadyInitialized(origin: existing)
            }
            let meta = [(MetaKey.format, FleetSchema.formatTag), (MetaKey.origin, keys.origin),
                        (MetaKey.logKey, keys.log.verifierKey.encoded), (MetaKey.witnessKey, keys.witness.key.encoded)]
            for (key, value) in meta {
                try await c.guardedQuery("INSERT INTO fleet_meta(key, value) VALUES (\(key), \(value))", logger: logger)
            }
            try await CentralLog.createHead(c, logger: logger)
            _ = try await central.log.append(kind: CentralLog.Kind.created, actor: admin, subject: keys.origin, payload: [
                "origin": .string(keys.origin), "logKey": .string(keys.log.verifierKey.encoded),
                "witnessKey": .string(keys.witness.key.encoded), "format": .string(FleetSchema.formatTag),
            ], on: c, logger: logger)
        }
        return central
    }

    /// Opens an initialized database with its keys (`fleet serve`, `fleet enroll`): applies
    /// pending migrations of this release, refuses a newer schema, and refuses keys that
    /// are not the ones `fleet init` recorded.
    public static func open(database: FleetDatabase, keys: CentralKeys, metrics: FleetMetrics = FleetMetrics(),
                            logger: Logger) async throws(FleetError) -> FleetCentral {
        try await FleetMigrator.migrate(database)
        let meta = try await database.connection("reading the fleet identity") { c in try await readMeta(c, logger: logger) }
        guard meta[MetaKey.format] == FleetSchema.formatTag, let origin = meta[MetaKey.origin] else { throw .notInitialized }
        guard origin == keys.origin else { throw .keyMismatch(reason: "the database's central origin is \(origin), the log key's is \(keys.origin)") }
        guard meta[MetaKey.logKey] == keys.log.verifierKey.encoded else {
            throw .keyMismatch(reason: "the log key is not the one recorded (\(meta[MetaKey.logKey] ?? "none"))")
        }
        guard meta[MetaKey.witnessKey] == keys.witness.key.encoded else {
            throw .keyMismatch(reason: "the witness key is not the one recorded (\(meta[MetaKey.witnessKey] ?? "none"))")
        }
        return FleetCentral(database: database, keys: keys, metrics: metrics, logger: logger)
    }

    static func readMeta(_ c: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var meta: [String: String] = [:]
        for try await (k, v) in try await c.guardedQuery("SELECT key, value FROM fleet_meta", logger: logger).decode((String, String).self) {
            meta[k] = v
        }
        return meta
    }
}
