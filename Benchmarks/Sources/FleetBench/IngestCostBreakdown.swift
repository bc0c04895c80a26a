import AuditFleet
import Foundation

/// Where a central's ingest time goes, per entry on one core, measured on the same push
/// bodies: decoding the JSON push (Foundation's JSONDecoder, as the central does) and
/// checking each entry (payload parsed and re-serialized to prove it canonical, then the
/// RFC 9162 leaf hash). Both must happen before a single row reaches PostgreSQL; set beside
/// the raw COPY's cost per row they show how much of the gap is parsing.
enum IngestCostBreakdown {
    struct Costs {
        let decodeMicros: Double
        let checkMicros: Double
    }

    static func measure(_ dataSet: PlantDataSet, sampleBodies: Int = 8) throws -> Costs {
        let bodies = dataSet.plants.prefix(sampleBodies).compactMap(\.pushes.first)
        var entries = 0
        var decodeSeconds = 0.0, checkSeconds = 0.0
        for body in bodies {
            let start = ContinuousClock.now
            let push = try JSONDecoder().decode(FleetPush.self, from: Data(body))
            decodeSeconds += seconds(since: start)
            let checked = ContinuousClock.now
            for entry in push.entries { _ = try entry.leafHash() }
            checkSeconds += seconds(since: checked)
            entries += push.entries.count
        }
        return Costs(decodeMicros: decodeSeconds / Double(entries) * 1e6, checkMicros: checkSeconds / Double(entries) * 1e6)
    }
}
