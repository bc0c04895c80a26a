@testable import AuditFleetCentral
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing
import Yams

/// Schemas/fleet-openapi.yaml is the contract of `auditctl fleet serve`: the routes are
/// hand-written, so this proves the spec and the router list the same operations, and
/// schemathesis checks the live service (with real plants' records mirrored) against it.
@Suite(.serialized) struct FleetSpecTests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Schemas/fleet-openapi.yaml").path

    struct Operation: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method.uppercased()) \(path)" }
    }

    static func documented() throws -> (operations: Set<Operation>, ids: [String]) {
        let spec = try #require(try Yams.load(yaml: String(contentsOfFile: specPath, encoding: .utf8)) as? [String: Any])
        #expect((spec["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(spec["paths"] as? [String: Any])
        var operations: Set<Operation> = [], ids: [String] = []
        for (path, item) in paths {
            for (method, op) in try #require(item as? [String: Any]) {
                ids.append(try #require((op as? [String: Any])?["operationId"] as? String, "\(method) \(path) has no operationId"))
                operations.insert(Operation(method: method.lowercased(), path: path))
            }
        }
        return (operations, ids)
    }

    @Test func specAndRoutesListTheSameOperations() async throws {
        let (documented, ids) = try Self.documented()
        #expect(Set(ids).count == ids.count, "an operationId is used twice: \(ids.sorted())")
        try await FleetFixture.with { f in
            let served = try FleetServer(central: f.central, options: FleetServerOptions()).routes
                .map { Operation(method: $0.method.lowercased(), path: $0.path.hasPrefix("/") ? $0.path : "/" + $0.path) }
            #expect(Set(served).count == served.count, "a route is registered twice")
            let set = Set(served)
            #expect(set.subtracting(documented).isEmpty, "served but not in the spec: \(set.subtracting(documented).map(\.description).sorted())")
            #expect(documented.subtracting(set).isEmpty, "in the spec but not served: \(documented.subtracting(set).map(\.description).sorted())")
            #expect(set.count >= 13)
        }
    }

    static var schemathesis: String? {
        let candidates = ["/usr/local/bin/schemathesis", "/usr/bin/schemathesis", NSHomeDirectory() + "/.local/bin/schemathesis"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/schemathesis" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Two plants with changes, signatures and a deployment mirrored, so the query answers
    /// are not empty; schemathesis as a reader (with the token) generates requests for every
    /// operation: no 5xx, and every answer's status, content type and body are in the contract.
    @Test(.enabled(if: schemathesis != nil, "schemathesis run skipped: not installed (`make deps` installs it)"))
    func theLiveCentralConformsToItsOpenAPIContract() async throws {
        let plants = try await FleetQueryTests.makePlants()
        let directory = TemporaryDirectory("fleet-schemathesis")
        try await FleetQueryTests.withCentral([plants.a, plants.b]) { central in
            let token = "reader-token-" + Hex.encode(SecureRandom.bytes(16))
            var options = FleetServerOptions()
            options.port = 0
            options.queryTokenDigests = [SHA256.hash(Array(token.utf8)).bytes]
            try await FleetFixture.serve(central, options: options) { http in
                let tool = Self.schemathesis!, port = http.port
                let r = try await onOwnThread { try CommandRunner.run(tool, [
                    "run", Self.specPath, "--url", "http://127.0.0.1:\(port)",
                    "-H", "Authorization: Bearer \(token)",
                    "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                    "--phases", "examples,coverage,fuzzing", "--max-examples", "20", "--seed", "12", "--workers", "1", "--no-shrink",
                    "--report", "junit", "--report-dir", directory.file("report"),
                ], environment: ["NO_COLOR": "1", "PYTHONUNBUFFERED": "1"]) }
                let summary = r.stdout.split(separator: "\n").filter {
                    $0.contains("generated") || $0.contains("passed") || $0.contains("failed") || $0.contains("errors") || $0.contains("cases")
                }.suffix(6).joined(separator: "\n")
                print("schemathesis against fleet serve: exit \(r.status)\n\(summary)")
                #expect(r.status == 0, "schemathesis found problems:\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(2000))")
            }
        }
    }
}
