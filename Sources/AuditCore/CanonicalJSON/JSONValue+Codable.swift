#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Bridges to Codable types. Encoding goes JSONEncoder → strict parse, so a Codable value
/// can only become a `JSONValue` that the parser itself would accept (finite numbers,
/// no duplicate keys); the canonical bytes are then produced by `canonicalBytes()`, never
/// by JSONEncoder.
extension JSONValue {
    /// Encodes `value` with `encoder` (default settings if none given) and parses the result.
    /// Throws the encoder's error (e.g. for a non-finite Double) or a `JSONParseError`.
    public init(encoding value: some Encodable, using encoder: JSONEncoder = JSONEncoder()) throws {
        let data = try encoder.encode(value)
        self = try JSONValue.parse(data, source: "encoded \(type(of: value))")
    }

    /// Decodes this value as `T` by feeding its canonical bytes to `decoder`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(T.self, from: Data(canonicalBytes()))
    }
}
