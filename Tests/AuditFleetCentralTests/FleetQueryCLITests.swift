import AuditCore
import AuditRecords
import AuditTesting
import Foundation
import Testing

/// The fleet queries as a QA head uses them: `auditctl fleet serve --query-token-file`, a plant
/// pushed with `auditctl fleet push`, then `auditctl fleet query …` and the raw routes.
@Suite struct FleetQueryCLITests {
    @Test func aQAHeadSeesTheWaitingChangeOnlyWithAReaderToken() async throws {
        let s = try FleetCommandTests.Setup()
        #expect(try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir]).status == 0)
        let plant = try await TestRecords.make(origin: "basel.example/records")
        _ = try await plant.propose(.promote, id: "chg-basel-7", version: "4.2")
        #expect(try s.auditctl(["fleet", "enroll", "--origin", "basel.example/records", "--log-key", plant.home.verifierKeyPath,
                                "--key-dir", s.keyDir]).status == 0)
        let token = "reader-token-\(UUID().uuidString)"
        let tokenFile = s.directory.file("readers.tokens")
        try "\(token)\nsecond-reader-token-0123456789\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let server = try ServedCentral(arguments: ["fleet", "serve", "--listen", "127.0.0.1:0", "--key-dir", s.keyDir,
                                                   "--query-token-file", tokenFile], environment: s.environment)
        defer { server.stop() }
        let port = try await server.port()
        let url = "http://127.0.0.1:\(port)"

        let push = try s.auditctl(["fleet", "push", "--to", url, "--witness-key", s.keyDir + "/witness.vkey",
                                   "--data-dir", plant.home.directory])
        #expect(push.status == 0, "\(push)")

        // The auditor's check of the database, with the central's public keys.
        let verified = try s.auditctl(["fleet", "verify", "--key-dir", s.keyDir])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.hasPrefix("ok: 1 plants, \(try plant.store.size()) entries"))

        let myToken = s.directory.file("my.token")
        try token.write(toFile: myToken, atomically: true, encoding: .utf8)
        let changes = try s.auditctl(["fleet", "query", "changes", "--url", url, "--token-file", myToken])
        #expect(changes.status == 0, "\(changes)")
        #expect(changes.stdout.contains("basel.example/records") && changes.stdout.contains("chg-basel-7"))
        #expect(changes.stdout.contains("waiting for"))

        let plants = try s.auditctl(["fleet", "query", "plants", "--url", url, "--token-file", myToken, "--json"])
        let json = try JSONValue.parse(Array(plants.stdout.utf8))
        let first = json["plants"]?.arrayValue?.first
        #expect(first?["origin"]?.stringValue == "basel.example/records")
        #expect(first?["size"]?.int64Value == Int64(try plant.store.size()))
        #expect(first?["status"]?.stringValue == "ok")

        let entries = try s.auditctl(["fleet", "query", "entries", "--model", "vision-qc", "--url", url, "--token-file", myToken, "--json"])
        let listed = try JSONValue.parse(Array(entries.stdout.utf8))["entries"]?.arrayValue ?? []
        #expect(listed.count == (try plant.store.entries().filter { $0.subject == "chg-basel-7" }.count))

        // No token, a wrong token, a malformed cursor.
        let http = RawHTTP(port: port)
        #expect(try await http.get("/fleet/v1/changes").status == 401)
        #expect(try await http.get("/fleet/v1/changes", headers: ["Authorization": "Bearer wrong-token-wrong-token"]).status == 401)
        #expect(try await http.get("/fleet/v1/entries?model=x&after=%%%", headers: ["Authorization": "Bearer \(token)"]).status == 400)
        let wrongFile = s.directory.file("wrong.token")
        try "wrong-token-wrong-token".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let refused = try s.auditctl(["fleet", "query", "plants", "--url", url, "--token-file", wrongFile])
        #expect(refused.status == 5, "\(refused)")
        let metrics = try await http.get("/metrics")
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("auditctl_fleet_query_auth_failures_total 3"))
    }

    @Test func withoutReaderTokensTheQueriesAreClosed() async throws {
        let s = try FleetCommandTests.Setup()
        #expect(try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir]).status == 0)
        let server = try ServedCentral(arguments: ["fleet", "serve", "--listen", "127.0.0.1:0", "--key-dir", s.keyDir],
                                       environment: s.environment)
        defer { server.stop() }
        let answer = try await RawHTTP(port: try await server.port()).get("/fleet/v1/plants", headers: ["Authorization": "Bearer anything-at-all-123"])
        #expect(answer.status == 401)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("closed"))
    }

    @Test func aScrapeWithoutTheMetricsTokenIsRefusedAndCounted() async throws {
        let s = try FleetCommandTests.Setup()
        #expect(try s.auditctl(["fleet", "init", "--origin", "fleet.example/central", "--key-dir", s.keyDir]).status == 0)
        let tokenFile = s.directory.file("metrics.token")
        let token = "scraper-token-0123456789abcdef"
        _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
        let server = try ServedCentral(arguments: ["fleet", "serve", "--listen", "127.0.0.1:0", "--key-dir", s.keyDir,
                                                   "--metrics-token-file", tokenFile], environment: s.environment)
        defer { server.stop() }
        let http = RawHTTP(port: try await server.port())
        #expect(try await http.get("/metrics").status == 401)
        #expect(try await http.get("/metrics", headers: ["Authorization": "Bearer \(token)x"]).status == 401)
        let scraped = try await http.get("/metrics", headers: ["Authorization": "Bearer \(token)"])
        #expect(scraped.status == 200)
        #expect(String(decoding: scraped.body, as: UTF8.self).contains("auditctl_fleet_metrics_auth_failures_total 2"))
    }
}
