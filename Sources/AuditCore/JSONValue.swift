/// A parsed JSON document. Every byte string that is hashed or signed is produced from
/// one of these by the RFC 8785 serializer (`canonicalBytes()`), never by JSONEncoder,
/// whose key order and number formatting are not canonical.
///
/// Numbers are IEEE-754 doubles, as RFC 8785 (I-JSON) requires; integers are exact up to 2^53.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Key order is irrelevant here; the canonical serializer sorts by UTF-16 code units.
    case object([String: JSONValue])
}
