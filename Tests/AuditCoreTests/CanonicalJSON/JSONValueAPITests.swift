import AuditCore
import Foundation
import Testing

@Suite struct JSONValueAPITests {
    @Test func typedAccessors() throws {
        let value = try JSONValue.parse(#"{"seq": 12, "ratio": 0.5, "kind": "change.proposed", "ok": true, "tags": ["a"], "meta": {}, "none": null}"#)
        #expect(value["seq"]?.int64Value == 12)
        #expect(value["ratio"]?.doubleValue == 0.5)
        #expect(value["ratio"]?.int64Value == nil)
        #expect(value["kind"]?.stringValue == "change.proposed")
        #expect(value["kind"]?.int64Value == nil)
        #expect(value["ok"]?.boolValue == true)
        #expect(value["tags"]?.arrayValue == ["a"])
        #expect(value["tags"]?[0] == "a")
        #expect(value["tags"]?[1] == nil)
        #expect(value["meta"]?.objectValue == [:])
        #expect(value["none"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value.stringValue == nil)
    }

    @Test func int64OnlyForExactSafeIntegers() {
        #expect(JSONValue.number(9_007_199_254_740_991).int64Value == 9_007_199_254_740_991)
        #expect(JSONValue.number(-9_007_199_254_740_991).int64Value == -9_007_199_254_740_991)
        #expect(JSONValue.number(9_007_199_254_740_992).int64Value == nil)
        #expect(JSONValue.number(1e300).int64Value == nil)
        #expect(JSONValue.number(-0.0).int64Value == 0)
        #expect(JSONValue.number(2.5).int64Value == nil)
    }

    @Test func prettyPrinter() {
        let value: JSONValue = ["b": [1, ["c": "d"]], "a": [], "e": [:], "€": "x\t"]
        let expected = """
            {
              "a": [],
              "b": [
                1,
                {
                  "c": "d"
                }
              ],
              "e": {},
              "€": "x\\t"
            }
            """
        #expect(value.prettyString() == expected)
        #expect(JSONValue.number(1e21).prettyString() == "1e+21")
    }

    struct Record: Codable, Equatable {
        let kind: String
        let seq: Int
        let approvers: [String]
        let ratio: Double?
    }

    @Test func codableBridge() throws {
        let record = Record(kind: "change.approved", seq: 7, approvers: ["qa", "ot"], ratio: 0.25)
        let value = try JSONValue(encoding: record)
        #expect(value.canonicalString() == #"{"approvers":["qa","ot"],"kind":"change.approved","ratio":0.25,"seq":7}"#)
        #expect(try value.decode(Record.self) == record)
        #expect(throws: DecodingError.self) { try JSONValue.string("x").decode(Record.self) }
    }

    @Test func encodingNonFiniteFails() {
        // JSONEncoder refuses NaN by default, so no NaN can slip into a JSONValue this way.
        #expect(throws: (any Error).self) { try JSONValue(encoding: [Double.nan]) }
    }

    @Test func literals() {
        let value: JSONValue = ["n": nil, "b": false, "i": 3, "d": 1.5, "s": "t", "a": [1, "x"]]
        #expect(value == .object([
            "n": .null, "b": .bool(false), "i": .number(3), "d": .number(1.5), "s": .string("t"),
            "a": .array([.number(1), .string("x")]),
        ]))
    }
}
