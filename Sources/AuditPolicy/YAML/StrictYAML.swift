import AuditCore

/// Reads hand-written YAML (policies, topologies) strictly: one document, UTF-8, bounded
/// size/depth/node count, unique string keys, core tags only, and no anchors, aliases or
/// merge keys at all — refusing them outright is what makes alias bombs harmless.
public enum StrictYAML {
    public static func parse(_ bytes: [UInt8], file: String) throws(YAMLInputError) -> YAMLNode {
        if bytes.count > Limits.maxYAMLBytes {
            throw YAMLInputError(file: file, line: nil, column: nil,
                                 message: "file is \(bytes.count) bytes, over the limit of \(Limits.maxYAMLBytes) bytes")
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            let (line, column) = position(ofByte: offset, in: bytes)
            throw YAMLInputError(file: file, line: line, column: column, message: "file is not valid UTF-8")
        }
        let result = bytes.withUnsafeBufferPointer { buffer in
            var composer = StrictYAMLComposer(source: LibYAMLEventSource(buffer: buffer), file: file, bytes: bytes)
            return Result { () throws(YAMLInputError) -> YAMLNode in try composer.composeSingleDocument() }
        }
        return try result.get()
    }

    /// Byte offset of the first byte that is not part of well-formed UTF-8, if any.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// 1-based line and column (in bytes) of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
