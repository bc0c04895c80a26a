import AuditLedger
import AuditRecords
import Hummingbird

/// A failure as the client sees it: status, a stable machine code, a sentence a person
/// understands and a hint. The one place `RecordsError` and `LedgerError` become HTTP
/// statuses (the CLI's counterpart is `CLIFailure`).
struct HTTPFailure: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var hint: String
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, code: String, _ message: String, hint: String = "", retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.retryAfter = retryAfter
    }

    static func unauthenticated(_ why: String = "sign in first") -> HTTPFailure {
        HTTPFailure(.unauthorized, code: "authentication_required", why,
                    hint: "log in (POST /api/v1/sessions, or the login page) and send the session token")
    }

    static func forbidden(_ why: String) -> HTTPFailure {
        HTTPFailure(.forbidden, code: "forbidden", why, hint: "ask an admin if your role should allow this")
    }

    static func badRequest(_ why: String) -> HTTPFailure {
        HTTPFailure(.badRequest, code: "malformed_request", why, hint: "see Docs/api.md and Schemas/openapi.yaml")
    }

    static func invalid(_ field: String, _ why: String) -> HTTPFailure {
        HTTPFailure(.unprocessableContent, code: "invalid_input", "\(field): \(why)", hint: "nothing was written")
    }

    init(_ e: RecordsError) {
        switch e {
        case .invalidInput:
            self.init(.unprocessableContent, code: "invalid_input", e.description, hint: "nothing was written")
        case .notFound:
            self.init(.notFound, code: "not_found", e.description)
        case .authenticationFailed:
            self.init(.unauthorized, code: "authentication_failed", e.description,
                      hint: "the failure was recorded in the ledger; repeated failures lock the account")
        case .accountLocked:
            self.init(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), code: "account_locked", e.description,
                      hint: "an admin must unlock it; the attempt was recorded in the ledger")
        case .refused:
            self.init(.forbidden, code: "refused", e.description, hint: "nothing was written; Docs/signing-guide.md explains the rules")
        case .conflict:
            self.init(.conflict, code: "conflict", e.description, hint: "nothing was written")
        case .policyNotRecorded:
            self.init(.conflict, code: "policy_not_recorded", e.description, hint: "an admin must record and confirm the approval policy")
        case .credentialFile:
            self.init(.internalServerError, code: "credential_file", "a credential file under the data directory does not match the ledger",
                      hint: "restore the data directory's credentials/ and keys/ from backup; nothing was written")
        case .needsAttention:
            self.init(.serviceUnavailable, code: "needs_attention", e.description,
                      hint: "nothing was done; an admin runs `auditctl verify`, investigates and acknowledges the rejected entries")
        case .ledger(let l):
            self.init(l)
        case .storage:
            self.init(.serviceUnavailable, code: "storage", "the data directory cannot be used right now",
                      hint: "check disk space and permissions; nothing was written")
        }
    }

    init(_ e: LedgerError) {
        switch e {
        case .entryNotFound:
            self.init(.notFound, code: "not_found", e.description)
        case .invalidRange, .invalidDraft:
            self.init(.unprocessableContent, code: "invalid_input", e.description)
        case .corrupted:
            self.init(.serviceUnavailable, code: "ledger_corrupted", e.description, hint: "run `auditctl verify` for a full report")
        case .clockBehind:
            self.init(.serviceUnavailable, code: "clock_behind", e.description,
                      hint: "the server's clock is behind the ledger; fix the clock (or have an admin record a clock correction); nothing was written")
        case .notFound, .alreadyExists, .notALedger, .newerSchema, .storage, .signing, .badKeyFile, .readOnly, .unappliedWAL, .fileExists:
            self.init(.serviceUnavailable, code: "storage", "the ledger cannot be used right now",
                      hint: "check the data directory and the log key; nothing was written")
        }
    }
}

/// Runs a records call and turns its typed error into an `HTTPFailure`.
func mapped<T>(_ body: () async throws(RecordsError) -> T) async throws(HTTPFailure) -> T {
    do { return try await body() } catch { throw HTTPFailure(error) }
}
