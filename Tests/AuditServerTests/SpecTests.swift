import AuditServer
import Foundation
import Testing
import Yams

/// The routes are hand-written (DESIGN allows it when generated code is too slow to build
/// here); this proves Schemas/openapi.yaml and the router list exactly the same operations:
/// method, path and operationId.
@Suite struct SpecTests {
    @Test func specAndRoutesListTheSameOperations() async throws {
        let text = try String(contentsOfFile: ServerFixture.specPath, encoding: .utf8)
        let spec = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((spec["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(spec["paths"] as? [String: Any])
        var documented: Set<APIOperation> = []
        for (path, item) in paths {
            for (method, op) in try #require(item as? [String: Any]) {
                let id = try #require((op as? [String: Any])?["operationId"] as? String, "\(method) \(path) has no operationId")
                documented.insert(APIOperation(method: method, path: path, operationID: id))
            }
        }
        let f = try await ServerFixture.make(changes: 0)
        let server = try AuditServerApp(options: f.options())
        defer { server.shutdown() }
        _ = try server.application(logger: .init(label: "spec"))
        let served = Set(server.operations)
        #expect(served.count == server.operations.count, "an operation is registered twice")
        #expect(served.subtracting(documented).isEmpty, "served but not in the spec: \(served.subtracting(documented).sorted { $0.description < $1.description })")
        #expect(documented.subtracting(served).isEmpty, "in the spec but not served: \(documented.subtracting(served).sorted { $0.description < $1.description })")
        #expect(served.count >= 30)
    }
}
