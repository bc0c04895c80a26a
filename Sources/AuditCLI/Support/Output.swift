import AuditCore
import AuditLedger

/// Results go to stdout, nothing else does; `--json` output is pretty, sorted JSON.
enum Output {
    static func json(_ value: JSONValue) {
        print(value.prettyString())
    }

    static func entryJSON(_ e: Entry, hash: Digest? = nil) -> JSONValue {
        guard case .object(var o) = e.jsonValue else { return e.jsonValue }
        if let hash { o["hash"] = .string(hash.prefixed) }
        return .object(o)
    }

    static func proofJSON(_ path: [Digest]) -> JSONValue {
        .array(path.map { .string($0.prefixed) })
    }
}
