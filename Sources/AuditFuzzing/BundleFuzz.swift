import AuditBundle
import AuditCore

/// The bundle and edge formats: `model.sig` (Sigstore bundle or bare DSSE envelope), the
/// in-toto statement with its model-signing manifest, the approval proof, the trust root
/// and the edge state. Each is parsed, written back with the same code the CLI writes it
/// with, and parsed again: the value must come back equal and the bytes must be a fixed point.
enum BundleFuzz {
    static let signatureFile = FuzzTarget(name: "signature-file", summary: "model.sig: Sigstore bundle v0.3 or DSSE envelope") { bytes throws(FuzzPropertyViolation) in
        try roundTrip("signature-file", bytes,
                      parse: { b throws in try SignatureFile.parse(b, file: "model.sig") },
                      write: { Array(($0.jsonValue.prettyString() + "\n").utf8) })
    }

    static let statement = FuzzTarget(name: "statement", summary: "in-toto Statement v1 with the model-signing v1.0 manifest (DSSE payload)") { bytes throws(FuzzPropertyViolation) in
        try roundTrip("statement", bytes,
                      parse: { b throws in try ModelStatement.parse(b, file: "model.sig") },
                      write: { $0.canonicalPayload() })
    }

    static let approvalProof = FuzzTarget(name: "approval-proof", summary: "model.approval.json") { bytes throws(FuzzPropertyViolation) in
        try roundTrip("approval-proof", bytes,
                      parse: { b throws in try ApprovalProof.parse(b, file: "model.approval.json") },
                      write: { Array(($0.jsonValue.prettyString() + "\n").utf8) })
    }

    static let trustRoot = FuzzTarget(name: "trust-root", summary: "trust-root.json") { bytes throws(FuzzPropertyViolation) in
        try roundTrip("trust-root", bytes,
                      parse: { b throws in try TrustRoot.parse(b, file: "trust-root.json") },
                      write: { $0.encoded })
    }

    static let edgeState = FuzzTarget(name: "edge-state", summary: "the edge's state.json") { bytes throws(FuzzPropertyViolation) in
        try roundTrip("edge-state", bytes,
                      parse: { b throws in try EdgeState.parse(b, file: "state.json") },
                      write: { Array(($0.jsonValue.prettyString() + "\n").utf8) })
    }

    /// parse → write → parse gives the same value, and writing that gives the same bytes.
    static func roundTrip<T: Equatable>(_ name: String, _ bytes: [UInt8], parse: ([UInt8]) throws -> T,
                                        write: (T) -> [UInt8]) throws(FuzzPropertyViolation) {
        guard let first = try? parse(bytes) else { return }
        let written = write(first)
        let second = try Expect.reparse(name, "its own serialization") { try parse(written) }
        try Expect.equal(second, first, name, "value after write and parse")
        try Expect.equal(write(second), written, name, "bytes written after a round trip")
    }
}
