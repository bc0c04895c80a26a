// swift-tools-version:6.1
// Benchmarks live in their own package so CI's build of the main package stays light.
// Run them with `make bench` (see README); each reports ratios to a baseline measured in
// the same run, because absolute figures on these shared machines are noise.
import PackageDescription

let package = Package(
    name: "auditctl-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "auditctl", path: ".."),
        // Raw SQLite baselines use the same libsqlite3 through GRDB's system-library module.
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // FleetBench's raw COPY baseline and its in-process central: the main package's versions.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .executableTarget(name: "LedgerBench", dependencies: [
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "BundleBench", dependencies: [
            .product(name: "AuditBundle", package: "auditctl"),
            .product(name: "AuditCrypto", package: "auditctl"),
            .product(name: "AuditCore", package: "auditctl"),
        ]),
        .executableTarget(name: "ExportBench", dependencies: [
            .product(name: "AuditExport", package: "auditctl"),
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The ledger ServerBench serves and ServerLayers dissects, built the same way for both.
        .target(name: "ServerBenchSupport", dependencies: [
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
        ]),
        // HTTP service under wrk: ledger routes against a trivial route of the same server.
        .executableTarget(name: "ServerBench", dependencies: [
            "ServerBenchSupport",
            .product(name: "AuditServer", package: "auditctl"),
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
        ]),
        // The central fleet service: ingest from 50 plants over HTTP against raw COPY, fleet queries.
        .executableTarget(name: "FleetBench", dependencies: [
            .product(name: "AuditFleetCentral", package: "auditctl"),
            .product(name: "AuditFleet", package: "auditctl"),
            .product(name: "AuditCrypto", package: "auditctl"),
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditBundle", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Where a ledger request's time goes, layer by layer (hop, version query, SQL, JSON).
        .executableTarget(name: "ServerLayers", dependencies: [
            "ServerBenchSupport",
            .product(name: "AuditServer", package: "auditctl"),
            .product(name: "AuditRecords", package: "auditctl"),
            .product(name: "AuditLedger", package: "auditctl"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "ZoneBench", dependencies: [
            .product(name: "AuditPolicy", package: "auditctl"),
            .product(name: "AuditTesting", package: "auditctl"),
        ]),
    ]
)
