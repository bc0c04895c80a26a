import Foundation

/// Standard (padded) base64, strict on input: no whitespace, no URL alphabet.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 4 == 0,
              text.utf8.allSatisfy({ c in
                  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 43 || c == 47 || c == 61
              }),
              let d = Data(base64Encoded: text) else { return nil }
        let bytes = [UInt8](d)
        // Reject non-canonical encodings (non-zero padding bits) by re-encoding.
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
