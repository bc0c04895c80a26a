import AuditCore
import AuditPolicy
import AuditRecords
import Foundation

/// A change at one plant, with where it stands under that plant's recorded policy.
public struct FleetChange: Sendable, Equatable {
    public let origin: String
    public let changeID: String
    public let changeType: String
    public let model: String
    public let version: String
    public let authorID: String
    public let targetZone: String?
    public let proposedAt: String
    /// approved, rejected, pending, expired or undecided (no policy in force at the plant).
    public let status: String
    /// Signatures still needed, per role (pending changes only).
    public let shortfalls: [Shortfall]
    /// When a pending change expires under the plant's policy.
    public let deadline: Date?
    public let signatures: Int
}

public struct ChangeFilter: Sendable, Equatable {
    public var plant: String?
    public var model: String?
    /// A status name, or nil for every change. Defaults to "pending": waiting for signatures.
    public var status: String? = "pending"

    public init(plant: String? = nil, model: String? = nil, status: String? = "pending") {
        self.plant = plant
        self.model = model
        self.status = status
    }

    public static let statuses: Set<String> = ["approved", "rejected", "pending", "expired", "undecided"]
}

extension FleetQueries {
    /// Changes across plants, oldest proposal first within each plant; by default those
    /// waiting for signatures, each with the roles still short and its deadline, evaluated
    /// with the plant's own recorded policy exactly as that plant's `change show` does.
    public func changes(_ filter: ChangeFilter, now: Date = Date()) async throws(FleetError) -> [FleetChange] {
        var out: [FleetChange] = []
        for (health, state) in try await states(plant: filter.plant) {
            let rows: [FleetChange]
            if let cached = await changeRows.rows(origin: health.origin, size: health.size, at: now) {
                rows = cached
            } else {
                let made = Self.changeRows(origin: health.origin, size: health.size, state: state, now: now)
                await changeRows.store(made, origin: health.origin)
                rows = made.rows
            }
            for row in rows {
                if let model = filter.model, row.model != model { continue }
                if let wanted = filter.status, row.status != wanted { continue }
                out.append(row)
            }
        }
        return out
    }

    /// Every change of one plant, oldest proposal first, evaluated at `now` (one policy
    /// evaluation per undecided change), with the window of instants the rows hold for.
    static func changeRows(origin: String, size: Int, state: RecordsState, now: Date) -> PlantChangeRowsCache.Rows {
        var rows: [FleetChange] = []
        var validAfter = Date.distantPast, validThrough = Date.distantFuture
        for change in state.changesInOrder {
            let content = change.current.content
            let evaluation = change.decision == nil ? state.policy?.evaluate(change.approvalFacts(now: now)) : nil
            if let evaluation {
                if now > evaluation.deadline { validAfter = max(validAfter, evaluation.deadline) }
                else { validThrough = min(validThrough, evaluation.deadline) }
            }
            let status = change.status(evaluation: evaluation, now: now)
            var shortfalls: [Shortfall] = []
            var deadline: Date?
            if case .pending(let short) = status {
                shortfalls = short.filter { $0.missing > 0 }
                deadline = evaluation?.deadline
            }
            rows.append(FleetChange(origin: origin, changeID: change.id, changeType: content.changeType.rawValue,
                                    model: content.model, version: content.modelVersion, authorID: content.authorID,
                                    targetZone: content.targetZone, proposedAt: change.current.time, status: status.name,
                                    shortfalls: shortfalls, deadline: deadline,
                                    signatures: change.currentSignatures.filter { $0.problem == nil }.count))
        }
        return PlantChangeRowsCache.Rows(size: size, validAfter: validAfter, validThrough: validThrough, rows: rows)
    }
}
