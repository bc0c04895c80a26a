@testable import AuditBundle
import AuditCore
import AuditTesting
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files changed while verify-bundle hashes them (issue 9, item 4). The observer seam runs
/// the change at an exact point — after the first 4 MiB chunk of the big file, or before a
/// file is opened — so each race happens every time, without sleeps. Every one must end in a
/// `files.digest` failure naming the file, never in "may load".
@Suite("Hash races", .serialized)
struct HashRaceTests {
    static let big = "weights/big.bin"
    /// Three read chunks (`Limits.bundleHashBufferBytes` is 4 MiB) and, at 1 MiB, nine shards.
    static let bigBytes: [UInt8] = (0..<(9 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }

    static func fixture(shardSize: Int? = nil) throws -> BundleFixture {
        var files = BundleFixture.defaultFiles
        files[big] = bigBytes
        let f = try BundleFixture(files: files, shardSize: shardSize)
        try waitForClockToPass(f.bundle + "/" + big)
        return f
    }

    /// Linux stamps file times from a coarse clock. Until that clock has moved past the
    /// fixture's own write, a same-size rewrite could carry the very same change time; wait
    /// for the clock (polling it, not sleeping a guessed time) so the race is deterministic.
    static func waitForClockToPass(_ path: String) throws {
        var st = stat()
        try #require(stat(path, &st) == 0)
        let written = Double(st.st_ctim.tv_sec) + Double(st.st_ctim.tv_nsec) / 1e9
        var now = timespec()
        repeat {
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
        } while Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 <= written && usleep(500) == 0
    }

    /// Verifies with `change` run once, when `trigger` says so.
    static func verify(_ f: BundleFixture, workers: Int = 1, once change: @escaping @Sendable () -> Void,
                       when trigger: @escaping @Sendable (BundlePath, Int) -> Bool) throws -> VerificationResult {
        let fired = Atomic<Bool>(false)
        var options = VerifyOptions(zone: "line-3", state: EdgeState())
        options.workers = workers
        options.hashObserver = HashObserver { path, offset in
            if trigger(path, offset), !fired.exchange(true, ordering: .relaxed) { change() }
        }
        let result = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options)
        let didFire = fired.load(ordering: .relaxed)
        #expect(didFire, "the change never ran; the test proved nothing")
        return result
    }

    static func afterFirstChunkOfBig(_ path: BundlePath, _ offset: Int) -> Bool { path.string == big }

    static func expectRefused(_ r: VerificationResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let check = r.check(.fileDigests)
        #expect(!r.mayLoad, sourceLocation: sourceLocation)
        #expect(check?.status == .failed, "\(String(describing: check))", sourceLocation: sourceLocation)
        #expect(check?.detail.contains("\(big) changed while being verified") == true, "\(String(describing: check))", sourceLocation: sourceLocation)
        #expect(check?.detail.contains(what) == true, "expected '\(what)' in \(String(describing: check?.detail))", sourceLocation: sourceLocation)
        #expect(r.exitCode == CheckID.fileDigests.exitCode, sourceLocation: sourceLocation)
    }

    static func handle(_ path: String) -> FileHandle { FileHandle(forUpdatingAtPath: path)! }

    @Test func unchangedMultiChunkFileMayLoad() throws {
        let f = try Self.fixture()
        var options = VerifyOptions(zone: "line-3", state: EdgeState())
        let chunks = Atomic<Int>(0)
        options.hashObserver = HashObserver { path, _ in if path.string == Self.big { chunks.add(1, ordering: .relaxed) } }
        let r = try Verifier(trust: f.trust).verify(bundleDirectory: f.bundle, options: options)
        #expect(r.mayLoad, "\(r.checks)")
        let count = chunks.load(ordering: .relaxed)
        #expect(count == 3)
    }

