import AuditBundle
import AuditCore
import AuditCrypto
import AuditPolicy

/// Whether a harness's parser accepts an input at all, so the test suite can insist that
/// each seed corpus holds valid documents (mutations of which reach the deep code) and not
/// only junk the parser refuses at its first byte.
public enum FuzzSeedCheck {
    public static func accepts(_ target: String, _ b: [UInt8]) -> Bool {
        switch target {
        case "json": return (try? JSONValue.parse(b)) != nil
        case "yaml-approval-policy": return (try? ApprovalPolicy.load(bytes: b, file: "seed")) != nil
        case "yaml-topology": return (try? TopologyLoader.parse(b, file: "seed")) != nil
        case "yaml-zone-rules": return (try? ZoneRulesLoader.parse(b, file: "seed")) != nil
        case "signature-file": return (try? SignatureFile.parse(b, file: "seed")) != nil
        case "statement": return (try? ModelStatement.parse(b, file: "seed")) != nil
        case "approval-proof": return (try? ApprovalProof.parse(b, file: "seed")) != nil
        case "trust-root": return (try? TrustRoot.parse(b, file: "seed")) != nil
        case "edge-state": return (try? EdgeState.parse(b, file: "seed")) != nil
        case "checkpoint": return String(validating: b, as: UTF8.self).flatMap { try? CheckpointBody.parse($0) } != nil
        case "note-keys":
            guard let text = String(validating: b, as: UTF8.self) else { return false }
            return (try? NoteVerifierKey.parse(text)) != nil || (try? NoteSigner.parse(text)) != nil
        case "signed-note":
            guard let nl = b.firstIndex(of: UInt8(ascii: "\n")),
                  let keyText = String(validating: b[..<nl], as: UTF8.self),
                  let key = try? NoteVerifierKey.parse(keyText) else { return false }
            return (try? SignedNote.open(bytes: Array(b[(nl + 1)...]), verifiers: [key])) != nil
        default: return false
        }
    }
}
