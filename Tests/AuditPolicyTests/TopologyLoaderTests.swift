import AuditCore
import Foundation
import Testing
@testable import AuditPolicy

/// Hostile or mistaken topology files: a clear error naming file and line, never a crash or hang.
@Suite struct TopologyLoaderTests {
    private let minimal = """
        version: 1
        site: {id: s, name: Site}
        zones:
          - id: a
            name: A
            purdueLevel: 3
            kind: operations
            slTarget: 2

        """

    private func loadError(_ yaml: String, file: String = "plant.yaml") -> YAMLInputError? {
        do {
            _ = try ZoneFixtures.parse(yaml, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func minimalTopologyLoads() throws {
        let topology = try ZoneFixtures.parse(minimal)
        #expect(topology.zones.map(\.id) == ["a"])
        #expect(topology.zones.first?.location == SourceLocation(file: "inline.yaml", line: 4))
    }

    @Test func unknownKeyNamesFileAndLine() throws {
        let error = try #require(loadError(minimal + "    purdue: 3\n"))
        #expect(error.file == "plant.yaml" && error.line == 9)
        #expect(error.message.contains("unknown key 'purdue'"))
        #expect(error.description.hasPrefix("plant.yaml:9:"))
    }

    @Test func emptyFileIsRefused() throws {
        let error = try #require(loadError(""))
        #expect(error.file == "plant.yaml")
        #expect(error.description.contains("empty") || error.description.contains("no document"))
    }

    @Test func aliasBombIsRefusedQuickly() throws {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "a\(level): &a\(level) [*a\(level == 1 ? "" : String(level - 1)), *a\(level == 1 ? "" : String(level - 1))]\n" }
        let start = Date()
        let error = try #require(loadError(yaml))
        #expect(error.line == 1)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func duplicateKeyNamesLine() throws {
        let error = try #require(loadError(minimal + "    kind: control\n"))
        #expect(error.line == 9)
        #expect(error.message.lowercased().contains("duplicate"))
    }

    @Test func fileOverSizeLimitIsRefused() throws {
        let padding = String(repeating: "#", count: Limits.maxYAMLBytes + 1)
        let error = try #require(loadError(minimal + padding))
        #expect(error.line == nil)
        #expect(error.message.contains("over the limit of \(Limits.maxYAMLBytes) bytes"))
    }

    @Test func oversizeFileOnDiskIsNotSlurped() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zones-big-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: UInt8(ascii: "#"), count: Limits.maxYAMLBytes + 10).write(to: url)
        #expect(throws: YAMLInputError.self) { try TopologyLoader.load(path: url.path) }
    }

    @Test func missingFileIsNotFound() {
        #expect(throws: PolicyFileError.notFound(path: "/nonexistent/plant.yaml")) {
            try TopologyLoader.load(path: "/nonexistent/plant.yaml")
        }
    }

    @Test func badValuesNameTheirLine() throws {
        let sixLevels = minimal.replacingOccurrences(of: "slTarget: 2", with: "slTarget: [1, 2, 3, 1, 2, 3]")
        #expect(try #require(loadError(sixLevels)).line == 8)
        let badLevel = minimal.replacingOccurrences(of: "purdueLevel: 3", with: "purdueLevel: 2.5")
        let error = try #require(loadError(badLevel))
        #expect(error.line == 6 && error.message.contains("3.5"))
        let typo = minimal.replacingOccurrences(of: "kind: operations", with: "kind: safty")
        #expect(try #require(loadError(typo)).message.contains("unknown value 'safty'"))
        let badID = minimal.replacingOccurrences(of: "id: a", with: "id: a>b")
        #expect(try #require(loadError(badID)).line == 4)
        let wrongVersion = minimal.replacingOccurrences(of: "version: 1", with: "version: 2")
        #expect(try #require(loadError(wrongVersion)).message.contains("unsupported topology version 2"))
    }

    @Test func conduitMustJoinExactlyTwoZones() throws {
        let yaml = minimal + """
            conduits:
              - id: c
                zones: [a, b, c]
                enforcingDevice: fw
                slAchieved: 2
                protocols: [{name: https, port: 443}]

            """
        let error = try #require(loadError(yaml))
        #expect(error.line == 11 && error.message.contains("exactly two zones"))
    }

    @Test func danglingReferencesBecomeFindingsWithFileAndLine() throws {
        let yaml = minimal + """
            conduits:
              - id: c
                zones: [a, ghost]
                enforcingDevice: fw
                slAchieved: 2
                protocols: [{name: https, port: 443}]
            flows:
              - {id: f, from: a, to: nowhere, protocol: https, purpose: telemetry}

            """
        let report = ZoneFixtures.evaluate(try ZoneFixtures.parse(yaml, file: "plant.yaml"))
        #expect(report.findings(.inconsistentDeclaration).map(\.message) == [
            "plant.yaml:10: conduit 'c' joins unknown zone 'ghost'",
            "plant.yaml:16: flow 'f' names unknown zone or asset 'nowhere'",
        ])
    }
}
