// swift-tools-version:6.1
// libFuzzer harnesses, one executable per parser, in their own package so the sanitizer
// build never touches CI's normal build. Build (see Fuzz/README.md):
//
//     swift build -c release -Xswiftc -sanitize=fuzzer,address
//
// Each harness body lives in the main package's AuditFuzzing library, which the test suite
// also runs over the committed corpus (Tests/Fuzz/<target>/).
import PackageDescription

let package = Package(
    name: "auditctl-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "auditctl", path: ".."),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .executableTarget(name: "FuzzJSON", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzApprovalPolicy", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzTopology", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzZoneRules", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzSignatureFile", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzStatement", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzApprovalProof", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzTrustRoot", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzEdgeState", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzSignedNote", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzNoteKeys", dependencies: ["CLibFuzzer", .product(name: "AuditFuzzing", package: "auditctl")]),
    ]
)
