import AuditCore

extension EdgeState {
    public var jsonValue: JSONValue {
        func cp(_ c: SeenCheckpoint) -> JSONValue { .object(["size": .number(Double(c.size)), "root": .string(c.root.prefixed)]) }
        var top: [String: JSONValue] = [
            "version": .number(Double(witnessed.isEmpty ? Self.formatVersion : Self.witnessedFormatVersion)),
            "lastCheckpoint": checkpoints.last.map(cp) ?? .null,
            "checkpointHistory": .array(checkpoints.history.map(cp)),
            "accepted": .array(accepted.map { a in
                var o: [String: JSONValue] = [
                    "model": .string(a.model), "zone": .string(a.zone), "version": .string(a.version),
                    "bundleDigest": .string(a.bundleDigest.prefixed), "changeId": .string(a.changeID),
                    "acceptedAt": .string(a.acceptedAt)]
                if let seq = a.approvalSeq { o["approvalSeq"] = .number(Double(seq)) }
                return .object(o)
            }),
        ]
        if !witnessed.isEmpty {
            top["witnessed"] = .array(witnessed.map {
                .object(["size": .number(Double($0.size)), "root": .string($0.root.prefixed), "note": .string($0.note)])
            })
        }
        return .object(top)
    }

    /// Reads format 2, and format 1 as written by earlier releases: its accepted releases
    /// carry no approval seq, so the first release after the upgrade is judged against them
    /// by version (`Verifier.rollbackStatus`); the file is written back as format 2 on the
    /// next "may load". Format 3 adds `witnessed` (written only when there is one). Anything
    /// newer is refused rather than half-understood.
    public static func parse(_ bytes: [UInt8], file: String) throws(BundleInputError) -> EdgeState {
        let value = try StrictObject.parseDocument(bytes, file: file)
        let top = StrictObject(value, file: file, field: "")
        let version = try top.int("version")
        guard (1...witnessedFormatVersion).contains(version) else {
            throw top.fail("version", "state version \(version) is not one this auditctl reads (1 to \(witnessedFormatVersion)); it was written by a newer release")
        }
        try top.allowOnly(version >= witnessedFormatVersion
            ? ["version", "lastCheckpoint", "checkpointHistory", "accepted", "witnessed"]
            : ["version", "lastCheckpoint", "checkpointHistory", "accepted"])
        func cp(_ v: JSONValue, _ field: String) throws(BundleInputError) -> SeenCheckpoint {
            let o = StrictObject(v, file: file, field: field)
            try o.allowOnly(["size", "root"])
            return SeenCheckpoint(size: try o.int("size"), root: try o.digest("root"))
        }
        var memory = CheckpointMemory()
        let last = try top.value("lastCheckpoint")
        if last != .null { memory.last = try cp(last, "lastCheckpoint") }
        for (i, v) in try top.array("checkpointHistory").prefix(Limits.edgeCheckpointHistory).enumerated() {
            let seen = try cp(v, "checkpointHistory[\(i)]")
            guard let newest = memory.last, seen.size < newest.size else {
                throw .malformed(path: file, field: "checkpointHistory[\(i)]", reason: "not smaller than lastCheckpoint")
            }
            memory.remember(seen)
        }
        var accepted: [AcceptedRelease] = []
        for (i, v) in try top.array("accepted").enumerated() {
            let o = StrictObject(v, file: file, field: "accepted[\(i)]")
            try o.allowOnly(version == 1 ? ["model", "zone", "version", "bundleDigest", "changeId", "acceptedAt"]
                                         : ["model", "zone", "version", "bundleDigest", "changeId", "approvalSeq", "acceptedAt"])
            // Absent in format 1, and in format 2 for a release carried over from format 1.
            let seq: Int? = o.object["approvalSeq"] == nil ? nil : try o.int("approvalSeq")
            accepted.append(AcceptedRelease(model: try o.string("model"), zone: try o.string("zone"),
                                            version: try o.string("version"), bundleDigest: try o.digest("bundleDigest"),
                                            changeID: try o.string("changeId"), approvalSeq: seq,
                                            acceptedAt: try o.string("acceptedAt")))
        }
        var state = EdgeState(checkpoints: memory, accepted: accepted)
        if top.object["witnessed"] != nil {
            for (i, v) in try top.array("witnessed").prefix(Limits.edgeWitnessedCheckpoints).enumerated() {
                let o = StrictObject(v, file: file, field: "witnessed[\(i)]")
                try o.allowOnly(["size", "root", "note"])
                let w = WitnessedCheckpoint(size: try o.int("size"), root: try o.digest("root"), note: try o.string("note"))
                guard memory.known(size: w.size)?.root == w.root else {
                    throw .malformed(path: file, field: "witnessed[\(i)]", reason: "not a checkpoint this state remembers")
                }
                state.rememberWitnessed(w)
            }
        }
        return state
    }
}
