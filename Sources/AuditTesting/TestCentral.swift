import AuditCore
import AuditCrypto
import AuditFleet
import AuditLedger
import Foundation

/// An in-memory central fleet service for plant-side tests. It answers pushes as
/// Docs/fleet.md says the real one does (404 unknown origin, 403 not signed by the enrolled
/// key, 400 malformed, 409 with its size, 422 when the entries or proof do not match what it
/// holds, 200 with a cosignature), keeps each plant's leaves, and cosigns with a test witness.
/// Faults are injected per push: lose the answer after storing, fail before storing, cosign
/// with another key. Usable in-process (`FleetPushTransport`) or behind `ScriptedHTTPServer`.
public final class TestCentral: FleetPushTransport, @unchecked Sendable {
    public enum Fault: Sendable {
        /// Store the push, then fail as a dropped connection: the plant never hears the 200.
        case loseAnswerAfterStoring
        /// Fail as a dropped connection before storing anything.
        case failBeforeStoring
        /// Answer with a cosignature by this key instead of the witness's.
        case cosignWith(Cosigner)
        /// Answer 200 with this body as it is.
        case answer(String)
    }

    public let witness: Cosigner
    private let lock = NSLock()
    private var keys: [String: NoteVerifierKey] = [:]
    private var leaves: [String: [Digest]] = [:]
    private var faults: [Fault] = []
    private var pushCount = 0

    public init(witnessName: String = "central.example/witness") throws {
        witness = try Cosigner(name: witnessName, privateKey: .generate())
    }

    /// Admits pushes from `origin` signed by `key`.
    public func enroll(origin: String, key: NoteVerifierKey) {
        lock.withLock {
            keys[origin] = key
            if leaves[origin] == nil { leaves[origin] = [] }
        }
    }

    /// Faults applied to the next pushes, one each, in order.
    public func inject(_ fault: Fault) { lock.withLock { faults.append(fault) } }

    public func size(of origin: String) -> Int { lock.withLock { leaves[origin]?.count ?? 0 } }
    public func storedLeaves(of origin: String) -> [Digest] { lock.withLock { leaves[origin] ?? [] } }
    /// Pushes received (including refused and faulted ones).
    public var pushesReceived: Int { lock.withLock { pushCount } }

    /// Forgets everything after `size` entries of `origin`, as a central restored from an old backup.
    public func rewind(origin: String, to size: Int) { lock.withLock { leaves[origin] = Array((leaves[origin] ?? []).prefix(size)) } }

    /// Pretends to hold `extra` more (made-up) entries for `origin`: a central that saw a fork.
    public func pad(origin: String, extra: Int) {
        lock.withLock { leaves[origin, default: []] += (0..<extra).map { SHA256.hash("padding \($0)") } }
    }

    /// Pushes with more entries than this fail as `FleetClient` fails a push over the body
    /// limit (nothing sent); nil: no limit.
    public var tooLargeAbove: Int? {
        get { lock.withLock { entryLimit } }
        set { lock.withLock { entryLimit = newValue } }
    }
    private var entryLimit: Int?

    public func send(_ push: FleetPush) async throws(FleetClientError) -> FleetPushOutcome {
        if let limit = tooLargeAbove, push.entries.count > limit {
            throw .pushTooLarge(bytes: push.entries.count, limit: limit)
        }
        let (status, contentType, body) = answer(push)
        if status == -1 { throw .transport("connection dropped (injected)") }
        return try FleetPushTestAnswer.outcome(status: status, contentType: contentType, body: body, push: push)
    }

