import AuditCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// A request body read within the size limit and parsed strictly: JSON (`application/json`)
/// or an HTML form (`application/x-www-form-urlencoded`). Unknown fields are refused like
/// unknown YAML keys are (DESIGN: unknown keys are errors), so a typo never passes silently.
struct RequestInput: Sendable {
    private let fields: [String: JSONValue]

    init(fields: [String: JSONValue]) { self.fields = fields }

    static func read(_ request: Request, limit: Int, allowed: Set<String>) async throws -> RequestInput {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch is NIOTooManyBytesError {
            throw HTTPFailure(.contentTooLarge, code: "body_too_large", "the request body is larger than \(limit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let input: RequestInput
        if type.hasPrefix("application/x-www-form-urlencoded") {
            input = RequestInput(fields: FormDecoding.fields(String(decoding: bytes, as: UTF8.self)).mapValues(JSONValue.string))
        } else if type.hasPrefix("application/json") || (type.isEmpty && !bytes.isEmpty) {
            guard case .object(let object)? = try? JSONValue.parse(bytes, source: "request body") else {
                throw HTTPFailure.badRequest("the body is not a JSON object")
            }
            input = RequestInput(fields: object)
        } else if bytes.isEmpty {
            input = RequestInput(fields: [:])
        } else {
            throw HTTPFailure(.unsupportedMediaType, code: "unsupported_media_type", "send application/json (or an HTML form)")
        }
        if let unknown = input.fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw HTTPFailure.invalid(unknown, "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        return input
    }

    func string(_ key: String) throws -> String {
        guard let v = try optionalString(key) else { throw HTTPFailure.invalid(key, "required") }
        return v
    }

    func optionalString(_ key: String) throws -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw HTTPFailure.invalid(key, "must be a string")
        }
    }

    /// A list: a JSON array of strings, or in a form one comma-separated field.
    func strings(_ key: String) throws -> [String] {
        switch fields[key] {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let s) = item else { throw HTTPFailure.invalid(key, "must be an array of strings") }
                return s
            }
        case .string(let s)?:
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        default: throw HTTPFailure.invalid(key, "must be an array of strings")
        }
    }
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space, then percent-decoding).
enum FormDecoding {
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// Query parameters, validated: a bad number is a 422, not a silently ignored filter.
struct QueryInput {
    /// Parsed once: `URI.queryParameters` splits and decodes the whole query at each use.
    let parameters: FlatDictionary<Substring, Substring>

    init(uri: URI) {
        parameters = uri.queryParameters
    }

    func string(_ key: String) -> String? {
        guard let v = parameters[key[...]].map(String.init), !v.isEmpty else { return nil }
        return v
    }

    func int(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(key) else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw HTTPFailure.invalid(key, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    func time(_ key: String) throws -> String? {
        guard let text = string(key) else { return nil }
        guard UTCTime.parse(text) != nil else { throw HTTPFailure.invalid(key, "must be an RFC 3339 UTC time such as 2026-01-31T08:00:00Z") }
        return text
    }
}
