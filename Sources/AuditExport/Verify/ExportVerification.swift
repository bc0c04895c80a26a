import AuditCore

/// One thing in an export that does not hold, named by file and, where it applies, line
/// and entry seq, so an inspector can go straight to it.
public struct ExportProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let seq: Int?
    public let message: String

    public init(file: String, line: Int? = nil, seq: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.seq = seq
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += " line \(line)" }
        if let seq { place += " (seq \(seq))" }
        return "\(place): \(message)"
    }

    public var jsonValue: JSONValue {
        ["file": .string(file), "line": line.map { .number(Double($0)) } ?? .null,
         "seq": seq.map { .number(Double($0)) } ?? .null, "message": .string(message)]
    }
}

/// What `ExportVerifier` found: every problem, what was checked, and what an export of
/// this kind cannot prove however well it checks.
public struct ExportVerification: Sendable {
    public internal(set) var problems: [ExportProblem] = []
    public internal(set) var manifest: ExportManifest?
    /// False when the log key came from the export itself rather than from the inspector.
    public internal(set) var logKeyTrusted = false
    public internal(set) var logKey: String?
    /// Human lines: what held, with counts.
    public internal(set) var checked: [String] = []
    public internal(set) var cannotProve: [String] = []
    /// Line problems beyond this many per file are counted, not listed (a damaged file would
    /// otherwise report every line); whole-file verdicts are always listed.
    public static let maxProblemsPerFile = 20
    public internal(set) var suppressed: [String: Int] = [:]

    public var ok: Bool { problems.isEmpty }

    mutating func add(_ p: ExportProblem) {
        if p.line != nil, problems.filter({ $0.file == p.file && $0.line != nil }).count >= Self.maxProblemsPerFile {
            suppressed[p.file, default: 0] += 1
        } else {
            problems.append(p)
        }
    }

    public var jsonValue: JSONValue {
        ["ok": .bool(ok), "problems": .array(problems.map(\.jsonValue)),
         "suppressedProblems": .object(suppressed.mapValues { .number(Double($0)) }),
         "logKey": logKey.map(JSONValue.string) ?? .null, "logKeyTrusted": .bool(logKeyTrusted),
         "checked": .array(checked.map(JSONValue.string)), "cannotProve": .array(cannotProve.map(JSONValue.string)),
         "manifest": manifest?.jsonValue ?? .null]
    }
}
