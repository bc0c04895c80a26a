/// One entry as the RFC 8785 text of `Entry.jsonValue`.
public struct CanonicalEntry: Sendable, Equatable {
    public let seq: Int
    public let json: [UInt8]
}

/// Entries as canonical JSON, and the ledger's size in the same read transaction. The
/// texts are kept back to back in one buffer: a page is read to be sent as one body, and
/// one buffer saves an allocation and a copy per entry.
public struct CanonicalEntryPage: Sendable {
    public let size: Int
    public private(set) var seqs: [Int] = []
    private var text: [UInt8] = []
    /// Where each entry's text ends in `text`.
    private var ends: [Int] = []

    init(size: Int, expectedCount: Int) {
        self.size = size
        seqs.reserveCapacity(expectedCount)
        ends.reserveCapacity(expectedCount)
        text.reserveCapacity(expectedCount * 256)
    }

    mutating func append(seq: Int, json: UnsafeBufferPointer<UInt8>) {
        seqs.append(seq)
        text.append(contentsOf: json)
        ends.append(text.count)
    }

    public var count: Int { seqs.count }

    /// Entry `i`'s canonical JSON.
    public func json(_ i: Int) -> ArraySlice<UInt8> {
        text[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// The first `n` entries as the elements of a JSON array (comma-separated), appended to `out`.
    public func appendElements(first n: Int, to out: inout [UInt8]) {
        for i in 0..<min(n, count) {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: json(i))
        }
    }

    public var entries: [CanonicalEntry] {
        (0..<count).map { CanonicalEntry(seq: seqs[$0], json: Array(json($0))) }
    }
}
