/// One node of a strictly parsed YAML document: no anchors, aliases, merge keys or custom
/// tags survive parsing, so consumers see a plain tree with the position of every node.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// A scalar that is not null; `tag` says how the YAML 1.2 core schema resolved it.
        case scalar(String)
        /// Key/value pairs in document order; keys are unique strings.
        case mapping([(key: String, keyLine: Int, keyColumn: Int, value: YAMLNode)])
        case sequence([YAMLNode])
        /// An empty value, `~` or `null`.
        case null
    }

    /// 1-based line of the node's first character.
    public let line: Int
    /// 1-based column of the node's first character.
    public let column: Int
    public let kind: Kind
    /// Core-schema type: plain `12` is `.int`, quoted `"12"` is `.str`.
    public let tag: YAMLCoreTag

    public init(line: Int, column: Int, kind: Kind, tag: YAMLCoreTag) {
        self.line = line
        self.column = column
        self.kind = kind
        self.tag = tag
    }

    /// Short human name of what this node is, for "expected X, found Y" messages.
    public var typeDescription: String {
        switch kind {
        case .null: return "nothing (null)"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let text):
            switch tag {
            case .int: return "the integer \(text)"
            case .float: return "the number \(text)"
            case .bool: return "the boolean \(text)"
            default: return "the string '\(text)'"
            }
        }
    }
}

/// The YAML 1.2 core schema tags, the only ones a strict document may use.
public enum YAMLCoreTag: String, Sendable, CaseIterable {
    case str, int, float, bool, null, seq, map

    /// Full tag name as libyaml reports an explicit `!!name` tag.
    var fullName: String { "tag:yaml.org,2002:\(rawValue)" }

    init?(fullName: String) {
        let prefix = "tag:yaml.org,2002:"
        guard fullName.hasPrefix(prefix) else { return nil }
        self.init(rawValue: String(fullName.dropFirst(prefix.count)))
    }
}
