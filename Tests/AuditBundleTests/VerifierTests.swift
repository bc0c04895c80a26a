import AuditBundle
import AuditCore
import AuditCrypto
import Foundation
import Testing

@Suite("Verifier")
struct VerifierTests {
    @Test func validBundleMayLoadAndEveryCheckRuns() throws {
        let fixture = try BundleFixture()
        let result = try fixture.verify(zone: "line-3", state: EdgeState())
        #expect(result.mayLoad, "\(result.checks)")
        #expect(result.exitCode == 0)
        // A trust root without witnesses reports every check but approval.witness, as before witnesses existed.
        #expect(result.checks.map(\.id) == CheckID.allCases.filter { $0 != .approvalWitness })
        #expect(result.checks.allSatisfy { $0.status == .passed }, "\(result.checks.filter { $0.status != .passed })")
        #expect(result.signatures.filter { $0.kind == .approver }.map(\.signer).sorted() == ["oscar", "pat", "quinn"])
        #expect(result.signatures.filter { $0.kind == .producer }.map(\.signer) == ["dana"])
    }

    @Test func withoutStateOrZoneThoseChecksAreSkippedNotPassed() throws {
        let result = try BundleFixture().verify()
        #expect(result.mayLoad)
        #expect(result.check(.rollback)?.status == .skipped)
        #expect(result.check(.checkpointConsistency)?.status == .skipped)
        #expect(result.check(.zone)?.status == .skipped)
    }

    @Test func shardedBundleVerifiesAndCatchesAByteInTheSecondShard() throws {
        let big = (0..<(2 * 1024 * 1024 + 100)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let fixture = try BundleFixture(files: ["big.bin": big, "small.txt": Array("x".utf8), "empty": []],
                                        shardSize: 1024 * 1024)
        #expect(fixture.statement.manifest.resources.map(\.name) == ["big.bin:0:1048576", "big.bin:1048576:2097152",
                                                                      "big.bin:2097152:2097252", "small.txt:0:1"])
        #expect(try fixture.verify().mayLoad)
        var bytes = big
        bytes[1024 * 1024 + 5] ^= 1
        try fixture.write("big.bin", bytes)
        let result = try fixture.verify()
        #expect(result.check(.fileDigests)?.findings == [
            "big.bin:1048576:2097152: digest \(SHA256.hash(Array(bytes[1048576..<2097152])).prefixed), signed \(fixture.statement.manifest.resources[1].digest.prefixed)"
        ])
    }

    /// The same directory hashed with 1 and 4 workers gives the same resources.
    @Test func parallelHashingIsDeterministic() throws {
        let fixture = try BundleFixture(shardSize: 1024 * 1024)
        let tree = try BundleWalker.walk(root: fixture.bundle, serialization: fixture.statement.manifest.serialization)
        let one = try ParallelHasher.hash(tree: tree, method: .files, workers: 1)
        let four = try ParallelHasher.hash(tree: tree, method: .files, workers: 4)
        #expect(one == four)
        for (resource, file) in zip(one, tree.files) {
            #expect(resource.digest == SHA256Reference.hash(try fixture.read(file.path.string)))
        }
    }
}
