import Foundation

/// Each plant's changes as fleet rows, kept between queries. A row's status depends on the
/// plant's records (keyed by the plant's stored size) and on the time only where the time
/// crosses an undecided change's deadline (pending ↔ expired; `ApprovalPolicy.evaluate`
/// reads `now` nowhere else). So rows evaluated at one instant hold for every instant in
/// `(validAfter, validThrough]`, and a query inside that window re-evaluates no policy.
actor PlantChangeRowsCache {
    struct Rows: Sendable {
        let size: Int
        /// The latest deadline already passed when the rows were made (distantPast if none).
        let validAfter: Date
        /// The earliest deadline not yet passed (distantFuture if none).
        let validThrough: Date
        let rows: [FleetChange]

        func holds(size: Int, at now: Date) -> Bool { self.size == size && now > validAfter && now <= validThrough }
    }

    private var plants: [String: Rows] = [:]

    func rows(origin: String, size: Int, at now: Date) -> [FleetChange]? {
        guard let cached = plants[origin], cached.holds(size: size, at: now) else { return nil }
        return cached.rows
    }

    func store(_ rows: Rows, origin: String) {
        // A slower query that read an older size must not replace newer rows.
        if let cached = plants[origin], cached.size > rows.size { return }
        plants[origin] = rows
    }
}
