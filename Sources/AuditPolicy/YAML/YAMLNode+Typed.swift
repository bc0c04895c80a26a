/// Typed reads of single nodes. `what` names the value in messages ("'count'",
/// "item 2 of 'roles'") so every consumer reports wrong types the same way.
extension YAMLNode {
    public func string(file: String, what: String) throws(YAMLInputError) -> String {
        guard case .scalar(let text) = kind, tag == .str else {
            throw mismatch(file: file, what: what, expected: "a string")
        }
        return text
    }

    public func int(file: String, what: String, range: ClosedRange<Int>? = nil) throws(YAMLInputError) -> Int {
        let expected = range.map { "an integer from \($0.lowerBound) to \($0.upperBound)" } ?? "an integer"
        guard case .scalar(let text) = kind, tag == .int, let value = YAMLCoreSchema.intValue(text) else {
            throw mismatch(file: file, what: what, expected: expected)
        }
        if let range, !range.contains(value) {
            throw mismatch(file: file, what: what, expected: expected)
        }
        return value
    }

    public func double(file: String, what: String) throws(YAMLInputError) -> Double {
        guard case .scalar(let text) = kind else {
            throw mismatch(file: file, what: what, expected: "a number")
        }
        switch tag {
        case .int:
            if let value = YAMLCoreSchema.intValue(text) { return Double(value) }
            if let value = Double(text) { return value }
        case .float:
            if let value = YAMLCoreSchema.floatValue(text) { return value }
        default: break
        }
        throw mismatch(file: file, what: what, expected: "a number")
    }

    /// Only `true` or `false` (YAML 1.2 core); `yes`, `on`, `"true"` are refused.
    public func bool(file: String, what: String) throws(YAMLInputError) -> Bool {
        guard case .scalar(let text) = kind, tag == .bool, let value = YAMLCoreSchema.boolValue(text) else {
            throw mismatch(file: file, what: what, expected: "true or false")
        }
        return value
    }

    public func sequence(file: String, what: String) throws(YAMLInputError) -> [YAMLNode] {
        guard case .sequence(let items) = kind else {
            throw mismatch(file: file, what: what, expected: "a list")
        }
        return items
    }

    public func stringList(file: String, what: String) throws(YAMLInputError) -> [String] {
        var result: [String] = []
        for (index, item) in try sequence(file: file, what: what).enumerated() {
            result.append(try item.string(file: file, what: "item \(index + 1) of \(what)"))
        }
        return result
    }

    /// A string that must be one of `E`'s raw values; the message lists them.
    public func enumValue<E: RawRepresentable>(_ type: E.Type, file: String, what: String) throws(YAMLInputError) -> E
    where E.RawValue == String, E: CaseIterable {
        let text = try string(file: file, what: what)
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw YAMLInputError(file: file, at: self, "\(what): unknown value '\(text)' (allowed: \(allowed))")
        }
        return value
    }

    func mismatch(file: String, what: String, expected: String) -> YAMLInputError {
        YAMLInputError(file: file, at: self, "\(what): expected \(expected), found \(typeDescription)")
    }
}
