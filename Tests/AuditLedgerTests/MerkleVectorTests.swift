import AuditCore
import AuditLedger
import AuditTesting
import Testing

/// The 8-leaf test tree every Certificate Transparency implementation checks against
/// (RFC 6962 test data), with roots and proofs as published in
/// transparency-dev/merkle proof/verify_test.go (same values in certificate-transparency-go).
@Suite struct MerkleVectorTests {
    static let leafData: [String] = [
        "", "00", "10", "2021", "3031", "40414243",
        "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]

    /// Published roots of the trees of sizes 1...8.
    static let roots: [String] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    struct InclusionVector: Sendable, CustomStringConvertible {
        let index: Int, size: Int, proof: [String]
        var description: String { "leaf \(index) of \(size)" }
    }

    struct ConsistencyVector: Sendable, CustomStringConvertible {
        let oldSize: Int, newSize: Int, proof: [String]
        var description: String { "\(oldSize) -> \(newSize)" }
    }

    /// The published file numbers leaves from 1; these indices are 0-based.
    static let inclusionVectors: [InclusionVector] = [
        .init(index: 0, size: 1, proof: []),
        .init(index: 0, size: 8, proof: [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        .init(index: 5, size: 8, proof: [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        .init(index: 2, size: 3, proof: [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        ]),
        .init(index: 1, size: 5, proof: [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
    ]

    static let consistencyVectors: [ConsistencyVector] = [
        .init(oldSize: 1, newSize: 1, proof: []),
        .init(oldSize: 1, newSize: 8, proof: [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]),
        .init(oldSize: 6, newSize: 8, proof: [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
        .init(oldSize: 2, newSize: 5, proof: [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ]),
        .init(oldSize: 6, newSize: 7, proof: [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ]),
    ]

    static func hexDigests(_ hex: [String]) throws -> [Digest] {
        try hex.map { try #require(Digest(hex: $0), "bad vector hex \($0)") }
    }

    static func tree() throws -> (tree: InMemoryMerkleTree, leafHashes: [Digest]) {
        let tree = InMemoryMerkleTree()
        var leafHashes: [Digest] = []
        for hex in leafData {
            let data = try #require(Hex.decode(hex))
            leafHashes.append(try tree.append(data: data))
        }
        return (tree, leafHashes)
    }

    @Test func emptyTreeRootIsSHA256OfNothing() throws {
        #expect(MerkleHash.emptyRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try MerkleTree.root(size: 0, source: InMemoryMerkleTree()) == MerkleHash.emptyRoot)
        #expect(InMemoryMerkleTree.referenceRoot(leaves: []) == MerkleHash.emptyRoot)
    }

    @Test func publishedRootsForEverySize() throws {
        let (tree, leafHashes) = try Self.tree()
        let expected = try Self.hexDigests(Self.roots)
        for size in 1...8 {
            #expect(try tree.root(size: size) == expected[size - 1], "size \(size)")
            #expect(InMemoryMerkleTree.referenceRoot(leaves: Array(leafHashes[..<size])) == expected[size - 1])
        }
        // A one-leaf tree's root is that leaf's hash: SHA-256(0x00).
        #expect(leafHashes[0] == expected[0])
    }

    /// Root of each size, recomputed as leaves arrive, matches the published value at the time.
    @Test func rootsWhileGrowing() throws {
        let tree = InMemoryMerkleTree()
        let expected = try Self.hexDigests(Self.roots)
        for (i, hex) in Self.leafData.enumerated() {
            try tree.append(data: try #require(Hex.decode(hex)))
            #expect(try tree.root() == expected[i])
        }
    }

    @Test(arguments: inclusionVectors)
    func publishedInclusionProof(_ vector: InclusionVector) throws {
        let (tree, leafHashes) = try Self.tree()
        let expected = try Self.hexDigests(vector.proof)
        let root = try #require(Digest(hex: Self.roots[vector.size - 1]))
        let generated = try MerkleTree.inclusionProof(index: vector.index, size: vector.size, source: tree)
        #expect(generated == expected)
        let leafHash = leafHashes[vector.index]
        #expect(try MerkleVerifier.rootFromInclusionProof(
            leafHash: leafHash, index: vector.index, size: vector.size, proof: expected) == root)
        try MerkleVerifier.verifyInclusion(
            leafHash: leafHash, index: vector.index, size: vector.size, proof: expected, root: root)
        for probe in TamperProbes.inclusion(index: vector.index, size: vector.size, proof: expected,
                                            root: root, leafHash: leafHash) {
            #expect(throws: MerkleProofError.self, "\(probe.name) verified") {
                try MerkleVerifier.verifyInclusion(leafHash: probe.leafHash, index: probe.index,
                                                   size: probe.size, proof: probe.proof, root: probe.root)
            }
        }
    }

    @Test(arguments: consistencyVectors)
    func publishedConsistencyProof(_ vector: ConsistencyVector) throws {
        let (tree, _) = try Self.tree()
        let expected = try Self.hexDigests(vector.proof)
        let oldRoot = try #require(Digest(hex: Self.roots[vector.oldSize - 1]))
        let newRoot = try #require(Digest(hex: Self.roots[vector.newSize - 1]))
        let generated = try MerkleTree.consistencyProof(from: vector.oldSize, to: vector.newSize, source: tree)
        #expect(generated == expected)
        try MerkleVerifier.verifyConsistency(oldSize: vector.oldSize, newSize: vector.newSize,
                                             oldRoot: oldRoot, newRoot: newRoot, proof: expected)
        guard !expected.isEmpty else { return }
        for probe in TamperProbes.consistency(oldSize: vector.oldSize, newSize: vector.newSize,
                                              oldRoot: oldRoot, newRoot: newRoot, proof: expected) {
            #expect(throws: MerkleProofError.self, "\(probe.name) verified") {
                try MerkleVerifier.verifyConsistency(oldSize: probe.oldSize, newSize: probe.newSize,
                                                     oldRoot: probe.oldRoot, newRoot: probe.newRoot, proof: probe.proof)
            }
        }
    }
}
