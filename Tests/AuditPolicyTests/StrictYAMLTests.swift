import Foundation
import Testing
@testable import AuditPolicy
import AuditCore

/// Parses `text` as `t.yaml` and returns the error it must produce.
func yamlError(_ text: String, file: String = "t.yaml") -> YAMLInputError? {
    do {
        _ = try StrictYAML.parse(Array(text.utf8), file: file)
        return nil
    } catch {
        return error
    }
}

@Suite("StrictYAML rejections")
struct StrictYAMLRejectionTests {
    @Test func emptyFileIsRefused() throws {
        for text in ["", "\n\n", "# only a comment\n", "---\n", "~\n"] {
            let error = try #require(yamlError(text))
            #expect(error.message.contains("file is empty"), "\(text.debugDescription): \(error)")
            #expect(error.file == "t.yaml")
        }
    }

    @Test func nonUTF8IsRefusedWithItsLine() throws {
        var bytes = Array("a: 1\nb: x".utf8)
        bytes.append(0xFF)
        let error = try #require(throws: YAMLInputError.self) { try StrictYAML.parse(bytes, file: "bad.yaml") }
        #expect(error.message.contains("UTF-8"))
        #expect(error.line == 2)
        #expect(error.description.hasPrefix("bad.yaml:2:"))
    }

    @Test func oversizedFileIsRefusedBeforeParsing() throws {
        // 5 MB of text that would be a YAML syntax error if it were parsed at all.
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 5 * 1024 * 1024)
        let start = ContinuousClock.now
        let error = try #require(throws: YAMLInputError.self) { try StrictYAML.parse(bytes, file: "big.yaml") }
        #expect(error.message.contains("over the limit of \(Limits.maxYAMLBytes) bytes"))
        #expect(error.line == nil)
        #expect(ContinuousClock.now - start < .milliseconds(200))
    }

    @Test func secondDocumentIsRefused() throws {
        let error = try #require(yamlError("a: 1\n---\nb: 2\n"))
        #expect(error.message.contains("more than one YAML document"))
        #expect(error.line == 2)
    }

    @Test func duplicateKeyNamesBothLines() throws {
        let error = try #require(yamlError("role: qa\ncount: 1\nrole: owner\n"))
        #expect(error.message.contains("duplicate key 'role'"))
        #expect(error.message.contains("line 1") && error.message.contains("line 3"))
        #expect(error.line == 3)
    }

    @Test func anchorIsRefused() throws {
        let error = try #require(yamlError("a: &x 1\nb: 2\n"))
        #expect(error.message.contains("anchor '&x'"))
        #expect(error.line == 1)
    }

    @Test func aliasIsRefused() throws {
        let error = try #require(yamlError("a: 1\nb: *x\n"))
        #expect(error.message.contains("alias '*x'"))
        #expect(error.line == 2)
    }

    @Test func mergeKeyIsRefused() throws {
        let error = try #require(yamlError("a: 1\n<<: {b: 2}\n"))
        #expect(error.message.contains("merge key"))
        #expect(error.line == 2)
    }

    @Test func billionLaughsFailsFast() throws {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
        var previous = "a"
        for name in names {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        text += "? *i\n: boom\n"
        let start = ContinuousClock.now
        let error = try #require(yamlError(text))
        let elapsed = ContinuousClock.now - start
        #expect(error.message.contains("anchor"))
        #expect(error.line == 1)
        #expect(elapsed < .milliseconds(100), "took \(elapsed)")
    }

    @Test func aliasFirstBombFailsFast() throws {
        // Undefined-alias variant: libyaml alone does not check anchors, we still refuse.
        let text = "x: [" + Array(repeating: "*a", count: 10_000).joined(separator: ",") + "]\n"
        let error = try #require(yamlError(text))
        #expect(error.message.contains("alias"))
        #expect(error.line == 1)
    }

    @Test func customTagIsRefused() throws {
        let error = try #require(yamlError("a: 1\nb: !python/object:os.system echo\n"))
        #expect(error.message.contains("tag"))
        #expect(error.line == 2)
        let local = try #require(yamlError("a: !custom 1\n"))
        #expect(local.message.contains("tag '!custom'"))
    }

    @Test func coreTagsAreAccepted() throws {
        let node = try StrictYAML.parse(Array("a: !!str 12\nb: !!int 7\n".utf8), file: "t.yaml")
        let reader = try YAMLMappingReader(node, file: "t.yaml", allowedKeys: ["a", "b"])
        #expect(try reader.string("a") == "12")
        #expect(try reader.int("b") == 7)
        #expect(yamlError("a: !!int seven\n")?.message.contains("!!int") == true)
    }

    @Test func nonStringKeysAreRefused() throws {
        let sequenceKey = try #require(yamlError("a: 1\n? [x, y]\n: 2\n"))
        #expect(sequenceKey.message.contains("mapping keys must be strings"))
        #expect(sequenceKey.line == 2)
        let intKey = try #require(yamlError("a: 1\n12: x\n"))
        #expect(intKey.message.contains("integer 12"))
        #expect(intKey.line == 2)
        #expect(yamlError("\"12\": x\n") == nil)
    }

    @Test func depthOverLimitIsRefused() throws {
        let depth = Limits.maxYAMLDepth + 1
        let text = "\n" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let error = try #require(yamlError(text))
        #expect(error.message.contains("deeper than \(Limits.maxYAMLDepth)"))
        #expect(error.line == 2)
        let ok = String(repeating: "[", count: Limits.maxYAMLDepth) + String(repeating: "]", count: Limits.maxYAMLDepth)
        #expect(yamlError(ok) == nil)
    }

    @Test func nodeCountOverLimitIsRefused() throws {
        // A flat list of one-character items stays under the byte limit but over the node limit.
        let items = Limits.maxYAMLNodes + 1
        var bytes = [UInt8]("\n[".utf8)
        bytes.reserveCapacity(items * 2 + 8)
        for _ in 0..<items { bytes.append(contentsOf: [UInt8(ascii: "1"), UInt8(ascii: ",")]) }
        bytes.append(UInt8(ascii: "]"))
        #expect(bytes.count <= Limits.maxYAMLBytes)
        let error = try #require(throws: YAMLInputError.self) { try StrictYAML.parse(bytes, file: "t.yaml") }
        #expect(error.message.contains("more than \(Limits.maxYAMLNodes) nodes"))
        #expect(error.line == 2)
    }

    @Test func syntaxErrorNamesFileLineColumn() throws {
        let error = try #require(yamlError("a: 1\nb: [1, 2\nc: 3\n", file: "policy.yaml"))
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.line != nil && error.column != nil)
        #expect(error.description.hasPrefix("policy.yaml:"))
        let tab = try #require(yamlError("a:\n\tb: 1\n"))
        #expect(tab.line == 2)
    }
}

