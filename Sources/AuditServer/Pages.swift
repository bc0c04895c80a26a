import AuditRecords
import Foundation
import Mustache

/// Server-rendered pages (swift-mustache). Templates are compiled into the binary
/// (`Templates+*.swift`) so `auditctl serve` needs no files beside it. Every value is
/// HTML-escaped by `{{ }}`; only the layout's `{{{body}}}` inserts rendered HTML.
struct Pages: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in Templates.all { try library.register(text, named: name) }
        self.library = library
    }

    /// Renders `name` inside the layout, with the signed-in person, the CSRF token and the
    /// navigation their roles allow.
    func render(_ name: String, title: String, context: ServerContext, _ data: [String: Any]) -> String {
        var object = data
        object["title"] = title
        if let session = context.session, let user = context.user {
            object["csrf"] = session.csrfToken
            object["me"] = ["id": user.id, "printedName": user.printedName, "roles": user.roles.sorted().joined(separator: ", ")]
            object["navQueue"] = context.may(.sign)
            object["navRead"] = context.may(.read)
            object["navUsers"] = context.may(.readUsers)
        }
        object = Self.withoutNils(object)
        object["body"] = library.render(object, withTemplate: name) ?? ""
        return library.render(object, withTemplate: "layout") ?? ""
    }

    /// Mustache would print an absent optional wrapped in `Any` as "nil"; absent values are
    /// removed so `{{#x}}` sections simply do not render.
    static func withoutNils(_ object: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (key, value) in object {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                guard let inner = mirror.children.first?.value else { continue }
                out[key] = clean(inner)
            } else {
                out[key] = clean(value)
            }
        }
        return out
    }

    private static func clean(_ value: Any) -> Any {
        if let dict = value as? [String: Any] { return withoutNils(dict) }
        if let list = value as? [[String: Any]] { return list.map(withoutNils) }
        return value
    }

    static func meaningText(_ meaning: String) -> String {
        switch meaning {
        case "authored": return "I am the author of this change and its record is accurate."
        case "reviewed": return "I have reviewed this change, its reason and its evidence."
        case "approved": return "I approve this change for the use and zones it names."
        case "rejected": return "I reject this change: it must not proceed."
        case "responsibility": return "I take responsibility for this change in operation."
        default: return meaning
        }
    }

    /// "2026-11-26 16:22:18 UTC": date and time with the zone spelled out (21 CFR 11.50).
    static func humanTime(_ rfc3339: String) -> String {
        guard rfc3339.hasSuffix("Z"), rfc3339.count > 11 else { return rfc3339 }
        var t = String(rfc3339.dropLast()).replacingOccurrences(of: "T", with: " ")
        if let dot = t.firstIndex(of: ".") { t = String(t[..<dot]) }
        return t + " UTC"
    }
}
