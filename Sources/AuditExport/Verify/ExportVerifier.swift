import AuditCore
import AuditCrypto
import AuditLedger
import Foundation

/// Checks an export ZIP offline, without the ledger or any service: the manifest's
/// signature, every file's digest, every entry's leaf hash and place in the signed tree,
/// the consistency proofs, every e-signature and approval (by replaying the records
/// rules), and that the report and CSV state what the JSONL holds.
public struct ExportVerifier: Sendable {
    /// The log's verifier key as the inspector obtained it. Without it the key named in the
    /// manifest is used, and the result says it was not independently trusted.
    public var logKey: NoteVerifierKey?
    /// A checkpoint note the inspector saw earlier; the export must agree with it.
    public var trustedCheckpoint: String?
    public var progress: ExportProgress?

    public init(logKey: NoteVerifierKey? = nil, trustedCheckpoint: String? = nil, progress: ExportProgress? = nil) {
        self.logKey = logKey
        self.trustedCheckpoint = trustedCheckpoint
        self.progress = progress
    }

    /// Throws only when `zip` cannot be read as a ZIP at all; everything else is a problem
    /// in the returned verification.
    public func verify(zip: String) throws(ExportError) -> ExportVerification {
        let scratch = FileManager.default.temporaryDirectory.path + "/auditctl-verify-export-\(UUID().uuidString.prefix(8))"
        do { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            throw .io(path: scratch, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let extracted = try ZipExtractor.extract(zip, into: scratch)
        let run = VerificationRun(directory: scratch, files: extracted.files, verifier: self)
        for p in extracted.problems { run.result.add(p) }
        run.run()
        return run.result
    }
}

/// The state of one verification as it goes through the files.
final class VerificationRun {
    let directory: String
    let files: [String: ManifestFile]
    let verifier: ExportVerifier
    var result = ExportVerification()
    var manifest: ExportManifest!
    var key: NoteVerifierKey!
    var header: ProofsHeader?
    var trusted: CheckpointBody?
    /// proofs.jsonl, positioned after its header for the context pass.
    var proofsReader: LineReader?
    /// The report as read during the period pass (cover, statuses, signatures).
    var reportHead: ReportReader?

    init(directory: String, files: [String: ManifestFile], verifier: ExportVerifier) {
        self.directory = directory
        self.files = files
        self.verifier = verifier
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func problem(_ file: String, line: Int? = nil, seq: Int? = nil, _ message: String) {
        result.add(ExportProblem(file: file, line: line, seq: seq, message))
    }

    func read(_ name: String, limit: Int) -> [UInt8]? {
        guard let f = files[name] else { problem(name, "missing from the ZIP"); return nil }
        guard f.size <= limit else { problem(name, "larger than \(limit) bytes"); return nil }
        guard let data = FileManager.default.contents(atPath: path(name)) else { problem(name, "cannot be read"); return nil }
        return [UInt8](data)
    }

    func run() {
        guard checkManifest() else { return }
        checkFiles()
        checkCheckpoints()
        let records = checkEntries()
        checkReportAndKeys(records)
        result.cannotProve = [
            "entries outside seqs \(manifest.firstSeq)–\(manifest.lastSeq): the export proves the period complete and unaltered, not what came before or after it",
            "that context.jsonl holds every record entry before the period (each one it holds is proven to be in the log; one left out cannot be seen)",
            "that entry times are right: they are the ledger host's clock at append time (never running backwards), not a trusted time source",
        ]
        if !result.logKeyTrusted {
            result.cannotProve.append("that the log key is the site's: none was given (--log-key), so the key named in the manifest was used; compare \(key.encoded) with the site's log.vkey")
        }
    }

    /// manifest.json and manifest.sig: the signature by the log key over the manifest's digest.
    private func checkManifest() -> Bool {
        guard let bytes = read(ExportLayout.manifest, limit: ExportLayout.maxManifestBytes) else { return false }
        do { manifest = try ExportManifest(bytes: bytes) } catch {
            problem(ExportLayout.manifest, error.description)
            return false
        }
        result.manifest = manifest
        if let given = verifier.logKey {
            key = given
            result.logKeyTrusted = true
            if manifest.logVerifierKey != given.encoded {
                problem(ExportLayout.manifest, "names log key \(manifest.logVerifierKey), not the trusted key \(given.encoded)")
            }
        } else {
            do { key = try NoteVerifierKey.parse(manifest.logVerifierKey) } catch {
                problem(ExportLayout.manifest, "logVerifierKey is not a C2SP verifier key: \(error)")
                return false
            }
        }
        result.logKey = key.encoded
        if key.name != manifest.origin { problem(ExportLayout.manifest, "the log key's name \(key.name) is not the origin \(manifest.origin)") }
        guard let note = read(ExportLayout.manifestSignature, limit: Limits.maxSignedNoteBytes) else { return true }
        do {
            let opened = try SignedNote.open(bytes: note, verifiers: [key])
            let expected = ExportLayout.manifestNoteText(origin: manifest.origin, manifestDigest: SHA256.hash(bytes).prefixed)
            if opened.text != expected {
                problem(ExportLayout.manifestSignature, "signs another manifest (its text is not the format, origin and SHA-256 of this manifest.json)")
            } else {
                result.checked.append("manifest.json signed by the log key \(key.name) (manifest.sig)")
            }
        } catch {
            problem(ExportLayout.manifestSignature, "signature does not verify under \(key.encoded): \(error)")
        }
        return true
    }

    /// Every file listed with its digest and size; nothing missing, nothing added.
    private func checkFiles() {
        var bad = 0
        for f in manifest.files {
            guard let actual = files[f.name] else {
                problem(f.name, "listed in manifest.json but missing from the ZIP")
                bad += 1
                continue
            }
            if actual.size != f.size || actual.sha256 != f.sha256 {
                problem(f.name, "SHA-256 \(actual.sha256.prefixed) (\(actual.size) bytes) differs from manifest.json's \(f.sha256.prefixed) (\(f.size) bytes): the file was changed")
                bad += 1
            }
        }
        let listed = Set(manifest.files.map(\.name) + [ExportLayout.manifest, ExportLayout.manifestSignature])
        for name in files.keys.sorted() where !listed.contains(name) {
            problem(name, "is in the ZIP but not in manifest.json: it was added")
            bad += 1
        }
        for required in [ExportLayout.report, ExportLayout.csv, ExportLayout.entries, ExportLayout.context, ExportLayout.proofs,
                         ExportLayout.checkpoint, ExportLayout.keys] where !manifest.files.contains(where: { $0.name == required }) {
            problem(ExportLayout.manifest, "does not list \(required), which every export holds")
        }
        if bad == 0 { result.checked.append("\(manifest.files.count) files match manifest.json's SHA-256 and sizes; none missing or added") }
    }

    /// checkpoint.txt, proofs.jsonl's header, start-checkpoint.txt and a trusted checkpoint.
    private func checkCheckpoints() {
        if let note = read(ExportLayout.checkpoint, limit: Limits.maxSignedNoteBytes) {
            do {
                let body = try NoteCheckpointVerifier(key: key).open(note: String(decoding: note, as: UTF8.self))
                if body.origin != manifest.origin || body.size != manifest.checkpointSize || body.root != manifest.checkpointRoot {
                    problem(ExportLayout.checkpoint, "names \(body.origin) size \(body.size) root \(body.root.prefixed), not the manifest's \(manifest.origin) size \(manifest.checkpointSize) root \(manifest.checkpointRoot.prefixed)")
                } else {
                    result.checked.append("checkpoint.txt signed by the log key: tree size \(body.size), root \(body.root.prefixed)")
                }
            } catch {
                problem(ExportLayout.checkpoint, "is not a checkpoint signed by \(key.encoded): \(error)")
            }
        }
        proofsReader = LineReaderOrNil(path(ExportLayout.proofs), present: files[ExportLayout.proofs] != nil)
        if let first = try? proofsReader?.next() {
            do {
                let json = try JSONValue.parse(first, source: ExportLayout.proofs)
                let h = try ProofsHeader(json: json)
                if h.treeSize != manifest.checkpointSize || h.rootHash != manifest.checkpointRoot || h.firstSeq != manifest.firstSeq || h.lastSeq != manifest.lastSeq {
                    problem(ExportLayout.proofs, line: 1, "its tree and period differ from manifest.json's")
                }
                header = h
            } catch {
                problem(ExportLayout.proofs, line: 1, "\(error)")
            }
        }
        if let h = header, let size = h.startCheckpointSize, let root = h.startCheckpointRoot {
            if let note = read(ExportLayout.startCheckpoint, limit: Limits.maxSignedNoteBytes) {
                do {
                    let body = try NoteCheckpointVerifier(key: key).open(note: String(decoding: note, as: UTF8.self))
                    if body.size != size || body.root != root || body.origin != manifest.origin {
                        problem(ExportLayout.startCheckpoint, "names size \(body.size) root \(body.root.prefixed), not proofs.jsonl's \(size) \(root.prefixed)")
                    } else if size <= h.firstSeq {
                        problem(ExportLayout.startCheckpoint, "size \(size) does not cover the period's first entry \(h.firstSeq)")
                    } else {
                        try MerkleVerifier.verifyConsistency(oldSize: size, newSize: h.treeSize, oldRoot: root, newRoot: h.rootHash, proof: h.startConsistency)
                        result.checked.append("start-checkpoint.txt (size \(size)) signed by the log key; RFC 9162 consistency proof to the export's checkpoint holds")
                    }
                } catch {
                    problem(ExportLayout.startCheckpoint, "does not verify: \(error)")
                }
            }
        }
        if let text = verifier.trustedCheckpoint {
            do {
                let body = try NoteCheckpointVerifier(key: key).open(note: text)
                guard body.origin == manifest.origin else {
                    problem("--trusted-checkpoint", "is for \(body.origin), not \(manifest.origin)")
                    return
                }
                trusted = body
            } catch {
                problem("--trusted-checkpoint", "is not a checkpoint signed by the log key: \(error)")
            }
        }
    }
}

/// A line reader over a file that may be missing (a missing file is already a problem).
func LineReaderOrNil(_ path: String, present: Bool) -> LineReader? {
    present ? try? LineReader(path: path) : nil
}
