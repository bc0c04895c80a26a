/// IEC 62443-3-3 security level, one value per foundational requirement (FR1 … FR7).
///
/// A zone's target (SL-T) and a conduit's achieved level (SL-A) are compared per FR,
/// because a conduit strong on confidentiality (FR4) can still be weak on integrity (FR3).
public struct SecurityLevelVector: Sendable, Hashable, Codable {
    /// Names of the seven foundational requirements, in vector order.
    public static let foundationalRequirements = [
        "FR1 identification and authentication control",
        "FR2 use control",
        "FR3 system integrity",
        "FR4 data confidentiality",
        "FR5 restricted data flow",
        "FR6 timely response to events",
        "FR7 resource availability",
    ]
    /// Short FR labels used in messages.
    public static let shortNames = ["FR1", "FR2", "FR3", "FR4", "FR5", "FR6", "FR7"]

    /// Seven levels, each 0…4.
    public let levels: [Int]

    /// Nil unless exactly seven levels in 0…4.
    public init?(levels: [Int]) {
        guard levels.count == 7, levels.allSatisfy({ (0...4).contains($0) }) else { return nil }
        self.levels = levels
    }

    /// The same level for every FR (the common shorthand `slTarget: 2`).
    public init?(uniform level: Int) {
        self.init(levels: Array(repeating: level, count: 7))
    }

    /// Highest level over all FRs: the level a boundary is "worth" for cleartext rules.
    public var maximum: Int { levels.max() ?? 0 }

    /// Per-FR maximum of two vectors: what a conduit joining both zones must meet.
    public func elementwiseMax(_ other: SecurityLevelVector) -> SecurityLevelVector {
        SecurityLevelVector(unchecked: zip(levels, other.levels).map { max($0, $1) })
    }

    /// Indices of the FRs where `self` falls short of `required`.
    public func shortfalls(against required: SecurityLevelVector) -> [Int] {
        (0..<7).filter { levels[$0] < required.levels[$0] }
    }

    /// Compact text: `2` when uniform, else `[2,2,3,1,2,1,1]`.
    public var description: String {
        if Set(levels).count == 1 { return String(levels[0]) }
        return "[" + levels.map(String.init).joined(separator: ",") + "]"
    }

    private init(unchecked levels: [Int]) { self.levels = levels }

    public static let zero = SecurityLevelVector(unchecked: Array(repeating: 0, count: 7))
}

/// Purdue model level: 0…5, with 3.5 for the industrial DMZ. Stored in tenths so that
/// 3.5 compares exactly.
public struct PurdueLevel: Sendable, Hashable, Comparable, Codable {
    public let tenths: Int

    /// Levels a topology may declare.
    public static let allowed: [Double] = [0, 1, 2, 3, 3.5, 4, 5]

    public init?(_ value: Double) {
        guard Self.allowed.contains(value) else { return nil }
        tenths = Int((value * 10).rounded())
    }

    public static let level0 = PurdueLevel(tenths: 0)
    public static let level1 = PurdueLevel(tenths: 10)
    public static let level2 = PurdueLevel(tenths: 20)
    public static let level3 = PurdueLevel(tenths: 30)
    /// The industrial DMZ between operations (3) and enterprise (4).
    public static let dmz = PurdueLevel(tenths: 35)
    public static let level4 = PurdueLevel(tenths: 40)
    public static let level5 = PurdueLevel(tenths: 50)

    /// For constants known to be valid (3.5 is `PurdueLevel(tenths: 35)`).
    init(tenths: Int) { self.tenths = tenths }

    public var value: Double { Double(tenths) / 10 }

    public var description: String {
        tenths % 10 == 0 ? String(tenths / 10) : String(value)
    }

    public static func < (lhs: PurdueLevel, rhs: PurdueLevel) -> Bool { lhs.tenths < rhs.tenths }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Double.self)
        guard let level = PurdueLevel(value) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Purdue level must be one of 0,1,2,3,3.5,4,5")
        }
        self = level
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// What a zone is for. A closed set, so a typo such as `safty` is an input error instead of
/// a zone that silently escapes the safety rules.
public enum ZoneKind: String, Sendable, Hashable, Codable, CaseIterable {
    case enterprise
    case cloud
    case dmz
    case operations
    case supervisory
    case control
    case field
    case safety
    case aiInference = "ai-inference"
}
