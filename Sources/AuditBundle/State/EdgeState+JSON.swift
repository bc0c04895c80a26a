import AuditCore

extension EdgeState {
    public var jsonValue: JSONValue {
        func cp(_ c: SeenCheckpoint) -> JSONValue { .object(["size": .number(Double(c.size)), "root": .string(c.root.prefixed)]) }
        return .object([
            "version": .number(Double(Self.formatVersion)),
            "lastCheckpoint": checkpoints.last.map(cp) ?? .null,
            "checkpointHistory": .array(checkpoints.history.map(cp)),
            "accepted": .array(accepted.map { a in
                .object(["model": .string(a.model), "zone": .string(a.zone), "version": .string(a.version),
                         "bundleDigest": .string(a.bundleDigest.prefixed), "changeId": .string(a.changeID),
                         "acceptedAt": .string(a.acceptedAt)])
            }),
        ])
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(BundleInputError) -> EdgeState {
        let value = try StrictObject.parseDocument(bytes, file: file)
        let top = StrictObject(value, file: file, field: "")
        try top.allowOnly(["version", "lastCheckpoint", "checkpointHistory", "accepted"])
        guard try top.int("version") == formatVersion else { throw top.fail("version", "unsupported state version") }
        func cp(_ v: JSONValue, _ field: String) throws(BundleInputError) -> SeenCheckpoint {
            let o = StrictObject(v, file: file, field: field)
            try o.allowOnly(["size", "root"])
            return SeenCheckpoint(size: try o.int("size"), root: try o.digest("root"))
        }
        var memory = CheckpointMemory()
        let last = try top.value("lastCheckpoint")
        if last != .null { memory.last = try cp(last, "lastCheckpoint") }
        for (i, v) in try top.array("checkpointHistory").prefix(Limits.edgeCheckpointHistory).enumerated() {
            memory.history.append(try cp(v, "checkpointHistory[\(i)]"))
        }
        var accepted: [AcceptedRelease] = []
        for (i, v) in try top.array("accepted").enumerated() {
            let o = StrictObject(v, file: file, field: "accepted[\(i)]")
            try o.allowOnly(["model", "zone", "version", "bundleDigest", "changeId", "acceptedAt"])
            accepted.append(AcceptedRelease(model: try o.string("model"), zone: try o.string("zone"),
                                            version: try o.string("version"), bundleDigest: try o.digest("bundleDigest"),
                                            changeID: try o.string("changeId"), acceptedAt: try o.string("acceptedAt")))
        }
        return EdgeState(checkpoints: memory, accepted: accepted)
    }
}