    /// The HTTP form, for `ScriptedHTTPServer`.
    public func handle(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        guard request.method == "POST", request.path.hasSuffix(FleetClient.pushPath) else { return .text(404, "no such route") }
        guard let push = try? JSONDecoder().decode(FleetPush.self, from: Data(request.body)) else {
            return .text(400, #"{"error": "not a push"}"#, contentType: "application/json")
        }
        let (status, contentType, body) = answer(push)
        if status == -1 { return .close }
        return .respond(status: status, headers: [("Content-Type", contentType)], body: Array(body.utf8))
    }

    /// Status, content type and body of the answer to `push` (status -1: drop the connection).
    public func answer(_ push: FleetPush) -> (Int, String, String) {
        lock.withLock {
            pushCount += 1
            let fault = faults.isEmpty ? nil : faults.removeFirst()
            if case .failBeforeStoring = fault { return (-1, "", "") }
            let result = process(push)
            guard result.0 == 200 else { return result }
            switch fault {
            case .loseAnswerAfterStoring?: return (-1, "", "")
            case .cosignWith(let other)?: return (200, "text/plain", (try? cosign(push, with: other)) ?? "")
            case .answer(let body)?: return (200, "text/plain", body)
            default: return result
            }
        }
    }

    private func process(_ push: FleetPush) -> (Int, String, String) {
        func refusal(_ status: Int, _ field: String, _ message: String) -> (Int, String, String) {
            (status, "application/json", JSONValue.object(["error": .string(message), "field": .string(field)]).canonicalString())
        }
        guard let key = keys[push.origin] else { return refusal(404, "origin", "origin '\(push.origin)' is not enrolled") }
        let body: CheckpointBody
        do { body = try NoteCheckpointVerifier(key: key).open(note: push.checkpoint) } catch {
            return refusal(403, "checkpoint", "no signature by the enrolled key")
        }
        guard body.origin == push.origin else { return refusal(400, "origin", "differs from the checkpoint's") }
        guard push.old <= body.size else { return refusal(400, "old", "beyond the checkpoint size") }
        var stored = leaves[push.origin] ?? []
        guard push.old == stored.count else { return (409, "text/x.tlog.size", "\(stored.count)\n") }
        guard push.entries.map(\.seq) == Array(push.old..<body.size) else {
            return refusal(400, "entries", "not exactly \(push.old)..<\(body.size)")
        }
        do {
            let proof = try push.proofDigests()
            let oldRoot = InMemoryMerkleTree.referenceRoot(leaves: stored)
            stored += try push.entries.map { try $0.leafHash() }
            guard InMemoryMerkleTree.referenceRoot(leaves: stored) == body.root else {
                return refusal(422, "entries", "the entries do not hash to the checkpoint root")
            }
            if push.old > 0 {
                try MerkleVerifier.verifyConsistency(oldSize: push.old, newSize: body.size, oldRoot: oldRoot, newRoot: body.root, proof: proof)
            }
        } catch {
            return refusal(422, "proof", "\(error)")
        }
        leaves[push.origin] = stored
        return (200, "text/plain", (try? cosign(push, with: witness)) ?? "")
    }

    private func cosign(_ push: FleetPush, with cosigner: Cosigner) throws -> String {
        try cosigner.cosign(checkpointText: Cosignature.split(note: push.checkpoint).text,
                            timestamp: UInt64(Date().timeIntervalSince1970))
    }
}

/// The in-process transport reads answers exactly as `FleetClient` reads HTTP ones.
enum FleetPushTestAnswer {
    static func outcome(status: Int, contentType: String, body: String, push: FleetPush) throws(FleetClientError) -> FleetPushOutcome {
        let size: Int
        do { size = try CheckpointBody.parse(try Cosignature.split(note: push.checkpoint).text).size } catch {
            throw .invalidPush("\(error)")
        }
        switch status {
        case 200: return .cosigned(size: size, cosignatures: body)
        case 409:
            guard let n = Int(body.dropLast()) else { throw .malformedResponse(status: 409, reason: body) }
            return .conflict(centralSize: n)
        default:
            if let refusal = FleetRefusal(rawValue: status) { throw .refused(refusal, message: body) }
            throw .unexpectedStatus(status, message: body)
        }
    }
}
