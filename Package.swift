// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "auditctl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "auditctl", targets: ["auditctl"]),
        .library(name: "AuditCore", targets: ["AuditCore"]),
        .library(name: "AuditCrypto", targets: ["AuditCrypto"]),
        .library(name: "AuditLedger", targets: ["AuditLedger"]),
        .library(name: "AuditPolicy", targets: ["AuditPolicy"]),
        .library(name: "AuditRecords", targets: ["AuditRecords"]),
        .library(name: "AuditBundle", targets: ["AuditBundle"]),
        .library(name: "AuditExport", targets: ["AuditExport"]),
        .library(name: "AuditCLI", targets: ["AuditCLI"]),
        .library(name: "AuditServer", targets: ["AuditServer"]),
        .library(name: "AuditFleet", targets: ["AuditFleet"]),
        .library(name: "AuditFleetCentral", targets: ["AuditFleetCentral"]),
        .library(name: "AuditTesting", targets: ["AuditTesting"]),
        .library(name: "AuditFuzzing", targets: ["AuditFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "AuditCore"),
        // Safe local file access for every module that reads a path it was given: regular
        // files only, non-blocking opens, size bounds before reading, umask-proof modes.
        .target(name: "AuditFiles"),
        .target(
            name: "AuditCrypto",
            dependencies: ["AuditCore", "CSodium", "CCrypto"]
        ),
        .target(
            name: "AuditLedger",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AuditPolicy",
            dependencies: ["AuditCore", "AuditCrypto", "AuditFiles", "Yams"]
        ),
        // People, keys, changes and e-signatures: state derived from ledger entries.
        .target(
            name: "AuditRecords",
            dependencies: ["AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditPolicy"]
        ),
        // Model update bundles: manifest, DSSE envelopes, parallel hashing, offline verifier.
        .target(
            name: "AuditBundle",
            dependencies: ["AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditPolicy", "AuditRecords"]
        ),
        // Regulator exports: a printable report plus machine-verifiable evidence in one ZIP,
        // and the offline verifier of such a ZIP.
        .target(
            name: "AuditExport",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditPolicy", "AuditRecords",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // `auditctl serve`: JSON API, reviewer pages, sessions, metrics. The only place
        // errors map to HTTP statuses; every action goes through RecordsService.
        .target(
            name: "AuditServer",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditLedger", "AuditPolicy", "AuditRecords", "AuditBundle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fleet protocol shared by plants and the central service: the push format (entries,
        // checkpoint, consistency proof) and the plant-side push builder. Docs/fleet.md.
        .target(
            name: "AuditFleet",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The central fleet service (`auditctl fleet serve`): PostgreSQL store of every
        // enrolled plant's entries and checkpoints, push ingest with C2SP tlog-witness
        // semantics, fork/rollback alarms, and the central's own signed log. Docs/fleet.md.
        .target(
            name: "AuditFleetCentral",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditRecords", "AuditFleet", "AuditServer",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AuditCLI",
            dependencies: [
                "AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditPolicy", "AuditRecords", "AuditBundle", "AuditExport", "AuditServer",
                "AuditFleet", "AuditFleetCentral",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "auditctl", dependencies: ["AuditCLI"]),
        // Used by the crash test only: appends from concurrent writers until SIGKILLed.
        .executableTarget(name: "LedgerStressAppender", dependencies: ["AuditLedger"]),
        .target(
            name: "AuditTesting",
            dependencies: ["AuditCore", "AuditCrypto", "AuditFiles", "AuditLedger", "AuditPolicy", "AuditRecords", "AuditBundle", "AuditFleet"]
        ),
        // Fuzz harness bodies (parse, write, re-parse properties). libFuzzer runs them from the
        // separate Fuzz/ package (`make fuzz`); AuditFuzzingTests replays Tests/Fuzz in CI.
        .target(
            name: "AuditFuzzing",
            dependencies: ["AuditCore", "AuditCrypto", "AuditPolicy", "AuditBundle"]
        ),
        .testTarget(name: "AuditCoreTests", dependencies: ["AuditCore", "AuditTesting"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "AuditCryptoTests", dependencies: ["AuditCrypto", "AuditTesting"]),
        .testTarget(name: "AuditLedgerTests", dependencies: ["AuditLedger", "AuditTesting", "LedgerStressAppender"]),
        .testTarget(name: "AuditPolicyTests", dependencies: ["AuditPolicy", "AuditTesting"]),
        .testTarget(name: "AuditRecordsTests", dependencies: ["AuditRecords", "AuditTesting"]),
        .testTarget(name: "AuditBundleTests", dependencies: ["AuditBundle", "AuditRecords", "AuditTesting"], exclude: ["Interop"]),
        .testTarget(name: "AuditExportTests", dependencies: [
            "AuditExport", "AuditRecords", "AuditBundle", "AuditTesting", "auditctl",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "AuditCLITests", dependencies: ["AuditCLI", "AuditTesting", "auditctl"]),
        .testTarget(name: "AuditFuzzingTests", dependencies: ["AuditFuzzing", "AuditCore"]),
        .testTarget(name: "AuditFleetTests", dependencies: ["AuditFleet", "AuditTesting"]),
        .testTarget(name: "AuditFleetCentralTests", dependencies: [
            "AuditFleetCentral", "AuditFleet", "AuditTesting", "AuditRecords", "AuditBundle", "auditctl", "Yams",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "AuditFilesTests", dependencies: ["AuditFiles", "AuditTesting"]),
        .testTarget(name: "AuditServerTests", dependencies: [
            "AuditServer", "AuditTesting", "auditctl", "Yams",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["Browser"]),
    ]
)
