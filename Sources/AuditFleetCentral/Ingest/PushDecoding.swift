import AuditCore
import AuditFleet

/// Reads a push body straight into `FleetPush`, strictly: every field of Docs/fleet.md
/// present once with its type, no unknown field, valid UTF-8, errors naming the field.
/// A scanner for this one shape rather than a general JSON tree: building a dictionary per
/// entry made decoding the largest cost of ingest (profiles of FleetBench).
enum PushDecoding {
    static func decode(_ body: [UInt8]) throws(PushRequest.Invalid) -> FleetPush {
        do {
            return try body.withUnsafeBufferPointer { buffer throws(Failure) in
                var scanner = Scanner(bytes: buffer)
                let push = try scanner.push()
                scanner.skipWhitespace()
                guard scanner.atEnd else { throw Failure(field: "(body)", reason: "data after the push object") }
                return push
            }
        } catch {
            throw .field(error.field, error.reason)
        }
    }

    struct Failure: Error {
        let field: String
        let reason: String
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        var atEnd: Bool { i >= bytes.count }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8, _ field: String) throws(Failure) {
            skipWhitespace()
            guard i < bytes.count else { throw Failure(field: field, reason: "the body ends early (truncated push?)") }
            guard bytes[i] == c else { throw Failure(field: field, reason: "expected '\(Character(UnicodeScalar(c)))' at byte \(i)") }
            i += 1
        }

        /// True and consumed when the next non-space byte is `c`.
        mutating func take(_ c: UInt8) -> Bool {
            skipWhitespace()
            if i < bytes.count, bytes[i] == c { i += 1; return true }
            return false
        }

