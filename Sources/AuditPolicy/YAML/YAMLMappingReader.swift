/// Reads one YAML mapping with a fixed set of keys: unknown keys are errors naming their
/// line and the allowed keys, missing required keys name the mapping's line, and typed
/// getters say what was expected. Every policy/topology loader goes through this.
public struct YAMLMappingReader: Sendable {
    public let node: YAMLNode
    public let file: String
    /// Name of this mapping in messages, e.g. "'requirements' item 2" (empty at the root).
    public let context: String
    private let values: [String: YAMLNode]
    /// Where messages about this mapping as a whole point: the key that introduced it
    /// (`changeTypes:`), or the mapping itself at the root or in a list.
    public let line: Int
    public let column: Int

    /// - Parameter allowedKeys: keys this mapping may hold, in the order messages list
    ///   them; nil accepts any key (for mappings keyed by user-chosen names).
    public init(_ node: YAMLNode, file: String, allowedKeys: [String]?, context: String = "",
                introducedAt position: (line: Int, column: Int)? = nil) throws(YAMLInputError) {
        guard case .mapping(let entries) = node.kind else {
            let what = context.isEmpty ? "document" : context
            throw node.mismatch(file: file, what: what, expected: "a mapping")
        }
        if let allowedKeys {
            for entry in entries where !allowedKeys.contains(entry.key) {
                let place = context.isEmpty ? "" : " in \(context)"
                throw YAMLInputError(file: file, line: entry.keyLine, column: entry.keyColumn,
                                     message: "unknown key '\(entry.key)'\(place) (allowed: \(allowedKeys.joined(separator: ", ")))")
            }
        }
        self.node = node
        self.file = file
        self.context = context
        self.line = position?.line ?? node.line
        self.column = position?.column ?? node.column
        var values: [String: YAMLNode] = [:]
        for entry in entries { values[entry.key] = entry.value }
        self.values = values
    }

    /// Entries in document order, for mappings whose keys are names chosen by the author.
    public var entries: [(key: String, keyLine: Int, keyColumn: Int, value: YAMLNode)] {
        if case .mapping(let entries) = node.kind { return entries }
        return []
    }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    public func required(_ key: String) throws(YAMLInputError) -> YAMLNode {
        guard let value = values[key] else {
            let place = context.isEmpty ? "" : " in \(context)"
            throw YAMLInputError(file: file, line: line, column: column, message: "missing required key '\(key)'\(place)")
        }
        return value
    }

    /// The value, or nil when the key is absent or explicitly null.
    public func optional(_ key: String) -> YAMLNode? {
        guard let value = values[key] else { return nil }
        if case .null = value.kind { return nil }
        return value
    }

    private func label(_ key: String) -> String {
        context.isEmpty ? "'\(key)'" : "'\(key)' in \(context)"
    }

    public func string(_ key: String) throws(YAMLInputError) -> String {
        try required(key).string(file: file, what: label(key))
    }

    public func optionalString(_ key: String) throws(YAMLInputError) -> String? {
        guard let value = optional(key) else { return nil }
        return try value.string(file: file, what: label(key))
    }

    public func int(_ key: String, range: ClosedRange<Int>? = nil) throws(YAMLInputError) -> Int {
        try required(key).int(file: file, what: label(key), range: range)
    }

    public func optionalInt(_ key: String, range: ClosedRange<Int>? = nil) throws(YAMLInputError) -> Int? {
        guard let value = optional(key) else { return nil }
        return try value.int(file: file, what: label(key), range: range)
    }

    public func double(_ key: String) throws(YAMLInputError) -> Double {
        try required(key).double(file: file, what: label(key))
    }

    public func optionalDouble(_ key: String) throws(YAMLInputError) -> Double? {
        guard let value = optional(key) else { return nil }
        return try value.double(file: file, what: label(key))
    }

    public func bool(_ key: String) throws(YAMLInputError) -> Bool {
        try required(key).bool(file: file, what: label(key))
    }

    public func optionalBool(_ key: String) throws(YAMLInputError) -> Bool? {
        guard let value = optional(key) else { return nil }
        return try value.bool(file: file, what: label(key))
    }

    public func stringList(_ key: String) throws(YAMLInputError) -> [String] {
        try required(key).stringList(file: file, what: label(key))
    }

    public func optionalStringList(_ key: String) throws(YAMLInputError) -> [String]? {
        guard let value = optional(key) else { return nil }
        return try value.stringList(file: file, what: label(key))
    }

    public func sequence(_ key: String) throws(YAMLInputError) -> [YAMLNode] {
        try required(key).sequence(file: file, what: label(key))
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, as type: E.Type) throws(YAMLInputError) -> E
    where E.RawValue == String {
        try required(key).enumValue(type, file: file, what: label(key))
    }

    /// A nested mapping under `key`, itself read strictly.
    public func mapping(_ key: String, allowedKeys: [String]?) throws(YAMLInputError) -> YAMLMappingReader {
        try YAMLMappingReader(required(key), file: file, allowedKeys: allowedKeys, context: label(key),
                              introducedAt: keyPosition(key))
    }

    /// Line and column of `key` itself, when present.
    public func keyPosition(_ key: String) -> (line: Int, column: Int)? {
        entries.first { $0.key == key }.map { ($0.keyLine, $0.keyColumn) }
    }

    public func optionalMapping(_ key: String, allowedKeys: [String]?) throws(YAMLInputError) -> YAMLMappingReader? {
        guard let value = optional(key) else { return nil }
        return try YAMLMappingReader(value, file: file, allowedKeys: allowedKeys, context: label(key),
                                     introducedAt: keyPosition(key))
    }
}
