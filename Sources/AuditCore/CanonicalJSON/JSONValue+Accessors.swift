/// Typed reads for code that consumes parsed documents. Each returns nil when the value
/// has another type, so callers can turn a mismatch into an error naming the field.
extension JSONValue {
    /// The member named `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index` of an array; nil when out of bounds or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    public var doubleValue: Double? {
        guard case .number(let number) = self else { return nil }
        return number
    }

    /// The number as an exact integer, or nil if it has a fraction or lies outside
    /// ±(2^53 − 1), the range where a double still identifies one integer (I-JSON §2.2).
    public var int64Value: Int64? {
        guard case .number(let number) = self,
              number.magnitude <= 9_007_199_254_740_991,
              number == number.rounded(.towardZero)
        else { return nil }
        return Int64(number)
    }

    public var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    public var objectValue: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    public var isNull: Bool { self == .null }
}