        /// Calls `member` for each key of an object, checking commas and duplicates.
        mutating func object(_ field: String, _ member: (inout Scanner, String) throws(Failure) -> Void) throws(Failure) {
            try expect(UInt8(ascii: "{"), field)
            var seen: Set<String> = []
            if take(UInt8(ascii: "}")) { return }
            repeat {
                let key = try string(field)
                guard seen.insert(key).inserted else { throw Failure(field: prefixed(field, key), reason: "appears twice") }
                try expect(UInt8(ascii: ":"), prefixed(field, key))
                try member(&self, key)
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), field)
        }

        mutating func array(_ field: String, _ element: (inout Scanner, Int) throws(Failure) -> Void) throws(Failure) {
            try expect(UInt8(ascii: "["), field)
            if take(UInt8(ascii: "]")) { return }
            var n = 0
            repeat {
                try element(&self, n)
                n += 1
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), field)
        }

        func prefixed(_ field: String, _ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

        /// A whole number ≥ 0 (no sign, fraction or exponent), at most 2^53 − 1.
        mutating func integer(_ field: String) throws(Failure) -> Int {
            skipWhitespace()
            let start = i
            var v = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                v = v * 10 + Int(bytes[i] - 0x30)
                i += 1
                guard v <= 9_007_199_254_740_991 else { throw Failure(field: field, reason: "too large") }
            }
            guard i > start, i < bytes.count, ![UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]),
                  i - start == 1 || bytes[start] != 0x30 else {
                throw Failure(field: field, reason: "must be a whole number ≥ 0")
            }
            return v
        }

        /// A JSON string, unescaped, valid UTF-8.
        mutating func string(_ field: String) throws(Failure) -> String {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Failure(field: field, reason: "must be a string") }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
            guard i < bytes.count else { throw Failure(field: field, reason: "the body ends inside a string (truncated push?)") }
            if bytes[i] == UInt8(ascii: "\"") {
                defer { i += 1 }
                guard let s = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) else {
                    throw Failure(field: field, reason: "not valid UTF-8")
                }
                return s
            }
            var out = Array(bytes[start..<i])
            while true {
                guard i < bytes.count else { throw Failure(field: field, reason: "the body ends inside a string (truncated push?)") }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; break }
                guard c >= 0x20 else { throw Failure(field: field, reason: "control character in a string") }
                guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
                guard i + 1 < bytes.count else { throw Failure(field: field, reason: "the body ends inside a string (truncated push?)") }
                i += 2
                switch bytes[i - 1] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(field)
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw Failure(field: field, reason: "a lone UTF-16 surrogate escape")
                        }
                        i += 2
                        let low = try hex4(field)
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure(field: field, reason: "a lone UTF-16 surrogate escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure(field: field, reason: "a lone UTF-16 surrogate escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure(field: field, reason: "an invalid \\u escape") }
                    out.append(contentsOf: UTF8.encode(u)!)
                default:
                    throw Failure(field: field, reason: "an invalid escape")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw Failure(field: field, reason: "not valid UTF-8") }
            return s
        }

        private mutating func hex4(_ field: String) throws(Failure) -> UInt32 {
            guard i + 4 <= bytes.count else { throw Failure(field: field, reason: "the body ends inside a \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                default: throw Failure(field: field, reason: "an invalid \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func push() throws(Failure) -> FleetPush {
            var format: String?, origin: String?, old: Int?, proof: [String]?, checkpoint: String?, entries: [PushedEntry]?
            try object("") { s, key throws(Failure) in
                switch key {
                case "format": format = try s.string(key)
                case "origin": origin = try s.string(key)
                case "old": old = try s.integer(key)
                case "checkpoint": checkpoint = try s.string(key)
                case "proof":
                    var list: [String] = []
                    try s.array(key) { s, n throws(Failure) in
                        guard n < FleetPush.maxProofHashes else { throw Failure(field: key, reason: "more than \(FleetPush.maxProofHashes) hashes") }
                        list.append(try s.string("proof[\(n)]"))
                    }
                    proof = list
                case "entries":
                    var list: [PushedEntry] = []
                    try s.array(key) { s, n throws(Failure) in
                        guard n < FleetPush.maxEntries else { throw Failure(field: key, reason: "more than \(FleetPush.maxEntries) entries per push") }
                        list.append(try s.entry(n))
                    }
                    entries = list
                default:
                    throw Failure(field: key, reason: "unknown field")
                }
            }
            guard let format else { throw Failure(field: "format", reason: "missing") }
            guard let origin else { throw Failure(field: "origin", reason: "missing") }
            guard let old else { throw Failure(field: "old", reason: "missing") }
            guard let proof else { throw Failure(field: "proof", reason: "missing") }
            guard let checkpoint else { throw Failure(field: "checkpoint", reason: "missing") }
            guard let entries else { throw Failure(field: "entries", reason: "missing") }
            var push = FleetPush(origin: origin, old: old, proof: [], checkpoint: checkpoint, entries: entries)
            push.format = format
            push.proof = proof
            return push
        }

        /// One entry object. Keys are matched on their raw bytes and tracked in a bit mask:
        /// no dictionary, set or closure per entry (each showed in ingest profiles).
        mutating func entry(_ n: Int) throws(Failure) -> PushedEntry {
            let at = "entries[\(n)]"
            var seq = 0, time = "", kind = "", actor = "", subject = "", payload = "", prev = ""
            var seen = 0
            try expect(UInt8(ascii: "{"), at)
            if !take(UInt8(ascii: "}")) {
                repeat {
                    let key = try rawKey(at)
                    guard let bit = Self.entryKeys.firstIndex(where: { $0.elementsEqual(key) }) else {
                        throw Failure(field: "\(at).\(String(decoding: key, as: UTF8.self))", reason: "unknown field")
                    }
                    let field = "\(at).\(Self.entryKeyNames[bit])"
                    guard seen & (1 << bit) == 0 else { throw Failure(field: field, reason: "appears twice") }
                    seen |= 1 << bit
                    try expect(UInt8(ascii: ":"), field)
                    switch bit {
                    case 0: seq = try integer(field)
                    case 1: time = try string(field)
                    case 2: kind = try string(field)
                    case 3: actor = try string(field)
                    case 4: subject = try string(field)
                    case 5: payload = try string(field)
                    default: prev = try string(field)
                    }
                } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"), at)
            }
            if seen != (1 << Self.entryKeys.count) - 1 {
                let missing = Self.entryKeyNames.indices.first { seen & (1 << $0) == 0 }!
                throw Failure(field: "\(at).\(Self.entryKeyNames[missing])", reason: "missing")
            }
            var entry = PushedEntry(seq: seq, time: time, kind: kind, actor: actor, subject: subject, payload: payload, prev: MerkleZero.digest)
            entry.prev = prev
            return entry
        }

        static let entryKeyNames = ["seq", "time", "kind", "actor", "subject", "payload", "prev"]
        static let entryKeys = entryKeyNames.map { Array($0.utf8) }

        /// An object key without escapes, as raw bytes (the keys of the format have none).
        mutating func rawKey(_ field: String) throws(Failure) -> UnsafeBufferPointer<UInt8> {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Failure(field: field, reason: "expected a key at byte \(i)") }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Failure(field: field, reason: "a malformed key (truncated push?)") }
            defer { i += 1 }
            return UnsafeBufferPointer(rebasing: bytes[start..<i])
        }
    }
}

/// The all-zero digest (the genesis `prev`), a placeholder until the real `prev` is set.
enum MerkleZero {
    static let digest = Digest(bytes: [UInt8](repeating: 0, count: 32))!
}
