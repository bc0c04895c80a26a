import AuditCore
import AuditRecords

/// Which changes the report details (`--change`, `--model`). The entries, the CSV and the
/// proofs always hold the whole contiguous period, so its completeness stays provable; the
/// selection narrows the report's change sections and, when no dates are given, the period
/// to the span of the selected changes' entries.
public struct ExportSelection: Sendable, Equatable {
    public var changeID: String?
    public var model: String?

    public init(changeID: String? = nil, model: String? = nil) {
        self.changeID = changeID
        self.model = model
    }

    public var isEmpty: Bool { changeID == nil && model == nil }

    public func includes(_ change: ChangeRecord) -> Bool {
        if let changeID, change.id != changeID { return false }
        if let model, !change.versions.contains(where: { $0.content.model == model }) { return false }
        return true
    }

    /// Human form for the cover and the running header.
    public var text: String {
        var parts: [String] = []
        if let changeID { parts.append("change \(changeID)") }
        if let model { parts.append("model \(model)") }
        return parts.isEmpty ? "all changes" : parts.joined(separator: ", ")
    }

    public var jsonValue: JSONValue {
        ["change": changeID.map(JSONValue.string) ?? .null, "model": model.map(JSONValue.string) ?? .null]
    }

    public init?(json: JSONValue) {
        guard let object = json.objectValue, object.count == 2 else { return nil }
        func field(_ key: String) -> String?? {
            guard let v = json[key] else { return nil }
            if v.isNull { return .some(nil) }
            return v.stringValue.map { .some($0) }
        }
        guard let change = field("change"), let model = field("model") else { return nil }
        self.init(changeID: change, model: model)
    }
}
