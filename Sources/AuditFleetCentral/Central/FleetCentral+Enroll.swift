import AuditCore
import AuditCrypto
import AuditLedger
import NIOCore
import PostgresNIO

/// A plant as the central knows it.
public struct EnrolledPlant: Sendable, Equatable {
    public let origin: String
    public let displayName: String?
    public let verifierKey: String
    public let enrolledBy: String
    /// Entries stored and the root of the stored tree.
    public let size: Int
    public let root: Digest
    /// The newest checkpoint the central accepted (a signed note), if any.
    public let checkpoint: String?
    public let alarmCount: Int
}

extension FleetCentral {
    /// Enrolls a plant: from now on its pushes are accepted when signed by `verifierKey`.
    /// Recorded as `plant.enrolled` in the central's log, in the same transaction. A plant
    /// is enrolled once: its key is what every later alarm is judged by.
    @discardableResult
    public func enroll(origin: String, verifierKey: NoteVerifierKey, name: String?, by admin: String) async throws(FleetError) -> Int {
        guard !origin.isEmpty, !origin.contains("\n") else { throw .invalidInput(field: "--origin", reason: "must be one non-empty line") }
        guard verifierKey.name == origin else {
            throw .invalidInput(field: "--log-key", reason: "the key is named \(verifierKey.name), not the plant's origin \(origin) (auditctl names a log's key after its origin)")
        }
        guard !admin.isEmpty else { throw .invalidInput(field: "--by", reason: "must name the admin who enrolls the plant") }
        let zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 32))
        let emptyRoot = ByteBuffer(bytes: MerkleHash.emptyRoot.bytes)
        return try await database.transaction("enrolling plant \(origin)") { c in
            let exists = try await c.guardedQuery("SELECT 1 FROM plants WHERE origin = \(origin)", logger: logger).collect()
            guard exists.isEmpty else { throw FleetError.alreadyEnrolled(origin: origin) }
            var payload: [String: JSONValue] = ["origin": .string(origin), "verifierKey": .string(verifierKey.encoded)]
            if let name { payload["name"] = .string(name) }
            let appended = try await log.append(kind: CentralLog.Kind.plantEnrolled, actor: admin, subject: origin,
                                                payload: .object(payload), on: c, logger: logger)
            do {
                try await c.guardedQuery("""
                    INSERT INTO plants(origin, display_name, verifier_key, enrolled_by, enrolled_seq, size, root, last_leaf, frontier)
                    VALUES (\(origin), \(name), \(verifierKey.encoded), \(admin), \(Int64(appended.seq)), 0, \(emptyRoot), \(zeros), \(ByteBuffer()))
                    """, logger: logger)
            } catch let error where FleetDatabase.sqlState(error) == "23505" {
                throw FleetError.alreadyEnrolled(origin: origin)
            }
            return appended.seq
        }
    }

    /// The enrolled plant with this origin, or nil.
    public func plant(_ origin: String) async throws(FleetError) -> EnrolledPlant? {
        try await database.connection("reading plant \(origin)") { c in
            let rows = try await c.guardedQuery("""
                SELECT origin, display_name, verifier_key, enrolled_by, size, root, checkpoint, alarm_count
                FROM plants WHERE origin = \(origin)
                """, logger: logger).collect()
            guard let row = rows.first else { return nil }
            let (o, name, key, by, size, root, checkpoint, alarms) =
                try row.decode((String, String?, String, String, Int64, ByteBuffer, String?, Int64).self)
            guard let digest = Digest(bytes: root.bytes) else {
                throw FleetError.database(operation: "reading plant \(origin)", message: "the stored root is malformed")
            }
            return EnrolledPlant(origin: o, displayName: name, verifierKey: key, enrolledBy: by, size: Int(size),
                                 root: digest, checkpoint: checkpoint, alarmCount: Int(alarms))
        }
    }
}
