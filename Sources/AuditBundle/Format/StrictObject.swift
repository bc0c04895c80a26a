import AuditCore

/// Typed, located reads from a JSON object: every mismatch becomes a `BundleInputError`
/// naming the file and the JSON path of the field, so an operator can find it.
struct StrictObject {
    let object: [String: JSONValue]
    let file: String
    let field: String
    private let isObject: Bool

    init(_ value: JSONValue, file: String, field: String) {
        self.file = file
        self.field = field
        if case .object(let o) = value { object = o; isObject = true } else { object = [:]; isObject = false }
    }

    /// Parses a whole document strictly (RFC 8259 + I-JSON, size-bounded); a parse error is
    /// reported as malformed input naming the file, field, line and column.
    static func parseDocument(_ bytes: [UInt8], file: String, field: String = "", source: String? = nil,
                              maxBytes: Int = Limits.maxJSONDocumentBytes) throws(BundleInputError) -> JSONValue {
        do {
            return try JSONValue.parse(bytes, source: source ?? file, limits: JSONParseLimits(maxDocumentBytes: maxBytes))
        } catch {
            throw .malformed(path: file, field: field, reason: "not JSON: \(error.message) (line \(error.line), column \(error.column))")
        }
    }

    func path(_ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

    func fail(_ key: String, _ reason: String) -> BundleInputError {
        .malformed(path: file, field: key.isEmpty ? field : path(key), reason: reason)
    }

    /// Unknown keys are errors (a misspelled field must not be silently ignored).
    func allowOnly(_ keys: Set<String>) throws(BundleInputError) {
        guard isObject else { throw fail("", "expected a JSON object") }
        if let extra = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail(extra, "unknown field")
        }
    }

    func requireObject() throws(BundleInputError) {
        guard isObject else { throw fail("", "expected a JSON object") }
    }

    func value(_ key: String) throws(BundleInputError) -> JSONValue {
        try requireObject()
        guard let v = object[key] else { throw fail(key, "missing") }
        return v
    }

    func string(_ key: String) throws(BundleInputError) -> String {
        guard let s = try value(key).stringValue else { throw fail(key, "expected a string") }
        return s
    }

    func optionalString(_ key: String) throws(BundleInputError) -> String? {
        guard let v = object[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw fail(key, "expected a string") }
        return s
    }

    func bool(_ key: String) throws(BundleInputError) -> Bool {
        guard let b = try value(key).boolValue else { throw fail(key, "expected true or false") }
        return b
    }

    func int(_ key: String) throws(BundleInputError) -> Int {
        guard let n = try value(key).int64Value, let i = Int(exactly: n) else { throw fail(key, "expected an integer") }
        return i
    }

    func array(_ key: String) throws(BundleInputError) -> [JSONValue] {
        guard let a = try value(key).arrayValue else { throw fail(key, "expected an array") }
        return a
    }

    func stringArray(_ key: String, limit: Int) throws(BundleInputError) -> [String] {
        let list = try array(key)
        guard list.count <= limit else { throw .tooLarge(path: file, what: path(key), limit: limit) }
        var out: [String] = []
        for (i, item) in list.enumerated() {
            guard let s = item.stringValue else { throw fail("\(key)[\(i)]", "expected a string") }
            out.append(s)
        }
        return out
    }

    func digest(_ key: String) throws(BundleInputError) -> Digest {
        let s = try string(key)
        guard let d = Digest(prefixed: s) else { throw fail(key, "expected sha256:<64 lowercase hex digits>") }
        return d
    }

    /// Standard padded base64 (canonical spelling only).
    func base64(_ key: String, limit: Int) throws(BundleInputError) -> [UInt8] {
        let s = try string(key)
        guard s.utf8.count <= (limit / 3 + 1) * 4 else { throw .tooLarge(path: file, what: path(key), limit: limit) }
        guard let bytes = Base64.decode(s) else { throw fail(key, "not valid standard base64") }
        return bytes
    }
}
