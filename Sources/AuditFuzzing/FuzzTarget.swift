/// A property one fuzz input broke: the parser accepted the input, but re-serializing and
/// re-parsing did not give back the same value or the same canonical bytes. Parse errors are
/// not violations (refusing hostile input is the point); crashes and hangs are caught by
/// libFuzzer and the sanitizers, not here.
public struct FuzzPropertyViolation: Error, Sendable, CustomStringConvertible {
    public let target: String
    public let message: String

    public init(_ target: String, _ message: String) {
        self.target = target
        self.message = message
    }

    public var description: String { "\(target): \(message)" }
}

/// One parser under fuzzing: the real library entry point plus its round-trip property.
/// The same bodies run under libFuzzer (`Fuzz/`, `make fuzz`) and, over the committed seed
/// and regression corpus, in the ordinary test suite (`FuzzCorpusReplayTests`), so CI checks
/// every input fuzzing ever kept without building with sanitizers.
public struct FuzzTarget: Sendable {
    /// Also the corpus directory name under `Tests/Fuzz/`.
    public let name: String
    /// What the input is, for the README and test names.
    public let summary: String
    public let body: @Sendable ([UInt8]) throws(FuzzPropertyViolation) -> Void

    public init(name: String, summary: String, body: @escaping @Sendable ([UInt8]) throws(FuzzPropertyViolation) -> Void) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    /// Runs one input; a violated property stops the process so libFuzzer saves the input.
    public func runTrapping(_ bytes: [UInt8]) {
        do { try body(bytes) } catch {
            fatalError("fuzz property violated: \(error)")
        }
    }

    /// Entry point shared by every `LLVMFuzzerTestOneInput`.
    public static func run(_ name: String, _ data: UnsafePointer<UInt8>?, _ size: Int) {
        guard let target = FuzzTargets.named(name) else { fatalError("no fuzz target named \(name)") }
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        target.runTrapping(bytes)
    }
}

/// Every harness, one per parser that reads outside input.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        JSONFuzz.target,
        YAMLFuzz.approvalPolicy, YAMLFuzz.topology, YAMLFuzz.zoneRules,
        BundleFuzz.signatureFile, BundleFuzz.statement, BundleFuzz.approvalProof,
        BundleFuzz.trustRoot, BundleFuzz.edgeState,
        NoteFuzz.signedNote, NoteFuzz.checkpoint, NoteFuzz.noteKeys,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Checks shared by the harnesses.
enum Expect {
    static func equal<T: Equatable>(_ a: T, _ b: T, _ target: String, _ what: String) throws(FuzzPropertyViolation) {
        guard a == b else { throw FuzzPropertyViolation(target, "\(what): \(a) != \(b)") }
    }

    /// A value that parsed once must parse again from its own serialization.
    static func reparse<T>(_ target: String, _ what: String, _ body: () throws -> T) throws(FuzzPropertyViolation) -> T {
        do { return try body() } catch {
            throw FuzzPropertyViolation(target, "\(what) no longer parses: \(error)")
        }
    }
}
