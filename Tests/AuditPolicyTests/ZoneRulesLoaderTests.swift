import Foundation
import Testing
@testable import AuditPolicy

@Suite struct ZoneRulesLoaderTests {
    @Test func shippedRulesFileEqualsBuiltInDefaults() throws {
        #expect(try ZoneRulesLoader.load(path: ZoneFixtures.rulesPath) == ZoneRuleSet.defaults)
    }

    @Test func siteTunesSeverityAndThreshold() throws {
        let yaml = """
            version: 1
            rules:
              ZR-006:
                severity: critical
                minimumBoundarySL: 3
            """
        let rules = try ZoneRulesLoader.parse(Array(yaml.utf8), file: "site-rules.yaml")
        #expect(rules.severity(of: .cleartextBoundary) == .critical)
        #expect(rules.cleartext.minimumBoundarySL == 3)
        #expect(rules.severity(of: .dmzBypass) == ZoneRuleSet.defaults.severity(of: .dmzBypass))
    }

    @Test func rulesCannotBeSwitchedOff() throws {
        let yaml = "version: 1\nrules:\n  ZR-007:\n    enabled: false\n"
        #expect {
            try ZoneRulesLoader.parse(Array(yaml.utf8), file: "site-rules.yaml")
        } throws: { error in
            let error = error as? YAMLInputError
            return error?.line == 4 && error?.message.contains("waiver") == true
        }
    }

    @Test func unknownRuleAndParameterAreErrors() throws {
        let unknownRule = "version: 1\nrules:\n  ZR-999:\n    severity: low\n"
        #expect(throws: YAMLInputError.self) { try ZoneRulesLoader.parse(Array(unknownRule.utf8), file: "r.yaml") }
        let unknownParameter = "version: 1\nrules:\n  ZR-001:\n    dmzKinds: [dmz]\n"
        #expect {
            try ZoneRulesLoader.parse(Array(unknownParameter.utf8), file: "r.yaml")
        } throws: { error in
            (error as? YAMLInputError)?.line == 4
        }
    }
}
