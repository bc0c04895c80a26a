import AuditLedger

/// The body of `GET /api/v1/entries`: `{"entries":[…],"next":…,"size":…}`, canonical like
/// every JSON reply (`Reply.json`): keys in RFC 8785 order, integers in plain decimal, and
/// each entry's canonical text as the ledger built it (`LedgerStore.canonicalEntries`), so
/// the bytes equal encoding the page's `Entry.jsonValue`s, without building them.
enum EntryPageJSON {
    /// `page` holds up to `limit + 1` entries; the extra one only says where `next` starts.
    static func body(_ page: CanonicalEntryPage, limit: Int) -> [UInt8] {
        let next = page.count > limit ? page.seqs[limit] : nil
        var out: [UInt8] = []
        out.reserveCapacity(64 + (page.count == 0 ? 0 : page.json(0).count * page.count * 5 / 4))
        out.append(contentsOf: #"{"entries":["#.utf8)
        page.appendElements(first: limit, to: &out)
        out.append(contentsOf: #"],"next":"#.utf8)
        out.append(contentsOf: (next.map(String.init) ?? "null").utf8)
        out.append(contentsOf: #","size":"#.utf8)
        out.append(contentsOf: String(page.size).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
