/// Why a central fleet operation failed, with the context an operator needs (the field, the
/// plant origin, the key file). "Malformed" (`invalidInput`) and "does not belong together"
/// (`keyMismatch`, `notInitialized`) are different cases, as in the other modules. Push
/// refusals are not errors: they are `PushDecision`s, answered with their own HTTP status.
public enum FleetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be reached, or refused a statement. `operation` says what the
    /// central was doing; `message` is the server's message (never the connection password).
    case database(operation: String, message: String)
    /// The database was migrated by a newer auditctl release (it holds these migrations).
    case newerSchema(unknownMigrations: [String])
    /// `fleet init` has not been run on this database.
    case notInitialized
    /// `fleet init` already ran on this database (for this central origin).
    case alreadyInitialized(origin: String)
    case notEnrolled(origin: String)
    case alreadyEnrolled(origin: String)
    /// A flag, field or argument that cannot be used as given.
    case invalidInput(field: String, reason: String)
    /// A key file that cannot be read, parsed or written.
    case keyFile(path: String, reason: String)
    /// `fleet init` never overwrites an existing key file.
    case keyFileExists(path: String)
    case wrongPassword(path: String)
    /// The key directory's keys are not the ones this database was initialized with.
    case keyMismatch(reason: String)

    public var description: String {
        switch self {
        case let .database(operation, message): return "database error while \(operation): \(message)"
        case .newerSchema(let unknown):
            return "the fleet database was migrated by a newer auditctl release (unknown migrations: \(unknown.joined(separator: ", ")))"
        case .notInitialized: return "the fleet database is not initialized"
        case .alreadyInitialized(let origin): return "the fleet database is already initialized for central origin \(origin)"
        case .notEnrolled(let origin): return "no plant with origin \(origin) is enrolled"
        case .alreadyEnrolled(let origin): return "a plant with origin \(origin) is already enrolled"
        case let .invalidInput(field, reason): return "\(field): \(reason)"
        case let .keyFile(path, reason): return "key file \(path): \(reason)"
        case .keyFileExists(let path): return "key file \(path) already exists"
        case .wrongPassword(let path): return "wrong password for the sealed key \(path)"
        case .keyMismatch(let reason): return "the key directory does not belong to this fleet database: \(reason)"
        }
    }
}
