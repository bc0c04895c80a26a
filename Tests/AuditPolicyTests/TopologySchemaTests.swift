import Foundation
import Testing
@testable import AuditPolicy

/// The JSON Schemas document exactly the keys the loaders accept, so neither drifts.
@Suite struct TopologySchemaTests {
    private func schema(_ name: String) throws -> [String: Any] {
        let url = ZoneFixtures.repositoryRoot.appendingPathComponent("Schemas/\(name)")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    private func keys(_ object: Any?) -> Set<String> {
        Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test func topologySchemaMatchesLoaderKeys() throws {
        let root = try schema("topology.schema.json")
        let defs = try #require(root["$defs"] as? [String: Any])
        let zone = defs["zone"] as? [String: Any]
        let conduit = defs["conduit"] as? [String: Any]
        let assetItems = ((zone?["properties"] as? [String: Any])?["assets"] as? [String: Any])?["items"]
        let protocolItems = ((conduit?["properties"] as? [String: Any])?["protocols"] as? [String: Any])?["items"]
        #expect(keys(root) == Set(TopologyLoader.Keys.root))
        #expect(keys((root["properties"] as? [String: Any])?["site"]) == Set(TopologyLoader.Keys.site))
        #expect(keys(zone) == Set(TopologyLoader.Keys.zone))
        #expect(keys(assetItems) == Set(TopologyLoader.Keys.asset))
        #expect(keys(conduit) == Set(TopologyLoader.Keys.conduit))
        #expect(keys(protocolItems) == Set(TopologyLoader.Keys.protocolEntry))
        #expect(keys(defs["flow"]) == Set(TopologyLoader.Keys.flow))
    }

    @Test func rulesSchemaMatchesLoaderParameters() throws {
        let root = try schema("zone-rules.schema.json")
        let rules = try #require((root["properties"] as? [String: Any])?["rules"] as? [String: Any])
        let perRule = try #require(rules["properties"] as? [String: Any])
        #expect(Set(perRule.keys) == Set(ZoneRuleID.allCases.map(\.rawValue)))
        for rule in ZoneRuleID.allCases {
            let expected = Set(["severity"] + (ZoneRulesLoader.parameterKeys[rule] ?? []))
            let entry = perRule[rule.rawValue] as? [String: Any]
            let actual = entry?["$ref"] != nil ? ["severity"] : keys(entry)
            #expect(actual == expected, "\(rule.rawValue)")
        }
    }
}
