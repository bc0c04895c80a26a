import AuditCore

/// RFC 8785 canonical JSON (`JSONValue.parse`, `canonicalBytes`, `prettyString`).
enum JSONFuzz {
    static let target = FuzzTarget(name: "json", summary: "any bytes as one JSON document") { bytes throws(FuzzPropertyViolation) in
        guard let value = try? JSONValue.parse(bytes, source: "fuzz") else { return }
        // Canonical bytes are a fixed point: parse(canonical(v)) == v, and serializing that
        // again gives the very same bytes (what every signature and leaf hash relies on).
        let canonical = value.canonicalBytes()
        let again = try Expect.reparse("json", "canonical form") { try JSONValue.parse(canonical, source: "canonical") }
        try Expect.equal(again, value, "json", "value after canonical round trip")
        try Expect.equal(again.canonicalBytes(), canonical, "json", "canonical bytes after round trip")
        // The pretty form (state files, model.sig) must mean the same document.
        let pretty = try Expect.reparse("json", "pretty form") { try JSONValue.parse(value.prettyString(), source: "pretty") }
        try Expect.equal(pretty.canonicalBytes(), canonical, "json", "canonical bytes of the pretty form")
        // The other entry points agree with the array one.
        let viaSlice = try Expect.reparse("json", "slice input") { try JSONValue.parse(bytes[...], source: "slice") }
        try Expect.equal(viaSlice, value, "json", "slice parse")
    }
}
