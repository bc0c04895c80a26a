import AuditCore
import AuditCrypto

extension ApprovalPolicy {
    /// Policy file versions this build understands.
    public static let supportedVersion = 1

    /// Reads and validates a policy file. Every error names `file` and the line at fault.
    public static func load(bytes: [UInt8], file: String) throws(YAMLInputError) -> ApprovalPolicy {
        let root = try YAMLMappingReader(StrictYAML.parse(bytes, file: file), file: file,
                                         allowedKeys: ["version", "description", "roles", "changeTypes", "security"])
        let versionNode = try root.required("version")
        let version = try versionNode.int(file: file, what: "'version'")
        guard version == supportedVersion else {
            throw YAMLInputError(file: file, at: versionNode,
                                 "unsupported policy version \(version) (this auditctl reads version \(supportedVersion))")
        }
        _ = try root.optionalString("description")
        let roles = try loadRoles(root)
        let changeTypes = try root.mapping("changeTypes", allowedKeys: ChangeType.allCases.map(\.rawValue))
        let missing = ChangeType.allCases.filter { !changeTypes.contains($0.rawValue) }
        if !missing.isEmpty {
            throw YAMLInputError(file: file, line: changeTypes.line, column: changeTypes.column, message:
                                 "'changeTypes' must define every change type; missing: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        func rule(_ type: ChangeType) throws(YAMLInputError) -> ChangeRule {
            try loadRule(type, changeTypes.mapping(type.rawValue, allowedKeys: ["requirements", "authorMaySign", "expiresAfterHours"]),
                         declaredRoles: roles)
        }
        let security = try SecurityParameters.load(root.optionalMapping("security", allowedKeys: SecurityParameters.keys),
                                                   declaredRoles: roles)
        return ApprovalPolicy(version: version, roles: roles, security: security,
                              register: try rule(.register), promote: try rule(.promote),
                              rollback: try rule(.rollback), retire: try rule(.retire), config: try rule(.config),
                              digest: SHA256.hash(bytes), file: file)
    }

    private static func loadRoles(_ root: YAMLMappingReader) throws(YAMLInputError) -> [String] {
        let nodes = try root.sequence("roles")
        guard !nodes.isEmpty else {
            throw YAMLInputError(file: root.file, at: try root.required("roles"), "'roles' must declare at least one role")
        }
        guard nodes.count <= Limits.maxApprovalRoles else {
            throw YAMLInputError(file: root.file, at: nodes[Limits.maxApprovalRoles],
                                 "'roles' declares more than \(Limits.maxApprovalRoles) roles")
        }
        var firstLine: [String: Int] = [:]
        var roles: [String] = []
        for (index, node) in nodes.enumerated() {
            let role = try node.string(file: root.file, what: "item \(index + 1) of 'roles'")
            guard isValidRoleName(role) else {
                throw YAMLInputError(file: root.file, at: node,
                                     "role name '\(role)' must be lowercase letters, digits and '-', starting with a letter (at most 64)")
            }
            if let line = firstLine[role] {
                throw YAMLInputError(file: root.file, at: node, "role '\(role)' is declared twice (lines \(line) and \(node.line))")
            }
            firstLine[role] = node.line
            roles.append(role)
        }
        return roles
    }

    static func isValidRoleName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func loadRule(_ type: ChangeType, _ reader: YAMLMappingReader,
                                 declaredRoles: [String]) throws(YAMLInputError) -> ChangeRule {
        let expires = try reader.int("expiresAfterHours", range: 1...Limits.maxApprovalExpiryHours)
        let authorMaySign = try reader.optionalBool("authorMaySign") ?? false
        let nodes = try reader.sequence("requirements")
        let listNode = try reader.required("requirements")
        guard !nodes.isEmpty else {
            throw YAMLInputError(file: reader.file, at: listNode,
                                 "\(reader.context): 'requirements' must list at least one requirement")
        }
        guard nodes.count <= Limits.maxApprovalRequirementsPerChange else {
            throw YAMLInputError(file: reader.file, at: nodes[Limits.maxApprovalRequirementsPerChange],
                                 "\(reader.context): more than \(Limits.maxApprovalRequirementsPerChange) requirements")
        }
        var requirements: [Requirement] = []
        var lineOfRole: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            let item = try YAMLMappingReader(node, file: reader.file, allowedKeys: ["role", "count", "meanings"],
                                             context: "requirement \(index + 1) of '\(type.rawValue)'")
            let requirement = try loadRequirement(item, declaredRoles: declaredRoles)
            if let line = lineOfRole[requirement.role] {
                throw YAMLInputError(file: reader.file, at: try item.required("role"),
                                     "role '\(requirement.role)' already has a requirement in '\(type.rawValue)' (line \(line)); raise its count instead")
            }
            lineOfRole[requirement.role] = requirement.line
            requirements.append(requirement)
        }
        return ChangeRule(changeType: type, requirements: requirements,
                          authorMaySign: authorMaySign, expiresAfterHours: expires)
    }

    private static func loadRequirement(_ item: YAMLMappingReader, declaredRoles: [String]) throws(YAMLInputError) -> Requirement {
        let roleNode = try item.required("role")
        let role = try item.string("role")
        guard declaredRoles.contains(role) else {
            throw YAMLInputError(file: item.file, at: roleNode,
                                 "unknown role '\(role)' (declared roles: \(declaredRoles.joined(separator: ", ")))")
        }
        guard !builtInRoles.contains(role) else {
            throw YAMLInputError(file: item.file, at: roleNode, "role '\(role)' can never sign a change, so no requirement may name it")
        }
        let count = try item.int("count", range: 1...Limits.maxApprovalCountPerRequirement)
        let meaningNodes = try item.sequence("meanings")
        guard !meaningNodes.isEmpty else {
            throw YAMLInputError(file: item.file, at: try item.required("meanings"), "'meanings' in \(item.context) must not be empty")
        }
        var meanings: Set<Meaning> = []
        for (index, node) in meaningNodes.enumerated() {
            let meaning = try node.enumValue(Meaning.self, file: item.file, what: "item \(index + 1) of 'meanings' in \(item.context)")
            guard meaning != .rejected else {
                throw YAMLInputError(file: item.file, at: node,
                                     "'rejected' never counts toward approval; any holder of a required role may reject, so leave it out of 'meanings'")
            }
            guard meanings.insert(meaning).inserted else {
                throw YAMLInputError(file: item.file, at: node, "meaning '\(meaning.rawValue)' is listed twice")
            }
        }
        return Requirement(role: role, count: count, meanings: meanings, line: item.node.line)
    }
}
