import AuditCore
import AuditCrypto
import AuditLedger
import Foundation
import NIOCore
import PostgresNIO

/// One thing `fleet verify` found wrong, named so an auditor can find the row.
public struct FleetAuditProblem: Sendable, Equatable, CustomStringConvertible {
    /// "central log" or a plant's origin.
    public let scope: String
    public let seq: Int?
    public let message: String

    public var description: String { "\(scope)\(seq.map { " seq \($0)" } ?? ""): \(message)" }
}

/// What `fleet verify` checked.
public struct FleetAuditReport: Sendable {
    public var problems: [FleetAuditProblem] = []
    public var plants = 0
    public var plantEntries = 0
    public var plantCheckpoints = 0
    public var cosignatures = 0
    public var centralEntries = 0
    public var centralCheckpoints = 0
    public var ok: Bool { problems.isEmpty }
}

/// Re-derives everything the central stores from the bytes it stores, trusting neither the
/// stored hashes nor the triggers (the database owner can disable those): every plant entry's
/// leaf hash and `prev` link recomputed from its columns, every stored plant checkpoint's root
/// recomputed from those leaves and its signature checked with the key the central's own
/// signed log says the plant was enrolled with, every cosignature checked with the witness
/// key, and the central log itself (chain, leaves, signed checkpoints) with its log key.
/// A row edited behind the central's back, a dropped entry or a swapped plant key is named.
public struct FleetAudit: Sendable {
    let database: FleetDatabase
    /// The central's keys as the auditor holds them (not as the database says).
    let logKey: NoteVerifierKey
    let witnessKey: CosignerKey

    public init(database: FleetDatabase, logKey: NoteVerifierKey, witnessKey: CosignerKey) {
        self.database = database
        self.logKey = logKey
        self.witnessKey = witnessKey
    }

    public func run(plant only: String? = nil) async throws(FleetError) -> FleetAuditReport {
        var report = FleetAuditReport()
        let enrolled = try await verifyCentralLog(&report)
        let plants = try await database.connection("listing plants") { c in
            var out: [(String, String, Int, [UInt8])] = []
            for try await (origin, key, size, root) in try await c.guardedQuery(
                "SELECT origin, verifier_key, size, root FROM plants ORDER BY origin", logger: database.logger
            ).decode((String, String, Int64, ByteBuffer).self) {
                out.append((origin, key, Int(size), root.bytes))
            }
            return out
        }
        for (origin, key, size, root) in plants where only == nil || only == origin {
            report.plants += 1
            try await verifyPlant(origin: origin, storedKey: key, size: size, storedRoot: root, enrolled: enrolled, &report)
        }
        for (origin, key) in enrolled where !plants.contains(where: { $0.0 == origin }) && (only == nil || only == origin) {
            report.problems.append(FleetAuditProblem(scope: origin, seq: nil,
                                                     message: "enrolled in the central log with \(key) but missing from the plants table"))
        }
        return report
    }
}
