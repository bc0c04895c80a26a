import AuditCore

/// One file of an export as the manifest lists it.
public struct ManifestFile: Sendable, Equatable {
    public let name: String
    public let size: Int
    public let sha256: Digest

    public var jsonValue: JSONValue {
        ["name": .string(name), "size": .number(Double(size)), "sha256": .string(sha256.prefixed)]
    }

    public init(name: String, size: Int, sha256: Digest) {
        self.name = name
        self.size = size
        self.sha256 = sha256
    }

    init(json: JSONValue, at index: Int) throws(ManifestError) {
        guard let object = json.objectValue, object.count == 3, let name = json["name"]?.stringValue,
              let size = json["size"]?.int64Value, size >= 0,
              let digest = json["sha256"]?.stringValue.flatMap(Digest.init(prefixed:))
        else { throw .malformed(field: "files[\(index)]", reason: "needs exactly name, size and sha256") }
        guard ExportManifest.isSafeName(name) else {
            throw .malformed(field: "files[\(index)].name", reason: "'\(name)' is not a plain relative path")
        }
        self.init(name: name, size: Int(size), sha256: digest)
    }
}

/// What an export is: where it comes from, which period and checkpoint it rests on, who
/// generated it, and every file with its SHA-256 and size. Written as RFC 8785 JSON; the log
/// key signs its digest in `manifest.sig` (a C2SP signed note).
public struct ExportManifest: Sendable, Equatable {
    public var origin: String
    public var logVerifierKey: String
    public var checkpointSize: Int
    public var checkpointRoot: Digest
    public var firstSeq: Int
    public var lastSeq: Int
    /// Times of the first and last entry of the period.
    public var firstTime: String
    public var lastTime: String
    /// The period as asked (`--from`/`--to`), nil when open.
    public var requestedFrom: String?
    public var requestedTo: String?
    /// Statuses in the report (pending or expired) are judged at this time.
    public var asOf: String
    public var selection: ExportSelection
    public var site: String
    public var generatedBy: String
    public var generatedByName: String
    public var generatedByRoles: [String]
    public var generatedAt: String
    public var systemVersion: String
    public var entryCount: Int
    public var contextCount: Int
    public var files: [ManifestFile]

    public var jsonValue: JSONValue {
        var period: [String: JSONValue] = ["firstSeq": .number(Double(firstSeq)), "lastSeq": .number(Double(lastSeq)),
                                           "firstTime": .string(firstTime), "lastTime": .string(lastTime)]
        period["requestedFrom"] = requestedFrom.map(JSONValue.string) ?? .null
        period["requestedTo"] = requestedTo.map(JSONValue.string) ?? .null
        return .object([
            "format": .string(ExportLayout.manifestFormat), "origin": .string(origin),
            "logVerifierKey": .string(logVerifierKey),
            "checkpoint": ["size": .number(Double(checkpointSize)), "rootHash": .string(checkpointRoot.prefixed)],
            "period": .object(period), "asOf": .string(asOf), "selection": selection.jsonValue, "site": .string(site),
            "generated": ["by": .string(generatedBy), "printedName": .string(generatedByName),
                          "roles": .array(generatedByRoles.map(JSONValue.string)), "at": .string(generatedAt)],
            "system": ["name": "auditctl", "version": .string(systemVersion)],
            "counts": ["entries": .number(Double(entryCount)), "contextEntries": .number(Double(contextCount))],
            "files": .array(files.map(\.jsonValue)),
        ])
    }

    /// The exact bytes of manifest.json: canonical JSON and a newline.
    public var bytes: [UInt8] { jsonValue.canonicalBytes() + [0x0A] }

    public init(origin: String, logVerifierKey: String, checkpointSize: Int, checkpointRoot: Digest, firstSeq: Int,
                lastSeq: Int, firstTime: String, lastTime: String, requestedFrom: String?, requestedTo: String?,
                asOf: String, selection: ExportSelection, site: String, generatedBy: String, generatedByName: String,
                generatedByRoles: [String], generatedAt: String, systemVersion: String, entryCount: Int,
                contextCount: Int, files: [ManifestFile]) {
        self.origin = origin
        self.logVerifierKey = logVerifierKey
        self.checkpointSize = checkpointSize
        self.checkpointRoot = checkpointRoot
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.requestedFrom = requestedFrom
        self.requestedTo = requestedTo
        self.asOf = asOf
        self.selection = selection
        self.site = site
        self.generatedBy = generatedBy
        self.generatedByName = generatedByName
        self.generatedByRoles = generatedByRoles
        self.generatedAt = generatedAt
        self.systemVersion = systemVersion
        self.entryCount = entryCount
        self.contextCount = contextCount
        self.files = files
    }

