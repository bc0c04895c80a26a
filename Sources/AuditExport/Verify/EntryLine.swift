import AuditCore

/// One line of entries.jsonl or context.jsonl read back: strict JSON, exactly the seven
/// entry fields, in canonical form (so the bytes hashed are the bytes a reader sees).
enum EntryLine {
    static func decode(_ line: [UInt8]) -> Result<Entry, EntryLineError> {
        let json: JSONValue
        do { json = try JSONValue.parse(line, source: "entry") } catch { return .failure(EntryLineError(reason: "not valid JSON: \(error)")) }
        guard let object = json.objectValue, object.count == 7,
              let seq = json["seq"]?.int64Value, seq >= 0,
              let time = json["time"]?.stringValue, let kind = json["kind"]?.stringValue,
              let actor = json["actor"]?.stringValue, let subject = json["subject"]?.stringValue,
              let payload = json["payload"], payload.objectValue != nil,
              let prev = json["prev"]?.stringValue.flatMap(Digest.init(prefixed:))
        else { return .failure(EntryLineError(reason: "not a ledger entry (seq, time, kind, actor, subject, payload, prev)")) }
        let entry = Entry(seq: Int(seq), time: time, kind: kind, actor: actor, subject: subject, payload: payload, prev: prev)
        guard entry.canonicalBytes == line else { return .failure(EntryLineError(reason: "not in RFC 8785 canonical form: the bytes were re-encoded or edited")) }
        return .success(entry)
    }
}

struct EntryLineError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
