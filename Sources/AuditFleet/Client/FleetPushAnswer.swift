import AuditCore
import Foundation

/// Reads the central's answer to a push (Docs/fleet.md): 200 carries note signature lines,
/// 409 `text/x.tlog.size` the size the central holds, 400/403/404/422 a refusal with a
/// message. Anything else, or a defined status with the wrong body, is an error naming it.
enum FleetPushAnswer {
    static let sizeContentType = "text/x.tlog.size"

    static func outcome(status: Int, contentType: String?, body: [UInt8],
                        pushedSize: Int) throws(FleetClientError) -> FleetPushOutcome {
        switch status {
        case 200:
            return .cosigned(size: pushedSize, cosignatures: try signatureLines(body))
        case 409:
            guard mediaType(contentType) == sizeContentType else {
                throw .malformedResponse(status: 409, reason: "Content-Type is '\(contentType ?? "none")', not \(sizeContentType)")
            }
            return .conflict(centralSize: try size(body))
        default:
            let message = self.message(body)
            if let refusal = FleetRefusal(rawValue: status) { throw .refused(refusal, message: message) }
            throw .unexpectedStatus(status, message: message)
        }
    }

    /// `type/subtype` without parameters, lowercased.
    static func mediaType(_ header: String?) -> String? {
        header?.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The body of a 200: UTF-8 note signature lines, each `— name base64`, newline-terminated.
    /// Whether they verify is the caller's question (it holds the witness key).
    static func signatureLines(_ body: [UInt8]) throws(FleetClientError) -> String {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformedResponse(status: 200, reason: "the body is not UTF-8")
        }
        guard !text.isEmpty, text.hasSuffix("\n") else {
            throw .malformedResponse(status: 200, reason: "the body is not newline-terminated note signature lines")
        }
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix("— ") {
            throw .malformedResponse(status: 200, reason: "'\(clean(String(line)))' is not a note signature line")
        }
        return text
    }

    /// The body of a 409: a decimal size and a newline.
    static func size(_ body: [UInt8]) throws(FleetClientError) -> Int {
        var digits = body
        if digits.last == UInt8(ascii: "\n") { digits.removeLast() }
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              digits.count == 1 || digits[0] != 0x30, let size = Int(String(decoding: digits, as: UTF8.self)) else {
            throw .malformedResponse(status: 409, reason: "the body is not a tree size ('\(clean(String(decoding: body, as: UTF8.self)))')")
        }
        return size
    }

    /// What the central said, for the operator: the `error` (or `message`) of a JSON body,
    /// with its `field` when named, else the text; control characters removed, length bounded.
    static func message(_ body: [UInt8]) -> String {
        if let value = try? JSONValue.parse(body, source: "central answer"), let o = value.objectValue {
            let text = ["error", "message", "reason"].lazy.compactMap { o[$0]?.stringValue }.first
            if let text {
                return clean(o["field"]?.stringValue.map { "\($0): \(text)" } ?? text)
            }
        }
        return clean(String(decoding: body, as: UTF8.self))
    }

    /// One line of printable text, at most `Limits.maxFleetErrorMessageBytes` bytes.
    static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let printable = scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value)
            out.unicodeScalars.append(printable ? scalar : " ")
            if out.utf8.count >= Limits.maxFleetErrorMessageBytes { return out + "…" }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
