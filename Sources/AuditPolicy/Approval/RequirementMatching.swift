/// Maximum bipartite matching of people to requirement slots (Kuhn's augmenting paths,
/// with each requirement holding `capacity` slots). A person who holds two roles fills at
/// most one slot, and the number of filled slots is the largest possible whatever order
/// the signatures arrived in — a greedy first-come assignment can strand a signer whose
/// only role was taken by someone who could have filled another.
struct RequirementMatching {
    /// Slots per requirement.
    let capacities: [Int]
    /// For each signer, the requirements they may fill.
    let signers: [[Int]]

    /// For each signer, the requirement they fill, or nil.
    func solve() -> [Int?] {
        var holders: [[Int]] = capacities.map { _ in [] }  // requirement → signers filling it
        var assigned = [Int?](repeating: nil, count: signers.count)
        let totalSlots = capacities.reduce(0, +)
        var filledSlots = 0
        for signer in signers.indices where filledSlots < totalSlots {
            var visited = [Bool](repeating: false, count: capacities.count)
            if augment(signer, &visited, &holders, &assigned) { filledSlots += 1 }
        }
        return assigned
    }

    /// Finds a slot for `signer`, moving already placed signers along an alternating path.
    /// Each requirement is visited once per search, so recursion depth ≤ requirement count.
    private func augment(_ signer: Int, _ visited: inout [Bool], _ holders: inout [[Int]], _ assigned: inout [Int?]) -> Bool {
        for requirement in signers[signer] where !visited[requirement] {
            visited[requirement] = true
            if holders[requirement].count < capacities[requirement] {
                holders[requirement].append(signer)
                assigned[signer] = requirement
                return true
            }
            for (position, holder) in holders[requirement].enumerated() where augment(holder, &visited, &holders, &assigned) {
                // `holder` moved to another requirement; `signer` takes its slot here.
                holders[requirement][position] = signer
                assigned[signer] = requirement
                return true
            }
        }
        return false
    }
}
