/// A problem in a hand-written YAML file (policy or topology), always naming the file and,
/// where one exists, the line and column so the author can go straight to it.
public struct YAMLInputError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    /// 1-based line, or nil when the problem concerns the whole file (size, emptiness).
    public let line: Int?
    /// 1-based column, or nil when unknown.
    public let column: Int?
    public let message: String

    public init(file: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error located at a node (its first line and column).
    public init(file: String, at node: YAMLNode, _ message: String) {
        self.init(file: file, line: node.line, column: node.column, message: message)
    }

    /// `approval.yaml:12:5: unknown key 'rol' (allowed: role, count, meanings)`
    public var description: String {
        switch (line, column) {
        case let (line?, column?): return "\(file):\(line):\(column): \(message)"
        case let (line?, nil): return "\(file):\(line): \(message)"
        default: return "\(file): \(message)"
        }
    }
}
