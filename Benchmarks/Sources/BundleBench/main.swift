// BundleBench: verify-bundle hashing against baselines measured in the same run.
//   1. 1 GiB single-file bundle (files)        vs `openssl dgst -sha256` on that file   goal <= 1.10x
//   2. 1 GiB sharded bundle on 2 workers       vs `openssl dgst -sha256`                goal >= 1.7x faster
//   3. the same models signed by model-signing: `model_signing verify key` vs ours     goal >= 1.4x faster
// Peak memory: this process's max RSS, and the children's (openssl, model_signing).
// Page cache is warmed first; each figure is the best of 3 runs.
import AuditBundle
import AuditCore
import AuditCrypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let size = (ProcessInfo.processInfo.environment["BUNDLE_BENCH_MIB"].flatMap(Int.init) ?? 1024) * 1024 * 1024
let shardSize = 128 * 1024 * 1024
let python = ProcessInfo.processInfo.environment["AUDITCTL_PYTHON"] ?? "python3"
let work = FileManager.default.temporaryDirectory.appendingPathComponent("bundlebench-\(getpid())").path

func run(_ args: [String]) -> (Int32, Double, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    let t0 = Date()
    do { try p.run() } catch { return (-1, 0, "\(error)") }
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, Date().timeIntervalSince(t0), String(decoding: out, as: UTF8.self))
}

func best(_ n: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<n {
        let t0 = Date()
        try body()
        times.append(Date().timeIntervalSince(t0))
    }
    return times.min() ?? 0
}

/// Best wall time of 3 runs and the largest max RSS (MiB) seen, via /usr/bin/time.
func bestExternal(_ args: [String]) -> (Double, Double) {
    var times: [Double] = []
    var rss = 0.0
    let rssFile = work + "/rss.txt"
    for _ in 0..<3 {
        let (status, t, out) = run(["/usr/bin/time", "-f", "%M", "-o", rssFile] + args)
        if status != 0 { print("FAILED: \(args.joined(separator: " ")): \(out)"); exit(1) }
        times.append(t)
        let kib = (try? String(contentsOfFile: rssFile, encoding: .utf8))?.split(separator: "\n").last.flatMap { Double($0) } ?? 0
        rss = max(rss, kib / 1024)
    }
    return (times.min() ?? 0, rss)
}

/// Reads `path` into the page cache without keeping it.
/// Flushes dirty pages first, so write-back does not compete with the timed runs.
func warm(_ path: String) { _ = run(["sh", "-c", "sync && cat \"$1\" > /dev/null", "warm", path]) }

