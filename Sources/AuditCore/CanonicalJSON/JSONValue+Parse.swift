extension JSONValue {
    /// Parses one JSON document strictly: RFC 8259 grammar plus the I-JSON (RFC 7493) rules
    /// that make a document hash the same everywhere.
    ///
    /// Refused, each with its own message and position: duplicate object keys (and keys that
    /// Swift would treat as equal because they are canonically equivalent Unicode), lone or
    /// misordered surrogate escapes, invalid UTF-8 (overlong forms, encoded surrogates, stray
    /// bytes), a byte order mark, leading zeros, trailing commas, comments, NaN/Infinity,
    /// numbers beyond the range of a double (`1e400`), unescaped control characters in
    /// strings, anything after the value, and input beyond `limits`.
    /// Numbers that underflow (`1e-400`) round to zero, as any decimal rounds to a double.
    ///
    /// Works on the UTF-8 bytes directly (no Foundation); line and column are only computed
    /// when an error is reported.
    ///
    /// - Parameter source: a name for the document (usually its file name) used in errors.
    public static func parse(
        _ bytes: [UInt8], source: String = "input", limits: JSONParseLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in
            parseResult(buffer, source: source, limits: limits)
        }
        return try result.get()
    }

    /// Parses any contiguous byte collection (`ArraySlice`, `Data`, ...); see `parse(_:source:limits:)`.
    public static func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, source: String = "input", limits: JSONParseLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        let direct = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(buffer, source: source, limits: limits)
        }
        if let direct { return try direct.get() }
        return try parse(Array(bytes), source: source, limits: limits)
    }

    /// Parses the UTF-8 form of `string`; see `parse(_:source:limits:)`.
    public static func parse(
        _ string: String, source: String = "input", limits: JSONParseLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        var string = string
        let result = string.withUTF8 { buffer in
            parseResult(buffer, source: source, limits: limits)
        }
        return try result.get()
    }

    private static func parseResult(
        _ buffer: UnsafeBufferPointer<UInt8>, source: String, limits: JSONParseLimits
    ) -> Result<JSONValue, JSONParseError> {
        guard buffer.count <= limits.maxDocumentBytes else {
            return .failure(JSONParseError(
                source: source, line: 1, column: 1, offset: 0,
                message: "document is \(buffer.count) bytes; the limit is \(limits.maxDocumentBytes) bytes"))
        }
        var parser = JSONByteParser(bytes: buffer, limits: limits)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(JSONParseError(
                source: source, document: buffer, offset: error.offset, message: error.message))
        }
    }
}
