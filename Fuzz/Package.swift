// swift-tools-version:6.1
// libFuzzer harnesses, one executable per parser, in their own package so the sanitizer
// build never touches CI's normal build. Build (see Fuzz/README.md):
//
//     swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
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
        .executableTarget(name: "FuzzJSON", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzApprovalPolicy", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzTopology", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzZoneRules", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzSignatureFile", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzStatement", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzApprovalProof", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzTrustRoot", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzEdgeState", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzSignedNote", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
        .executableTarget(name: "FuzzNoteKeys", dependencies: [.product(name: "AuditFuzzing", package: "auditctl")]),
    ]
)