func maxRSSMiB(children: Bool) -> Double {
    var usage = rusage()
    getrusage(Int32((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func makeModel(_ dir: String) throws -> String {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/weights.bin"
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    var chunk = SecureRandom.bytes(4 * 1024 * 1024)
    var written = 0
    while written < size {
        chunk[0] &+= 1
        try handle.write(contentsOf: chunk)
        written += chunk.count
    }
    try handle.close()
    try Data("{\"threshold\": 0.8}".utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
    return path
}

func gbps(_ seconds: Double) -> String { String(format: "%.2f GB/s", Double(size) / seconds / 1e9) }

let approver = Ed25519PrivateKey.generate()
let logSigner = try NoteSigner(name: "bench.example/ledger", privateKey: .generate())
let trust = TrustRoot(log: .init(origin: "bench.example/ledger", key: logSigner.verifierKey),
                      signers: [.init(id: "qa", publicKey: approver.publicKey, roles: ["qa-reviewer"], notBefore: Date(timeIntervalSince1970: 0))],
                      approvalPolicy: .init(digest: SHA256.hash("policy"), document: nil))

/// Our verification of `dir`: every check runs; hashing is the cost (no approval proof here,
/// so the verdict is "blocked" at approval.proof, after the files were all hashed).
func verify(_ dir: String, workers: Int, trust: TrustRoot) throws -> VerificationResult {
    var options = VerifyOptions()
    options.workers = workers
    options.minimumApprovals = 0
    let r = try Verifier(trust: trust).verify(bundleDirectory: dir, options: options)
    guard r.check(.fileDigests)?.status == .passed, r.check(.signatures)?.status == .passed else {
        print("unexpected result: \(r.checks)"); exit(1)
    }
    return r
}

print("BundleBench: \(size / (1024 * 1024)) MiB model, \(ProcessInfo.processInfo.activeProcessorCount) cores")
let single = work + "/single"
let file = try makeModel(single)
warm(file)
let release = ReleaseInfo(changeID: "chg-1", modelName: "bench", modelVersion: "1.0.0", zones: ["z"])

// 1. single file vs openssl
let statement1 = try BundleSigner.makeStatement(directory: single, release: release)
try BundleSigner.sign(statement1, producer: .ed25519(approver)).write(path: single + "/model.sig")
let (openssl, opensslRSS) = bestExternal(["openssl", "dgst", "-sha256", file])
let ours1 = try best { _ = try verify(single, workers: 2, trust: trust) }
print(String(format: "1. single-file bundle: ours %.3f s (%@), openssl dgst %.3f s (%@): ratio %.3fx (goal <= 1.10x)",
             ours1, gbps(ours1), openssl, gbps(openssl), ours1 / openssl))

// 2. sharded on 2 workers vs openssl
let sharded = work + "/sharded"
try FileManager.default.createDirectory(atPath: sharded, withIntermediateDirectories: true)
_ = run(["cp", file, single + "/config.json", sharded + "/"])
warm(sharded + "/weights.bin")
let statement2 = try BundleSigner.makeStatement(directory: sharded, release: release, shardSize: shardSize)
try BundleSigner.sign(statement2, producer: .ed25519(approver)).write(path: sharded + "/model.sig")
let ours2 = try best { _ = try verify(sharded, workers: 2, trust: trust) }
print(String(format: "2. sharded bundle (%d MiB shards, 2 workers): ours %.3f s (%@), openssl %.3f s: %.2fx faster (goal >= 1.7x)",
             shardSize >> 20, ours2, gbps(ours2), openssl, openssl / ours2))

// 3. the same model signed by the real model-signing tool (ECDSA P-256), verified by both
let key = work + "/k.pem", pub = work + "/pub.pem"
_ = run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
_ = run(["openssl", "ec", "-in", key, "-pubout", "-out", pub])
var producerTrust = trust
producerTrust.producers = [try .init(name: "producer", pem: String(contentsOfFile: pub, encoding: .utf8))]
let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../Tests/AuditBundleTests/Interop").standardized.path
// The 1.1.1 CLI verifies files only; for shards, its library (which reads the serialization
// from the signature) is timed through ms_verify.py.
for (label, dir, sign, check) in [
    ("files, `model_signing verify key`", single,
     [python, "-m", "model_signing", "sign", "key", "--private_key", key, "--signature", single + "/model.sig", single],
     [python, "-m", "model_signing", "verify", "key", "--signature", single + "/model.sig", "--public_key", pub, single]),
    ("shards, model_signing library", sharded, [python, scripts + "/ms_sign_shards.py", sharded, key, String(shardSize)],
     [python, scripts + "/ms_verify.py", sharded, pub]),
] {
    let (status, _, out) = run(sign)
    guard status == 0 else { print("model_signing sign failed (pip install model-signing==1.1.1 pyOpenSSL): \(out)"); exit(1) }
    let (theirs, theirRSS) = bestExternal(check)
    let ours = try best { _ = try verify(dir, workers: 2, trust: producerTrust) }
    print(String(format: "3. model_signing-signed (%@): ours %.3f s, model_signing %.3f s (peak RSS %.0f MiB): %.2fx faster (goal >= 1.4x)",
                 label, ours, theirs, theirRSS, theirs / ours))
}
print(String(format: "peak RSS: BundleBench (ours, whole run) %.1f MiB with %d MiB read buffer per worker; openssl dgst %.1f MiB",
             maxRSSMiB(children: false), Limits.bundleHashBufferBytes >> 20, opensslRSS))
try? FileManager.default.removeItem(atPath: work)
