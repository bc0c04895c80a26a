import AuditCore

extension LedgerStore {
    /// Appends one entry; returns it once it is durable on disk.
    @discardableResult
    public func append(_ draft: EntryDraft) async throws(LedgerError) -> Entry {
        try await append([draft])[0]
    }

    /// Appends entries atomically and contiguously (all or none), e.g. a signature and the
    /// approval it completes. Returns once durable.
    @discardableResult
    public func append(_ drafts: [EntryDraft]) async throws(LedgerError) -> [Entry] {
        guard !drafts.isEmpty else { return [] }
        guard drafts.count <= Limits.maxGroupCommitEntries else {
            throw .invalidDraft(field: "entries", reason: "more than \(Limits.maxGroupCommitEntries) in one append")
        }
        let writer = try writableWriter()
        var validated: [ValidatedDraft] = []
        for d in drafts { validated.append(try ValidatedDraft(d, allowedKinds: EntryKind.all)) }
        do {
            return try await writer.submit(validated).entries
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    /// Blocking variant for callers that own their thread (the CLI, an edge's single writer):
    /// when the writer is idle the transaction runs on the calling thread, saving two thread
    /// hops per append. Same durability and atomicity as `append(_:)`.
    @discardableResult
    public func appendSynchronously(_ drafts: [EntryDraft]) throws(LedgerError) -> [Entry] {
        guard !drafts.isEmpty else { return [] }
        guard drafts.count <= Limits.maxGroupCommitEntries else {
            throw .invalidDraft(field: "entries", reason: "more than \(Limits.maxGroupCommitEntries) in one append")
        }
        let writer = try writableWriter()
        var validated: [ValidatedDraft] = []
        for d in drafts { validated.append(try ValidatedDraft(d, allowedKinds: EntryKind.all)) }
        do {
            return try writer.submitBlocking(validated).entries
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
    }

    /// Signs a checkpoint for the current size now (or returns the existing one for it).
    public func signCheckpoint() async throws(LedgerError) -> StoredCheckpoint {
        let writer = try writableWriter()
        guard writer.canSignCheckpoints else {
            throw .signing("the log key is not unlocked (give --log-key-password-file, AUDITCTL_LOG_KEY_PASSWORD_FILE or AUDITCTL_LOG_KEY)")
        }
        do {
            if let cp = try await writer.submit([], forceCheckpoint: true).checkpoint { return cp }
        } catch let e as LedgerError {
            throw e
        } catch {
            throw .storage(path: path, message: "\(error)")
        }
        throw .signing("no checkpoint was produced")
    }

    /// Hands in the unlocked log key; from now on every append batch is followed by a
    /// signed checkpoint in the same transaction.
    public func attachCheckpointSigner(_ signer: any CheckpointSigning) {
        writer?.signer = signer
    }

    /// The log key as an entry signer, for entries auditctl writes on its own behalf;
    /// nil while the log key is not unlocked.
    public var systemAuthority: (any EntryAuthorizing)? { writer?.signer?.systemAuthority }

    /// How far the host clock may lag the newest entry before an append is refused; the
    /// records layer sets the recorded policy's value once it has replayed the ledger.
    public var clockTolerance: Double {
        get { writer?.clockTolerance ?? 300 }
        set { writer?.clockTolerance = newValue }
    }

    /// Whether appends will be covered by a freshly signed checkpoint.
    public var signsCheckpoints: Bool { writer?.canSignCheckpoints ?? false }

    private func writableWriter() throws(LedgerError) -> GroupCommitWriter {
        guard let writer else { throw .readOnly(path: path) }
        return writer
    }
}
