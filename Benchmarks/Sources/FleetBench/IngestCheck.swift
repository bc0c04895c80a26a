import AuditTesting

/// After a measured ingest: every plant's entries are stored once each, as the plant holds
/// them (count, distinct seqs and the central's size and root per plant).
enum IngestCheck {
    static func exactlyOnce(cluster: PostgresCluster, database: String, dataSet: PlantDataSet) throws {
        let rows = try cluster.rows(database: database, """
            SELECT p.origin, p.size, encode(p.root, 'hex'), count(e.seq), count(DISTINCT e.seq), coalesce(max(e.seq), -1)
            FROM plants p LEFT JOIN plant_entries e ON e.origin = p.origin GROUP BY p.origin, p.size, p.root
            """)
        let byOrigin = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Array($0.dropFirst())) })
        for plant in dataSet.plants {
            let size = try plant.ledger.store.size()
            let expected = [String(size), try plant.ledger.store.root().hex, String(size), String(size), String(size - 1)]
            guard byOrigin[plant.origin] == expected else {
                throw BenchFailure("\(plant.origin): the central holds \(byOrigin[plant.origin] ?? []), expected \(expected)")
            }
        }
    }
}
