/// A semver.org 2.0 version, compared by its precedence rules: numeric major.minor.patch,
/// a pre-release sorts before its release, pre-release identifiers compare numerically when
/// both are numbers and as ASCII otherwise, build metadata is ignored.
public struct SemanticVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int
    public let preRelease: [String]
    public let text: String

    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.count <= 128 else { return nil }
        let withoutBuild = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        if withoutBuild.count == 2, !Self.validIdentifiers(withoutBuild[1], numericRule: false) { return nil }
        let core = withoutBuild[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = core[0].split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 else { return nil }
        var parsed: [Int] = []
        for n in numbers {
            guard Self.isNumeric(n), n == "0" || !n.hasPrefix("0"), let v = Int(n) else { return nil }
            parsed.append(v)
        }
        var pre: [String] = []
        if core.count == 2 {
            guard Self.validIdentifiers(core[1], numericRule: true) else { return nil }
            pre = core[1].split(separator: ".").map(String.init)
        }
        major = parsed[0]; minor = parsed[1]; patch = parsed[2]
        preRelease = pre
        self.text = text
    }

    public var description: String { text }

    /// Equality is precedence equality (build metadata ignored).
    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool { !(a < b) && !(b < a) }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) { return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
        if a.preRelease.isEmpty || b.preRelease.isEmpty { return !a.preRelease.isEmpty && b.preRelease.isEmpty }
        for (x, y) in zip(a.preRelease, b.preRelease) where x != y {
            switch (isNumeric(Substring(x)) ? Int(x) : nil, isNumeric(Substring(y)) ? Int(y) : nil) {
            case let (i?, j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            default: return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
        }
        return a.preRelease.count < b.preRelease.count
    }

    private static func isNumeric(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

    private static func validIdentifiers(_ s: Substring, numericRule: Bool) -> Bool {
        let ids = s.split(separator: ".", omittingEmptySubsequences: false)
        return ids.allSatisfy { id in
            !id.isEmpty && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 }
                && (!numericRule || !isNumeric(id) || id == "0" || !id.hasPrefix("0"))
        }
    }
}
