import Foundation

/// One hop of an explained path: `zone → conduit → zone …`.
/// JSON: `{"zone": "dmz"}` or `{"conduit": "c-12"}`.
public enum PathStep: Sendable, Hashable, Codable, CustomStringConvertible {
    case zone(String)
    case conduit(String)

    public var id: String {
        switch self {
        case .zone(let id), .conduit(let id): return id
        }
    }

    public var description: String {
        switch self {
        case .zone(let id): return id
        case .conduit(let id): return "[\(id)]"
        }
    }

    private enum CodingKeys: String, CodingKey { case zone, conduit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let zone = try container.decodeIfPresent(String.self, forKey: .zone) {
            self = .zone(zone)
        } else {
            self = .conduit(try container.decode(String.self, forKey: .conduit))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .zone(let id): try container.encode(id, forKey: .zone)
        case .conduit(let id): try container.encode(id, forKey: .conduit)
        }
    }
}

/// A signed, expiring acceptance of one finding, loaded from the ledger by the caller.
/// The engine only matches it by fingerprint and expiry; it never hides the finding.
public struct Waiver: Sendable, Hashable, Codable {
    /// The finding's `fingerprint`, e.g. `ZR-007:line-ai>c-ai-sis>sis`.
    public var findingID: String
    public var reason: String
    public var expiresAt: Date
    public var waivedBy: String

    public init(findingID: String, reason: String, expiresAt: Date, waivedBy: String) {
        self.findingID = findingID
        self.reason = reason
        self.expiresAt = expiresAt
        self.waivedBy = waivedBy
    }
}

/// One rule violation, explained: which rule, how bad, the offending path and what to do.
public struct ZoneFinding: Sendable, Hashable, Codable {
    public var ruleID: ZoneRuleID
    public var severity: ZoneSeverity
    public var message: String
    public var path: [PathStep]
    public var hint: String
    /// `file:line` of the declaration at fault, when the topology came from a file.
    public var location: String?
    /// Stable id for waivers: rule id + path (+ a qualifier when one path can fail twice).
    public var fingerprint: String
    /// Set when an unexpired waiver accepts this finding; the finding is still reported.
    public var waiver: Waiver?

    public var isWaived: Bool { waiver != nil }

    private enum CodingKeys: String, CodingKey {
        case ruleID = "rule", severity, message, path, hint, location, fingerprint, waiver
    }

    public init(ruleID: ZoneRuleID, severity: ZoneSeverity, message: String, path: [PathStep],
                hint: String, location: SourceLocation? = nil, qualifier: String? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.path = path
        self.hint = hint
        self.location = location?.description
        self.fingerprint = Self.fingerprint(ruleID: ruleID, path: path, qualifier: qualifier)
        self.waiver = nil
    }

    /// `ZR-005:dmz-relay>c-12>safety`, with `#qualifier` appended when given.
    public static func fingerprint(ruleID: ZoneRuleID, path: [PathStep], qualifier: String?) -> String {
        let base = ruleID.rawValue + ":" + path.map(\.id).joined(separator: ">")
        return qualifier.map { base + "#" + $0 } ?? base
    }

    /// `enterprise → [c-1] → ops → [c-2] → plc`.
    public var pathText: String { path.map(\.description).joined(separator: " → ") }
}
