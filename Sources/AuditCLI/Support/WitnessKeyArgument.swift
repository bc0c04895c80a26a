import AuditCore
import AuditCrypto
import Foundation

/// A witness key given on the command line: the `name+hash+base64` key itself, or the path
/// of a file that holds it (as `log.vkey` holds the log's key).
enum WitnessKeyArgument {
    static func parse(_ value: String, option: String) throws -> CosignerKey {
        let parseError: SignedNoteError
        do throws(SignedNoteError) {
            return try CosignerKey.parse(value.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            parseError = error
        }
        guard FileManager.default.fileExists(atPath: value) else {
            throw CLIFailure("\(option) '\(value)' is neither a witness key nor a file (\(parseError))",
                             hint: "give the witness's key (name+hash+base64, signature type 0x04) or a file holding it",
                             code: .usage)
        }
        let bytes = try InputFile.read(value, limit: Limits.maxSecretFileBytes, what: "witness key")
        do throws(SignedNoteError) {
            return try CosignerKey.parse(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw CLIFailure("\(value): not a witness key: \(error)",
                             hint: "the file must hold one witness key (name+hash+base64, signature type 0x04)", code: .malformedInput)
        }
    }
}
