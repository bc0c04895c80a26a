import AuditCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// JSON and HTML responses. JSON is the canonical (RFC 8785) form of a `JSONValue`, the
/// same bytes the CLI's `--json` output would hash to.
public enum Reply {
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.canonicalBytes())))
    }

    public static func bytes(_ body: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    public static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303 See Other: after a form post, the browser GETs the result (no re-post on reload).
    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func noContent(headers: HTTPFields = [:]) -> Response { Response(status: .noContent, headers: headers) }

    static func failure(_ f: HTTPFailure, requestID: String) -> JSONValue {
        .object(["error": .object([
            "status": .number(Double(f.status.code)), "code": .string(f.code), "message": .string(f.message),
            "hint": .string(f.hint), "requestId": .string(requestID),
        ])])
    }
}

extension JSONValue {
    init(_ int: Int) { self = .number(Double(int)) }
    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func optional(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
}