@Suite("StrictYAML reading")
struct StrictYAMLReadingTests {
    let text = """
    # a comment
    version: 1
    name: "line policy"
    ratio: 0.5
    enabled: true
    country: no
    roles:
      - author
      - qa-reviewer
    nested:
      count: 3
    empty:
    """

    @Test func documentReadsWithLineNumbers() throws {
        let node = try StrictYAML.parse(Array(text.utf8), file: "t.yaml")
        guard case .mapping(let entries) = node.kind else { Issue.record("not a mapping"); return }
        #expect(entries.map(\.key) == ["version", "name", "ratio", "enabled", "country", "roles", "nested", "empty"])
        #expect(entries.map(\.keyLine) == [2, 3, 4, 5, 6, 7, 10, 12])
        let reader = try YAMLMappingReader(node, file: "t.yaml",
                                           allowedKeys: ["version", "name", "ratio", "enabled", "country", "roles", "nested", "empty"])
        #expect(try reader.int("version", range: 1...1) == 1)
        #expect(try reader.string("name") == "line policy")
        #expect(try reader.double("ratio") == 0.5)
        #expect(try reader.bool("enabled") == true)
        #expect(try reader.string("country") == "no")  // YAML 1.2: not a boolean
        #expect(try reader.stringList("roles") == ["author", "qa-reviewer"])
        #expect(try reader.required("roles").sequence(file: "t.yaml", what: "roles")[1].line == 9)
        let nested = try reader.mapping("nested", allowedKeys: ["count"])
        #expect(try nested.int("count") == 3)
        // A missing key inside a nested mapping points at the key that introduced it.
        let missing = try #require(throws: YAMLInputError.self) { try nested.string("absent") }
        #expect(missing.line == 10 && missing.message == "missing required key 'absent' in 'nested'")
        #expect(reader.optional("empty") == nil)
        #expect(reader.optional("absent") == nil)
    }

    @Test func unknownKeyNamesLineAndAllowedKeys() throws {
        let node = try StrictYAML.parse(Array("role: qa\n  # c\nrol: x\n".utf8), file: "approval.yaml")
        let error = try #require(throws: YAMLInputError.self) {
            try YAMLMappingReader(node, file: "approval.yaml", allowedKeys: ["role", "count", "meanings"])
        }
        #expect(error.description == "approval.yaml:3:1: unknown key 'rol' (allowed: role, count, meanings)")
    }

    @Test func wrongTypesSayWhatWasExpected() throws {
        let node = try StrictYAML.parse(Array("count: \"3\"\nflag: yes\nn: 0\nlist: a\nkind: blue\n".utf8), file: "t.yaml")
        let reader = try YAMLMappingReader(node, file: "t.yaml", allowedKeys: nil)
        let count = try #require(throws: YAMLInputError.self) { try reader.int("count") }
        #expect(count.message == "'count': expected an integer, found the string '3'")
        #expect(count.line == 1)
        let flag = try #require(throws: YAMLInputError.self) { try reader.bool("flag") }
        #expect(flag.message.contains("expected true or false"))
        #expect(flag.line == 2)
        let range = try #require(throws: YAMLInputError.self) { try reader.int("n", range: 1...9) }
        #expect(range.message.contains("from 1 to 9"))
        #expect(range.line == 3)
        let list = try #require(throws: YAMLInputError.self) { try reader.stringList("list") }
        #expect(list.message.contains("expected a list"))
        let kind = try #require(throws: YAMLInputError.self) { try reader.enumValue("kind", as: YAMLCoreTag.self) }
        #expect(kind.message.contains("unknown value 'blue'") && kind.line == 5)
        let missing = try #require(throws: YAMLInputError.self) { try reader.string("absent") }
        #expect(missing.message.contains("missing required key 'absent'"))
    }
}
