import AuditCore
import Foundation
import PostgresNIO

/// One mirrored plant entry, as the plant hashed it.
public struct FleetEntry: Sendable, Equatable {
    public let origin: String
    public let seq: Int
    public let time: String
    public let kind: String
    public let actor: String
    public let subject: String
    /// RFC 8785 text of the payload.
    public let payload: String
}

/// A page of entries and where the next one starts (nil on the last page).
public struct FleetEntryPage: Sendable, Equatable {
    public let entries: [FleetEntry]
    public let next: FleetEntryCursor?
}

/// Position after the last entry of a page: entries are ordered by plant origin, then seq.
/// Opaque to clients (base64url of `origin\nseq`), so origins with any characters page safely.
public struct FleetEntryCursor: Sendable, Equatable {
    public let origin: String
    public let seq: Int

    public init(origin: String, seq: Int) {
        self.origin = origin
        self.seq = seq
    }

    public var token: String {
        Base64.encode(Array("\(origin)\n\(seq)".utf8)).replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public init(token: String) throws(FleetError) {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.utf8.count % 4 != 0 { b64 += "=" }
        guard token.utf8.count <= 4096, let raw = Base64.decode(b64), let text = String(validating: raw, as: UTF8.self),
              let newline = text.lastIndex(of: "\n"), let seq = Int(text[text.index(after: newline)...]), seq >= 0 else {
            throw .invalidInput(field: "after", reason: "not a cursor this service issued")
        }
        self.init(origin: String(text[..<newline]), seq: seq)
    }
}

extension FleetQueries {
    public static let maxPageSize = 1_000

    /// Every entry about `model` across plants: the entries whose subject is one of that
    /// model's changes at the plant (proposals, signatures, decisions, notes, deployments).
    /// The change IDs come from each plant's replayed state, so a change ID reused by two
    /// plants for different models never mixes them up.
    public func entries(model: String, plant: String? = nil, after: FleetEntryCursor? = nil,
                        limit: Int = 100) async throws(FleetError) -> FleetEntryPage {
        guard (1...Self.maxPageSize).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be in 1...\(Self.maxPageSize)")
        }
        var origins: [String] = [], subjects: [String] = []
        for (health, state) in try await states(plant: plant) {
            for change in state.changesInOrder where change.versions.contains(where: { $0.content.model == model }) {
                origins.append(health.origin)
                subjects.append(change.id)
            }
        }
        guard !origins.isEmpty else { return FleetEntryPage(entries: [], next: nil) }
        // Plant by plant in origin order, each read from the subject index and stopped at the
        // page's size: a page costs the model's rows of the plants it lists. (One join over
        // every plant's subjects sorted all of the model's rows fleet-wide for every page:
        // seconds per page at 50 plants × 20,000 entries, Benchmarks/README.md.)
        var byOrigin: [String: [String]] = [:]
        for (origin, subject) in zip(origins, subjects) { byOrigin[origin, default: []].append(subject) }
        var rows: [FleetEntry] = []
        for origin in byOrigin.keys.sorted() where after.map({ origin >= $0.origin }) ?? true {
            let afterSeq = Int64(origin == after?.origin ? after?.seq ?? -1 : -1)
            let fetch = Int64(limit + 1 - rows.count)
            let subjects = byOrigin[origin] ?? []
            rows += try await database.connection("listing the entries of model \(model)") { c in
                let result = try await c.guardedQuery("""
                    SELECT e.origin, e.seq, e.time, e.kind, e.actor, e.subject, e.payload FROM plant_entries e
                    WHERE e.origin = \(origin) AND e.subject = ANY(\(subjects)) AND e.seq > \(afterSeq)
                    ORDER BY e.seq LIMIT \(fetch)
                    """, logger: database.logger)
                var out: [FleetEntry] = []
                for try await (origin, seq, time, kind, actor, subject, payload)
                    in result.decode((String, Int64, String, String, String, String, String).self) {
                    out.append(FleetEntry(origin: origin, seq: Int(seq), time: time, kind: kind, actor: actor, subject: subject, payload: payload))
                }
                return out
            }
            if rows.count > limit { break }
        }
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { FleetEntryCursor(origin: $0.origin, seq: $0.seq) } : nil
        return FleetEntryPage(entries: page, next: next)
    }
}
