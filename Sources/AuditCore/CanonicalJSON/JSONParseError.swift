/// Why a JSON document was refused, and where.
///
/// Positions point at the first byte of the offending token (a duplicate key's opening quote,
/// a bad escape's backslash, the stray byte itself) so a user can jump straight to it.
/// `line` and `column` are 1-based; `column` counts characters (Unicode scalars), not bytes,
/// so it matches what an editor shows. `offset` is the 0-based byte offset for tools.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the document came from, usually a file name; `"input"` when unknown.
    public let source: String
    public let line: Int
    public let column: Int
    public let offset: Int
    /// A short human sentence, lowercase, no trailing period, e.g. `duplicate key "kind"`.
    public let message: String

    public init(source: String, line: Int, column: Int, offset: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.offset = offset
        self.message = message
    }

    /// `payload.json:3:14: duplicate key "kind"` — the compiler-style form editors can follow.
    public var description: String { "\(source):\(line):\(column): \(message)" }

    /// Computes line and column for `offset` by rescanning the document. Done only when an
    /// error is actually raised, so the hot parsing path never tracks line numbers.
    init(source: String, document: UnsafeBufferPointer<UInt8>, offset: Int, message: String) {
        let end = min(max(offset, 0), document.count)
        var line = 1
        var column = 1
        var index = 0
        while index < end {
            let byte = document[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count only bytes that start a UTF-8 sequence: one per character.
                column += 1
            }
            index += 1
        }
        self.init(source: source, line: line, column: column, offset: offset, message: message)
    }
}

/// Bounds the parser enforces before it builds anything, so hostile input cannot exhaust
/// memory or the stack. Defaults come from `Limits`; callers that know their input is
/// smaller (a ledger payload) pass tighter bounds.
public struct JSONParseLimits: Sendable, Hashable {
    /// Largest document accepted, in bytes.
    public var maxDocumentBytes: Int
    /// Deepest nesting of arrays and objects; the top-level container is depth 1.
    public var maxDepth: Int
    /// Longest number literal accepted, in bytes (see `Limits.maxJSONNumberLiteralBytes`).
    public var maxNumberLiteralBytes: Int

    public init(
        maxDocumentBytes: Int = Limits.maxJSONDocumentBytes,
        maxDepth: Int = Limits.maxJSONDepth,
        maxNumberLiteralBytes: Int = Limits.maxJSONNumberLiteralBytes
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxNumberLiteralBytes = maxNumberLiteralBytes
    }

    /// `Limits.maxJSONDocumentBytes`, `Limits.maxJSONDepth`, `Limits.maxJSONNumberLiteralBytes`.
    public static let `default` = JSONParseLimits()
}