    @Test func fileGrowingDuringHashIsRefused() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        let r = try Self.verify(f, once: {
            let h = Self.handle(path); h.seekToEndOfFile(); h.write(Data([1, 2, 3])); try? h.close()
        }, when: Self.afterFirstChunkOfBig)
        Self.expectRefused(r, "grew")
    }

    /// The attack: put unsigned bytes into the part already hashed. Same size, same inode.
    @Test func fileRewrittenInPlaceDuringHashIsRefused() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        let r = try Self.verify(f, once: {
            let h = Self.handle(path); h.seek(toFileOffset: 0); h.write(Data(repeating: 0xEE, count: 4096)); try? h.close()
        }, when: Self.afterFirstChunkOfBig)
        Self.expectRefused(r, "rewritten in place")
    }

    /// We keep hashing the old inode through our descriptor; the path now names another.
    @Test func fileRenamedOverDuringHashIsRefused() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        let r = try Self.verify(f, once: {
            let temp = f.directory.file("evil.bin")
            FileManager.default.createFile(atPath: temp, contents: Data(Self.bigBytes.map { $0 ^ 1 }))
            rename(temp, path)
        }, when: Self.afterFirstChunkOfBig)
        Self.expectRefused(r, "renamed over")
    }

    @Test func fileTruncatedDuringHashIsRefused() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        let r = try Self.verify(f, once: { truncate(path, 1024) }, when: Self.afterFirstChunkOfBig)
        Self.expectRefused(r, "shrank")
    }

    /// Changed after the walk listed it but before it was opened: caught at open.
    @Test func fileChangedBetweenWalkAndOpenIsRefused() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        // Files are hashed in manifest order with one worker; a.txt comes first.
        let r = try Self.verify(f, once: {
            let h = Self.handle(path); h.seekToEndOfFile(); h.write(Data([9])); try? h.close()
        }, when: { p, _ in p.string == "a.txt" })
        Self.expectRefused(r, "grew")
    }

    /// Shards: nine jobs on two workers share one descriptor; the last one to finish sees
    /// the change made after the first shard.
    @Test(arguments: ["grew", "rewritten in place", "renamed over", "shrank"])
    func shardedFileChangedDuringHashIsRefused(change: String) throws {
        let f = try Self.fixture(shardSize: 1024 * 1024)
        let path = f.bundle + "/" + Self.big
        let r = try Self.verify(f, workers: 2, once: {
            switch change {
            case "grew": let h = Self.handle(path); h.seekToEndOfFile(); h.write(Data([1])); try? h.close()
            case "rewritten in place": let h = Self.handle(path); h.seek(toFileOffset: 10); h.write(Data([0xEE])); try? h.close()
            case "renamed over":
                let temp = f.directory.file("evil.bin")
                FileManager.default.createFile(atPath: temp, contents: Data(Self.bigBytes))
                rename(temp, path)
            default: truncate(path, 0)
            }
        }, when: Self.afterFirstChunkOfBig)
        // Growth or shrinking can also show up as "size differs from the signed shards" in
        // the walk-based shard plan; the refusal must name the file either way.
        #expect(!r.mayLoad)
        #expect(r.check(.fileDigests)?.status == .failed)
        #expect(r.check(.fileDigests)?.detail.contains(Self.big) == true, "\(String(describing: r.check(.fileDigests)))")
    }

    /// `bundle create` hashes with the same code: it refuses to sign a file that moved.
    @Test func signingRefusesAFileChangedDuringHash() throws {
        let f = try Self.fixture()
        let path = f.bundle + "/" + Self.big
        let tree = try BundleWalker.walk(root: f.bundle, serialization: .auditctlDefault())
        let fired = Atomic<Bool>(false)
        let observer = HashObserver { p, _ in
            if p.string == Self.big, !fired.exchange(true, ordering: .relaxed) {
                let h = Self.handle(path); h.seek(toFileOffset: 0); h.write(Data([0])); try? h.close()
            }
        }
        #expect(throws: BundleInputError.self) {
            _ = try ParallelHasher.hash(tree: tree, method: .files, workers: 1, progress: nil, observer: observer)
        }
    }
}
