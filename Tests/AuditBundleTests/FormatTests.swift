import AuditBundle
import AuditCore
import Testing

@Suite("Bundle format")
struct FormatTests {
    /// The example from the DSSE v1.0 protocol spec (secure-systems-lab/dsse protocol.md).
    @Test func paeMatchesTheDSSESpecExample() {
        let pae = DSSEEnvelope.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    /// model-signing sorts by path components (Python PurePosixPath), so `a/b` precedes
    /// `a.txt` although "/" > "." as a byte; this is the order `model_signing sign` wrote.
    @Test func pathsSortByComponentsLikeModelSigning() throws {
        let names = ["sub/w.bin", "empty", "a.txt", "a/b"]
        let sorted = names.compactMap(BundlePath.init).sorted().map(\.string)
        #expect(sorted == ["a/b", "a.txt", "empty", "sub/w.bin"])
    }

    @Test(arguments: ["", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/.", "a\u{0}b"])
    func traversalAndOddPathsAreRefused(_ name: String) {
        #expect(BundlePath(name) == nil)
        #expect(ResourceKey.parse(name, method: .files) == nil)
    }

    @Test func shardNamesParseStrictly() {
        #expect(ResourceKey.parse("w.bin:0:1048576", method: .shards(size: 1 << 20))?.end == 1 << 20)
        for bad in ["w.bin:0", "w.bin:5:5", "w.bin:-1:3", "w.bin:01:3", "../w:0:3", "w.bin:0:3:4"] {
            #expect(ResourceKey.parse(bad, method: .shards(size: 1 << 20)) == nil, "\(bad)")
        }
    }

    /// The precedence list from semver.org 2.0 §11, each strictly less than the next.
    @Test func semanticVersionPrecedenceFromTheSpec() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        for i in versions.indices.dropLast() {
            #expect(versions[i] < versions[i + 1], "\(ordered[i]) < \(ordered[i + 1])")
            #expect(!(versions[i + 1] < versions[i]))
        }
        #expect(SemanticVersion("1.0.0+build.5") == SemanticVersion("1.0.0"))
        for bad in ["1.0", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "1.0.0+", "1..0"] {
            #expect(SemanticVersion(bad) == nil, "\(bad)")
        }
    }

    @Test func statementRoundTripsAndSubjectDigestIsOverResourceDigests() throws {
        let fixture = try BundleFixture()
        let payload = fixture.statement.canonicalPayload()
        let parsed = try ModelStatement.parse(payload, file: "t")
        #expect(parsed == fixture.statement)
        #expect(parsed.isSelfConsistent)
        let concatenated = parsed.manifest.resources.flatMap(\.digest.bytes)
        #expect(parsed.subjectDigest == SHA256Reference.hash(concatenated))
        #expect(parsed.manifest.resources.map(\.name) == ["a/b", "a.txt", "config.json", "weights/layer0.bin", "weights/layer1.bin"])
    }

    @Test func trustRootRoundTripsAndRefusesUnknownFieldsAndWrongKeyIDs() throws {
        let fixture = try BundleFixture()
        let bytes = fixture.trust.encoded
        #expect(try TrustRoot.parse(bytes, file: "t") == fixture.trust)
        var object = try #require(try JSONValue.parse(bytes).objectValue)
        object["extra"] = .bool(true)
        #expect(throws: BundleInputError.self) { try TrustRoot.parse(JSONValue.object(object).canonicalBytes(), file: "t") }
        let wrongID = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: fixture.trust.signers[0].keyID.hex, with: fixture.trust.signers[1].keyID.hex)
        #expect(throws: BundleInputError.self) { try TrustRoot.parse(Array(wrongID.utf8), file: "t") }
        let wrongPolicy = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "qa-reviewer", with: "qa-reviewers")
        #expect(throws: BundleInputError.self) { try TrustRoot.parse(Array(wrongPolicy.utf8), file: "t") }
    }
}
