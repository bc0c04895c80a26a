import AuditCore
import AuditCrypto
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Progress callback: bytes hashed so far and the total. Called from hashing threads.
public typealias HashProgress = @Sendable (_ done: Int, _ total: Int) -> Void

/// Hashes a bundle's files into manifest resources: every job (a file, or one shard of a
/// file) goes to the next free worker, one worker per core. Each worker streams its range
/// through one fixed buffer (`Limits.bundleHashBufferBytes`), so memory is
/// workers x buffer whatever the model size. SHA-256 is OpenSSL's (`SHA256Hasher`).
///
/// Race-free: each file is opened once and every shard is read from that descriptor
/// (`OpenFileTable`); the file must be the one the walk saw when opened, and still the same
/// inode, size and times — and still at its path — when its last shard is done. A file that
/// grows, shrinks, is rewritten in place or renamed over meanwhile fails with
/// `.changedWhileHashing` naming it, instead of a digest over bytes that were never there
/// together.
public enum ParallelHasher {
    struct Job: Sendable {
        let file: Int
        let key: ResourceKey
    }

    /// One worker per core.
    public static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The resources for `tree` under `method`, in manifest order.
    public static func hash(tree: BundleTree, method: Serialization.Method,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                            progress: HashProgress? = nil) throws(BundleInputError) -> [ManifestResource] {
        try hash(tree: tree, method: method, workers: workers, progress: progress, observer: nil)
    }

    static func hash(tree: BundleTree, method: Serialization.Method, workers: Int,
                     progress: HashProgress?, observer: HashObserver?) throws(BundleInputError) -> [ManifestResource] {
        let jobs = makeJobs(tree.files, method: method)
        let results = ResultSlots(count: jobs.count)
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failure = Mutex<BundleInputError?>(nil)
        let total = tree.totalBytes
        let workerCount = max(1, min(workers, jobs.count))
        let files = tree.files
        var jobCounts = [Int](repeating: 0, count: files.count)
        for job in jobs { jobCounts[job.file] += 1 }
        let table = OpenFileTable(files: files, root: tree.root, jobCounts: jobCounts)
        defer { table.closeAll() }
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Limits.bundleHashBufferBytes, alignment: 4096)
            defer { buffer.deallocate() }
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < jobs.count, failure.withLock({ $0 == nil }) else { return }
                let job = jobs[index]
                do throws(BundleInputError) {
                    let fd = try table.acquire(job.file)
                    let file = files[job.file]
                    let digest = try hashRange(fd, file, key: job.key, wholeFile: method == .files, buffer: buffer) { offset, n in
                        let now = done.wrappingAdd(n, ordering: .relaxed).newValue
                        progress?(now, total)
                        observer?.afterChunk(file.path, offset)
                    }
                    results.set(index, digest)
                    try table.release(job.file)
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let sharded = method != .files
        return jobs.indices.map { ManifestResource(name: jobs[$0].key.name(sharded: sharded), digest: results.get($0)) }
    }

    /// Jobs in manifest order (files are already sorted; shards follow by offset).
    static func makeJobs(_ files: [WalkedFile], method: Serialization.Method) -> [Job] {
        var jobs: [Job] = []
        for (i, f) in files.enumerated() {
            switch method {
            case .files:
                jobs.append(Job(file: i, key: ResourceKey(path: f.path, start: 0, end: f.size)))
            case .shards(let size):
                var start = 0
                while start < f.size {
                    let end = min(start + size, f.size)
                    jobs.append(Job(file: i, key: ResourceKey(path: f.path, start: start, end: end)))
                    start = end
                }
            }
        }
        return jobs
    }

    /// SHA-256 of bytes [start, end) of the open file `fd`, read with `pread` into `buffer`.
    /// `advanced(offset, n)` follows each chunk. A short read means the file shrank.
    static func hashRange(_ fd: Int32, _ file: WalkedFile, key: ResourceKey, wholeFile: Bool,
                          buffer: UnsafeMutableRawBufferPointer, advanced: (Int, Int) -> Void) throws(BundleInputError) -> Digest {
        _ = posix_fadvise(fd, off_t(key.start), off_t(key.end - key.start), POSIX_FADV_SEQUENTIAL)
        let hasher = SHA256Hasher()
        var offset = key.start
        let end = wholeFile ? file.size : key.end
        while offset < end {
            let want = min(buffer.count, end - offset)
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: file.path.string, reason: String(cString: strerror(errno)))
            }
            guard n > 0 else { throw .changedWhileHashing(path: file.path.string, change: "shrank while being read") }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += n
            advanced(offset, n)
        }
        return hasher.finalize()
    }
}

/// One write-once slot per job, written by whichever worker ran the job.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Digest>

    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: .zero)
    }

    deinit { slots.deallocate() }

    /// Each index is written by exactly one worker, and read only after all workers joined.
    func set(_ index: Int, _ digest: Digest) { slots[index] = digest }
    func get(_ index: Int) -> Digest { slots[index] }
}
