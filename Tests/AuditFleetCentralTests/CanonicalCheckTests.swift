import AuditCore
@testable import AuditFleetCentral
import Testing

/// The one-pass canonical proof never accepts what the full parse-and-reserialize check
/// refuses, and accepts the common case (canonical text without fractions).
@Suite struct CanonicalCheckTests {
    func fullCheck(_ text: String) -> Bool {
        guard let value = try? JSONValue.parse(Array(text.utf8)) else { return false }
        return value.canonicalBytes().elementsEqual(text.utf8)
    }

    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        mutating func string() -> String {
            let pieces = ["a", "Z", "é", "\u{1F600}", "\u{E000}", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{7F}", " ", "—", "key", "0"]
            return (0..<next(5)).map { _ in pieces[next(pieces.count)] }.joined()
        }
        mutating func value(_ depth: Int = 0) -> JSONValue {
            switch depth > 3 ? next(4) : next(7) {
            case 0: return .string(string())
            case 1: return .number([0, -1, 7, 123456789012345, -42, 0.5, 1e21, 1e-7, 100.25][next(9)])
            case 2: return [.bool(true), .bool(false), .null][next(3)]
            case 3: return .number(Double(next(1000)))
            case 4: return .array((0..<next(4)).map { _ in value(depth + 1) })
            default:
                var o: [String: JSONValue] = [:]
                for _ in 0..<next(5) { o[string()] = value(depth + 1) }
                return .object(o)
            }
        }
    }

    @Test func neverAcceptsWhatTheFullCheckRefuses() {
        var g = Generator(state: 0x5eed)
        var acceptedCanonical = 0, generated = 0
        for _ in 0..<3_000 {
            let canonical = g.value().canonicalString()
            #expect(fullCheck(canonical))
            let fast = CanonicalCheck.isCanonical(canonical)
            if fast { acceptedCanonical += 1 }
            generated += 1
            var variants = [" " + canonical, canonical + " ", canonical.replacingOccurrences(of: ",", with: ", "),
                            canonical.replacingOccurrences(of: ":", with: " :"), canonical.replacingOccurrences(of: "/", with: "\\/"),
                            canonical.replacingOccurrences(of: "\\u001", with: "\\u001".uppercased()),
                            canonical.replacingOccurrences(of: "\\u00", with: "\\u00".uppercased()),
                            canonical.replacingOccurrences(of: "0", with: "-0"), canonical.replacingOccurrences(of: "7", with: "07"),
                            canonical.replacingOccurrences(of: "7", with: "7.0"), canonical.replacingOccurrences(of: "\\n", with: "\\u000a"),
                            canonical.replacingOccurrences(of: "é", with: "\\u00e9"), String(canonical.dropLast())]
            // Swap the first two members of an object.
            if case .object(let o)? = try? JSONValue.parse(Array(canonical.utf8)), o.count >= 2 {
                let keys = o.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
                let a = "\(JSONValue.string(keys[0]).canonicalString()):\(o[keys[0]]!.canonicalString())"
                let b = "\(JSONValue.string(keys[1]).canonicalString()):\(o[keys[1]]!.canonicalString())"
                variants.append(canonical.replacingOccurrences(of: a + "," + b, with: b + "," + a))
            }
            for v in variants where CanonicalCheck.isCanonical(v) {
                #expect(fullCheck(v), "the quick check accepted non-canonical \(v)")
            }
        }
        // It must also be worth having: it proves most canonical texts itself (member names
        // with escapes, frequent in this generator and rare in ledgers, go to the full check).
        #expect(acceptedCanonical * 3 >= generated * 2, "\(acceptedCanonical) of \(generated)")
    }

    @Test func knownCases() {
        for yes in [#"{"a":1,"b":[true,false,null],"c":"x\"y\\z\n\u001f"}"#, #"[]"#, #"{}"#, #""é😀""#, #"-12"#, #"{"a":{},"b":{"":0}}"#,
                    "0.30000000000000004", "1e+21", "1e-7", "-0.5"] {
            #expect(CanonicalCheck.isCanonical(yes), "\(yes)")
            #expect(fullCheck(yes), "\(yes)")
        }
        for no in [#"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#, #"{ "a":1}"#, #"[1,]"#, #"01"#, #"-0"#, #""\/""#, #""\u000A""#, #""\u000a""#,
                   #""\u0041""#, "\"\u{01}\"", #"{"a":1}x"#, #"[1"#, #"tru"#, "1.0", "1E21", "1e21", "0.50", "-0.0", "1.", ".5"] {
            #expect(!CanonicalCheck.isCanonical(no), "\(no)")
        }
    }
}
