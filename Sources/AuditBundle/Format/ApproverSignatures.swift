import AuditCore
import Foundation

/// `model.approvers.dsse.json`: the approvers' k-of-n signatures over exactly the payload
/// bytes of `model.sig`, as one plain DSSE envelope. DSSE allows several signatures in an
/// envelope; a Sigstore bundle (what `model.sig` is) carries exactly one, the producer's, so
/// the approvers live here and `model.sig` stays a bundle that sigstore and model-signing
/// tools accept. Each signature's `keyid` is a hint only (see `SignatureKeys`).
public enum ApproverSignatures {
    /// The envelope, or nil when the bundle has no approvers' file.
    public static func read(path: String) throws(BundleInputError) -> DSSEEnvelope? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try BoundedFile.read(path: path, limit: Limits.maxBundleSignatureFileBytes, what: "approvers' signature file")
        let value = try StrictObject.parseDocument(bytes, file: path, maxBytes: Limits.maxBundleSignatureFileBytes)
        return try DSSEEnvelope.parse(value, file: path, field: "")
    }

    public static func write(_ envelope: DSSEEnvelope, path: String) throws(BundleInputError) {
        try AtomicFile.write(Array((envelope.jsonValue.prettyString() + "\n").utf8), to: path)
    }
}
