import AuditBundle
import AuditCore
import AuditCrypto
import AuditTesting
import Foundation
import Testing

/// The trust root's optional `witnesses` and `witnessQuorum`: round trip, the same strict
/// parsing as every other field, and files without them written byte for byte as before.
@Suite("Trust root witnesses")
struct TrustRootWitnessTests {
    static let central = try! Cosigner(name: "central.example/witness", privateKey: .generate())
    static let second = try! Cosigner(name: "auditor.example/witness", privateKey: .generate())

    @Test func witnessesAndQuorumRoundTrip() throws {
        let f = try BundleFixture()
        f.trust.witnesses = [Self.central.key, Self.second.key]
        f.trust.witnessQuorum = 2
        let text = String(decoding: f.trust.encoded, as: UTF8.self)
        #expect(text.contains("\"witnessQuorum\": 2"))
        #expect(text.contains("\"key\": \"\(Self.central.key.encoded)\""))
        #expect(try TrustRoot.parse(f.trust.encoded, file: "trust.json") == f.trust)
    }

    @Test func aTrustRootWithoutWitnessesIsWrittenAsBefore() throws {
        let f = try BundleFixture()
        let text = String(decoding: f.trust.encoded, as: UTF8.self)
        #expect(!text.contains("witness"))
        let parsed = try TrustRoot.parse(f.trust.encoded, file: "trust.json")
        #expect(parsed.witnesses.isEmpty && parsed.witnessQuorum == nil)
        #expect(parsed.encoded == f.trust.encoded)
    }

    /// Each bad input is refused naming its field.
    @Test(arguments: [
        ("extra field", "witnesses[0].url"),
        ("name not the key's", "witnesses[0].name"),
        ("log key as witness key", "witnesses[0].key"),
        ("quorum 0", "witnessQuorum"),
        ("quorum above the witnesses", "witnessQuorum"),
        ("quorum without witnesses", "witnessQuorum"),
        ("witnesses without quorum", "witnessQuorum"),
        ("key listed twice", "witnesses[1].key"),
        ("quorum not an integer", "witnessQuorum"),
    ])
    func strictParsing(_ mutation: String, field: String) throws {
        let f = try BundleFixture()
        guard case .object(var top) = f.trust.jsonValue else { Issue.record("not an object"); return }
        let entry: (String, String) -> JSONValue = { .object(["name": .string($0), "key": .string($1)]) }
        top["witnesses"] = .array([entry(Self.central.name, Self.central.key.encoded)])
        top["witnessQuorum"] = 1
        switch mutation {
        case "extra field":
            top["witnesses"] = .array([.object(["name": .string(Self.central.name), "key": .string(Self.central.key.encoded),
                                                 "url": "https://central.example"])])
        case "name not the key's": top["witnesses"] = .array([entry("someone-else", Self.central.key.encoded)])
        case "log key as witness key": top["witnesses"] = .array([entry(f.log.origin, f.trust.log.key.encoded)])
        case "quorum 0": top["witnessQuorum"] = 0
        case "quorum above the witnesses": top["witnessQuorum"] = 2
        case "quorum without witnesses": top.removeValue(forKey: "witnesses")
        case "witnesses without quorum": top.removeValue(forKey: "witnessQuorum")
        case "key listed twice":
            top["witnesses"] = .array([entry(Self.central.name, Self.central.key.encoded), entry(Self.central.name, Self.central.key.encoded)])
        case "quorum not an integer": top["witnessQuorum"] = "1"
        default: Issue.record("unknown mutation \(mutation)")
        }
        let bytes = Array(JSONValue.object(top).prettyString().utf8)
        let error = #expect(throws: BundleInputError.self) { try TrustRoot.parse(bytes, file: "trust.json") }
        guard case .malformed(let path, let named, _)? = error else {
            Issue.record("expected a malformed-field error, got \(String(describing: error))")
            return
        }
        #expect(path == "trust.json")
        #expect(named == field, "\(mutation): \(String(describing: error))")
    }
}