    /// Reads manifest.json strictly: canonical bytes, every field present and well formed.
    public init(bytes: [UInt8]) throws(ManifestError) {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes.last == 0x0A ? Array(bytes.dropLast()) : bytes, source: ExportLayout.manifest) } catch {
            throw .malformed(field: "manifest.json", reason: "\(error)")
        }
        guard json.canonicalBytes() + [0x0A] == bytes else {
            throw .malformed(field: "manifest.json", reason: "not in canonical form (RFC 8785) followed by one newline")
        }
        func string(_ value: JSONValue?, _ field: String) throws(ManifestError) -> String {
            guard let s = value?.stringValue else { throw .malformed(field: field, reason: "missing or not a string") }
            return s
        }
        func int(_ value: JSONValue?, _ field: String) throws(ManifestError) -> Int {
            guard let n = value?.int64Value, n >= 0 else { throw .malformed(field: field, reason: "missing or not a non-negative integer") }
            return Int(n)
        }
        func optional(_ value: JSONValue?, _ field: String) throws(ManifestError) -> String? {
            guard let value, !value.isNull else { return nil }
            return try string(value, field)
        }
        guard json["format"]?.stringValue == ExportLayout.manifestFormat else {
            throw .malformed(field: "format", reason: "not \(ExportLayout.manifestFormat)")
        }
        guard let root = json["checkpoint"]?["rootHash"]?.stringValue.flatMap(Digest.init(prefixed:)) else {
            throw .malformed(field: "checkpoint.rootHash", reason: "missing or not sha256:<64 hex>")
        }
        guard let selection = json["selection"].flatMap(ExportSelection.init(json:)) else {
            throw .malformed(field: "selection", reason: "missing or malformed")
        }
        guard let fileList = json["files"]?.arrayValue else { throw .malformed(field: "files", reason: "missing") }
        var files: [ManifestFile] = []
        for (i, f) in fileList.enumerated() { files.append(try ManifestFile(json: f, at: i)) }
        guard Set(files.map(\.name)).count == files.count else { throw .malformed(field: "files", reason: "a file is listed twice") }
        let p = json["period"]
        self.init(origin: try string(json["origin"], "origin"), logVerifierKey: try string(json["logVerifierKey"], "logVerifierKey"),
                  checkpointSize: try int(json["checkpoint"]?["size"], "checkpoint.size"), checkpointRoot: root,
                  firstSeq: try int(p?["firstSeq"], "period.firstSeq"), lastSeq: try int(p?["lastSeq"], "period.lastSeq"),
                  firstTime: try string(p?["firstTime"], "period.firstTime"), lastTime: try string(p?["lastTime"], "period.lastTime"),
                  requestedFrom: try optional(p?["requestedFrom"], "period.requestedFrom"),
                  requestedTo: try optional(p?["requestedTo"], "period.requestedTo"),
                  asOf: try string(json["asOf"], "asOf"), selection: selection, site: try string(json["site"], "site"),
                  generatedBy: try string(json["generated"]?["by"], "generated.by"),
                  generatedByName: try string(json["generated"]?["printedName"], "generated.printedName"),
                  generatedByRoles: (json["generated"]?["roles"]?.arrayValue ?? []).compactMap(\.stringValue),
                  generatedAt: try string(json["generated"]?["at"], "generated.at"),
                  systemVersion: try string(json["system"]?["version"], "system.version"),
                  entryCount: try int(json["counts"]?["entries"], "counts.entries"),
                  contextCount: try int(json["counts"]?["contextEntries"], "counts.contextEntries"), files: files)
        guard firstSeq <= lastSeq, lastSeq < checkpointSize, entryCount == lastSeq - firstSeq + 1 else {
            throw .malformed(field: "period", reason: "seqs \(firstSeq)...\(lastSeq) with \(entryCount) entries do not fit a tree of \(checkpointSize)")
        }
    }

    /// A relative path of plain segments: no absolute path, no `..`, no empty segment, no backslash.
    static func isSafeName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), name.utf8.count <= 255,
              !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }
}

public enum ManifestError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(field: String, reason: String)
    public var description: String {
        switch self { case let .malformed(field, reason): return "manifest.json \(field): \(reason)" }
    }
}
