/// The topology as a directed graph for reachability: zones are nodes, each conduit gives
/// one or two directed edges (data-flow direction), stored as compressed adjacency lists
/// with a protocol bitset per edge. Only consistent declarations enter the graph; the
/// rest are reported by ZR-011.
struct ZoneGraph: Sendable {
    let zones: [Zone]
    let zoneIndex: [String: Int]
    let conduits: [Conduit]
    /// Interned protocol names (index = bit number in an edge's mask).
    let protocolIndex: [String: Int]
    let edgeFrom: [Int32]
    let edgeTo: [Int32]
    let edgeConduit: [Int32]
    /// True when the edge carries a read-write protocol: it can write into `edgeTo`.
    let edgeWritable: [Bool]
    private let maskWords: Int
    private let edgeMasks: [UInt64]
    private let outStart: [Int]
    private let outEdges: [Int32]
    private let inStart: [Int]
    private let inEdges: [Int32]

    var zoneCount: Int { zones.count }

    /// `zones` must have unique ids; `conduits` must join two distinct known zones.
    init(zones: [Zone], conduits: [Conduit]) {
        self.zones = zones
        var index: [String: Int] = [:]
        index.reserveCapacity(zones.count)
        for (i, zone) in zones.enumerated() { index[zone.id] = i }
        zoneIndex = index
        self.conduits = conduits

        var protocols: [String: Int] = [:]
        for conduit in conduits {
            for proto in conduit.protocols where protocols[proto.name] == nil {
                protocols[proto.name] = protocols.count
            }
        }
        protocolIndex = protocols
        let words = max(1, (protocols.count + 63) / 64)
        maskWords = words

        var from: [Int32] = [], to: [Int32] = [], owner: [Int32] = [], writable: [Bool] = []
        var masks: [UInt64] = []
        let capacity = conduits.count * 2
        from.reserveCapacity(capacity); to.reserveCapacity(capacity)
        owner.reserveCapacity(capacity); writable.reserveCapacity(capacity)
        masks.reserveCapacity(capacity * words)
        for (c, conduit) in conduits.enumerated() {
            guard let a = index[conduit.zones.0], let b = index[conduit.zones.1] else { continue }
            var mask = [UInt64](repeating: 0, count: words)
            for proto in conduit.protocols {
                if let bit = protocols[proto.name] { mask[bit >> 6] |= 1 << UInt64(bit & 63) }
            }
            let canWrite = conduit.protocols.contains { $0.access == .readWrite }
            let directions = conduit.direction.isOneWay ? [(a, b)] : [(a, b), (b, a)]
            for (u, v) in directions {
                from.append(Int32(u)); to.append(Int32(v)); owner.append(Int32(c))
                writable.append(canWrite); masks.append(contentsOf: mask)
            }
        }
        edgeFrom = from; edgeTo = to; edgeConduit = owner; edgeWritable = writable; edgeMasks = masks
        (outStart, outEdges) = Self.compress(keys: from, nodeCount: zones.count)
        (inStart, inEdges) = Self.compress(keys: to, nodeCount: zones.count)
    }

    /// Counting sort of edge ids by node: CSR offsets plus edge ids.
    private static func compress(keys: [Int32], nodeCount: Int) -> ([Int], [Int32]) {
        var start = [Int](repeating: 0, count: nodeCount + 1)
        for key in keys { start[Int(key) + 1] += 1 }
        for i in 0..<nodeCount { start[i + 1] += start[i] }
        var cursor = start
        var edges = [Int32](repeating: 0, count: keys.count)
        for (edge, key) in keys.enumerated() {
            edges[cursor[Int(key)]] = Int32(edge)
            cursor[Int(key)] += 1
        }
        return (start, edges)
    }

    /// Ids of the edges leaving `node`.
    func outgoing(_ node: Int) -> ArraySlice<Int32> { outEdges[outStart[node]..<outStart[node + 1]] }

    func edgeCarries(_ edge: Int, protocolBit bit: Int) -> Bool {
        edgeMasks[edge * maskWords + (bit >> 6)] & (1 << UInt64(bit & 63)) != 0
    }

    /// Which edges a search may use.
    struct EdgeFilter {
        var protocolBit: Int?
        var writableOnly = false
        /// Nodes the search may not enter or leave (sources excepted).
        var blocked: [Bool]?
    }

    /// Breadth-first search from several sources at once. Returns, per node, the edge it
    /// was first reached by (-1 for a source, -2 when unreached), giving shortest paths.
    func search(from sources: [Int], forward: Bool = true, filter: EdgeFilter = EdgeFilter()) -> [Int32] {
        var reachedBy = [Int32](repeating: -2, count: zones.count)
        var queue: [Int32] = []
        queue.reserveCapacity(zones.count)
        for source in sources where reachedBy[source] == -2 {
            reachedBy[source] = -1
            queue.append(Int32(source))
        }
        let starts = forward ? outStart : inStart
        let edges = forward ? outEdges : inEdges
        var head = 0
        while head < queue.count {
            let node = Int(queue[head]); head += 1
            for slot in starts[node]..<starts[node + 1] {
                let edge = Int(edges[slot])
                let next = Int(forward ? edgeTo[edge] : edgeFrom[edge])
                if reachedBy[next] != -2 { continue }
                if let blocked = filter.blocked, blocked[next] { continue }
                if filter.writableOnly && !edgeWritable[edge] { continue }
                if let bit = filter.protocolBit, !edgeCarries(edge, protocolBit: bit) { continue }
                reachedBy[next] = Int32(edge)
                queue.append(Int32(next))
            }
        }
        return reachedBy
    }

    /// The forward path that `search(from:)` found to `target`: zone, conduit, zone, ….
    func path(to target: Int, reachedBy: [Int32]) -> [PathStep] {
        var steps: [PathStep] = [.zone(zones[target].id)]
        var node = target
        var guardCount = 0
        while reachedBy[node] >= 0 && guardCount <= zones.count {
            let edge = Int(reachedBy[node])
            steps.append(.conduit(conduits[Int(edgeConduit[edge])].id))
            node = Int(edgeFrom[edge])
            steps.append(.zone(zones[node].id))
            guardCount += 1
        }
        return steps.reversed()
    }
}
