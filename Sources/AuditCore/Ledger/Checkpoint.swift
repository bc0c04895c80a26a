/// The body of a C2SP `tlog-checkpoint`: origin line, decimal tree size, base64 root hash,
/// then optional extension lines. Signing and the signed-note envelope live in AuditCrypto.
public struct CheckpointBody: Sendable, Equatable {
    public let origin: String
    public let size: Int
    public let root: Digest
    public let extensions: [String]

    public init(origin: String, size: Int, root: Digest, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// The note text, ending in a newline as the signed-note format requires.
    public var text: String {
        var lines = [origin, String(size), Base64.encode(root.bytes)]
        lines += extensions
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses a checkpoint body; rejects anything the C2SP spec does not allow
    /// (empty origin, a size with a sign or leading zeros, a root that is not 32 bytes).
    public static func parse(_ text: String) throws(CheckpointParseError) -> CheckpointBody {
        guard text.hasSuffix("\n") else { throw .malformed("checkpoint text does not end in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { throw .malformed("checkpoint has \(lines.count) lines, needs at least 3") }
        let origin = lines[0]
        guard !origin.isEmpty else { throw .malformed("checkpoint origin line is empty") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              sizeText == "0" || !sizeText.hasPrefix("0"), let size = Int(sizeText) else {
            throw .malformed("checkpoint tree size '\(sizeText)' is not a canonical decimal number")
        }
        guard let rootBytes = Base64.decode(lines[2]), let root = Digest(bytes: rootBytes) else {
            throw .malformed("checkpoint root hash is not base64 of 32 bytes")
        }
        let ext = Array(lines.dropFirst(3))
        if ext.contains(where: \.isEmpty) { throw .malformed("checkpoint has an empty extension line") }
        return CheckpointBody(origin: origin, size: size, root: root, extensions: ext)
    }
}

public enum CheckpointParseError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self { case .malformed(let m): return m }
    }
}
