import AuditCore
import AuditCrypto
import AuditLedger

/// The plant's push loop: brings the central up to this ledger's newest signed checkpoint,
/// one batch at a time, and keeps each cosignature the witness returns in the ledger file
/// (`checkpoint_cosignatures`, beside the log).
///
/// Resumable without repair: where the central stands is only ever learned from it (a 409
/// says its size) or from the newest cosignature this ledger stored, and storing one is the
/// last step of a push. Interrupted anywhere, the next run pushes from the remembered size,
/// the central corrects it with a 409 if it got further, and a lost 200 is recovered by
/// pushing the same checkpoint again, which the central answers with a fresh cosignature.
public struct FleetPusher: Sendable {
    public let store: LedgerStore
    public let transport: any FleetPushTransport
    /// The central's witness key: every cosignature is verified with it before it is stored.
    public let witness: CosignerKey
    /// Entries per push (at most `FleetPush.maxEntries`); halved when a push is too large.
    public let batchSize: Int

    /// Consecutive 409s after which the central is taken to be misbehaving.
    static let maxConsecutiveConflicts = 3

    public init(store: LedgerStore, transport: any FleetPushTransport, witness: CosignerKey, batchSize: Int = 5_000) {
        self.store = store
        self.transport = transport
        self.witness = witness
        self.batchSize = max(1, min(batchSize, FleetPush.maxEntries))
    }

    /// Pushes until the central holds every entry up to the newest signed checkpoint and this
    /// ledger holds the witness's cosignature of it.
    public func pushUntilCurrent() async throws(FleetPushError) -> FleetPushSummary {
        let remembered = try ledger { () throws(LedgerError) in try store.latestCosignedCheckpoint(witness: witness)?.checkpoint.size } ?? 0
        var summary = FleetPushSummary(rememberedSize: remembered, centralSize: remembered)
        var central = remembered
        var batch = batchSize
        var conflicts = 0
        var tooLarge = Int.max  // entries of the last push refused for its size
        while let push = try nextPush(centralSize: central, batch: batch) {
            let outcome: FleetPushOutcome
            do {
                outcome = try await transport.send(push)
            } catch {
                // Smaller batches, as long as they get smaller (the stored checkpoints decide
                // where a push can end).
                if case .pushTooLarge = error, push.entries.count > 1, push.entries.count < tooLarge {
                    tooLarge = push.entries.count
                    batch = max(1, push.entries.count / 2)
                    continue
                }
                throw .central(error)
            }
            switch outcome {
            case .conflict(let size):
                conflicts += 1
                guard size != push.old, conflicts <= Self.maxConsecutiveConflicts else { throw .conflictLoop(size: size) }
                let ledgerSize = try ledger { () throws(LedgerError) in try store.size() }
                guard size <= ledgerSize else { throw .centralAhead(centralSize: size, ledgerSize: ledgerSize) }
                if size < summary.centralSize { summary.centralRewound = FleetPushSummary.Rewind(acknowledged: summary.centralSize, held: size) }
                summary.conflicts += 1
                central = size
                summary.centralSize = size
            case .cosigned(let size, let lines):
                conflicts = 0
                let cosignature = try verify(lines, over: push, size: size)
                try ledger { () throws(LedgerError) in try store.storeCosignatures([cosignature], size: size) }
                summary.pushes += 1
                summary.entriesPushed += push.entries.count
                central = size
                summary.centralSize = size
                summary.cosigned = FleetPushSummary.Cosigned(size: size, timestamp: cosignature.timestamp)
            }
        }
        let newest = try ledger { () throws(LedgerError) in try store.latestCheckpoint()?.size } ?? 0
        let size = try ledger { () throws(LedgerError) in try store.size() }
        summary.uncheckpointedEntries = max(0, size - max(newest, central))
        if summary.cosigned == nil,
           let stored = try ledger({ () throws(LedgerError) in try store.latestCosignedCheckpoint(witness: witness) }),
           let mine = stored.cosignatures.first(where: { $0.witness == witness }) {
            summary.cosigned = FleetPushSummary.Cosigned(size: stored.checkpoint.size, timestamp: mine.timestamp)
        }
        return summary
    }

    /// The next batch from `centralSize`; or, when the central stands at this ledger's
    /// checkpoint of that size but no cosignature of it is stored (the 200 was lost), that
    /// checkpoint again; nil when there is nothing left to do.
    private func nextPush(centralSize: Int, batch: Int) throws(FleetPushError) -> FleetPush? {
        try ledger { () throws(LedgerError) -> FleetPush? in
            if let push = try FleetPushBuilder.next(from: store, origin: store.origin, centralSize: centralSize, maxEntries: batch) {
                return push
            }
            guard centralSize > 0, !(try store.cosignatures(size: centralSize).contains { $0.witness == witness }) else { return nil }
            return try FleetPushBuilder.resubmission(from: store, origin: store.origin, size: centralSize)
        }
    }

    /// The witness's cosignature among `lines`, verified over the pushed checkpoint's text.
    private func verify(_ lines: String, over push: FleetPush, size: Int) throws(FleetPushError) -> VerifiedCosignature {
        let text: String
        do { text = try Cosignature.split(note: push.checkpoint).text } catch {
            throw .cosignature(size: size, reason: "the pushed checkpoint is not a signed note: \(error)")
        }
        let verified: [VerifiedCosignature]
        do {
            verified = try Cosignature.verify(checkpointText: text, signatureLines: lines, witnesses: [witness])
        } catch {
            throw .cosignature(size: size, reason: "the answer's cosignature by \(witness.name) does not verify over the pushed checkpoint (\(error)); nothing was stored")
        }
        guard let mine = verified.first else {
            let names = Self.signerNames(lines)
            throw .cosignature(size: size, reason: "the answer carries no cosignature by the configured witness key \(witness.name)+\(Self.hex(witness.keyHash))"
                + (names.isEmpty ? "" : " (it is signed by: \(names.joined(separator: ", ")))") + "; nothing was stored")
        }
        return mine
    }

    /// `name+keyhash` of each signature line, for an operator comparing keys.
    static func signerNames(_ lines: String) -> [String] {
        lines.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "—", let raw = Base64.decode(String(parts[2])), raw.count >= 4 else { return nil }
            let hash = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
            return "\(parts[1])+\(hex(hash))"
        }
    }

    static func hex(_ keyHash: UInt32) -> String {
        let digits = String(keyHash, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    private func ledger<T>(_ body: () throws(LedgerError) -> T) throws(FleetPushError) -> T {
        do { return try body() } catch { throw .ledger(error) }
    }
}
