import AuditCore
import Foundation

/// Shapes of the identifiers people type. IDs become file names and ledger subjects, so
/// they are kept to a small, unambiguous alphabet.
public enum RecordIDs {
    /// Actor of entries auditctl writes on its own behalf (lockouts, decisions); no user may take it.
    public static let systemActor = "auditctl"
    static let reserved: Set<String> = [systemActor, "system", "root", "unknown", "approval-policy", "ledger"]

    /// User IDs: lowercase letter first, then lowercase letters, digits, `.`, `_`, `-`.
    public static func checkUserID(_ id: String, field: String = "user ID") throws(RecordsError) {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first),
              id.utf8.count <= Limits.maxRecordIDBytes,
              id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) })
        else {
            throw .invalidInput(field: field, reason: "'\(id)' must start with a lowercase letter and use only a-z, 0-9, '.', '_', '-' (at most \(Limits.maxRecordIDBytes))")
        }
        guard !reserved.contains(id) else { throw .invalidInput(field: field, reason: "'\(id)' is reserved") }
    }

    /// Change IDs: letters, digits, `.`, `_`, `-`, starting with a letter or digit.
    public static func checkChangeID(_ id: String) throws(RecordsError) {
        guard let first = id.unicodeScalars.first, first.properties.isASCIIHexDigit || ("A"..."Z").contains(first) || ("a"..."z").contains(first),
              id.utf8.count <= Limits.maxRecordIDBytes,
              id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) })
        else {
            throw .invalidInput(field: "change ID", reason: "'\(id)' must use only letters, digits, '.', '_', '-' (at most \(Limits.maxRecordIDBytes))")
        }
    }

    /// Free text that must be present (reasons), bounded and free of control characters
    /// other than newline and tab.
    public static func checkText(_ text: String, field: String, maxBytes: Int = Limits.maxReasonBytes,
                                 required: Bool = true) throws(RecordsError) {
        if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidInput(field: field, reason: "must not be empty")
        }
        guard text.utf8.count <= maxBytes else {
            throw .invalidInput(field: field, reason: "longer than \(maxBytes) bytes")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else {
            throw .invalidInput(field: field, reason: "contains control characters")
        }
    }
}
