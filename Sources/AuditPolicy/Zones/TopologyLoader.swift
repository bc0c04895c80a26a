/// Reads a topology YAML file (Schemas/topology.schema.json, Docs/topology.md) strictly:
/// every syntax, type or unknown-key problem is a `YAMLInputError` naming file and line.
/// Reference problems (unknown or duplicate ids) are left to rule ZR-011, which reports
/// all of them at once with their lines.
public enum TopologyLoader {
    public static let supportedVersion = 1

    /// Keys each mapping may hold; Schemas/topology.schema.json lists the same (a test compares).
    public enum Keys {
        public static let root = ["version", "site", "zones", "conduits", "flows"]
        public static let site = ["id", "name", "description"]
        public static let zone = ["id", "name", "purdueLevel", "kind", "slTarget", "requiresSignedBundles", "assets", "description"]
        public static let asset = ["id", "name", "description"]
        public static let conduit = ["id", "name", "zones", "direction", "protocols", "enforcingDevice", "capabilities",
                                     "slAchieved", "description"]
        public static let protocolEntry = ["name", "port", "access"]
        public static let flow = ["id", "from", "to", "protocol", "purpose", "description"]
    }

    /// Reads and parses `path`; throws `PolicyFileError` or `YAMLInputError`.
    public static func load(path: String) throws -> Topology {
        try parse(PolicyFile.read(path, what: "topology"), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(YAMLInputError) -> Topology {
        let root = try YAMLMappingReader(StrictYAML.parse(bytes, file: file), file: file,
                                         allowedKeys: Keys.root)
        let version = try root.int("version")
        guard version == supportedVersion else {
            throw YAMLInputError(file: file, at: try root.required("version"),
                                 "unsupported topology version \(version) (this auditctl reads version \(supportedVersion))")
        }
        let siteReader = try root.mapping("site", allowedKeys: Keys.site)
        let site = Site(id: try id(siteReader, "id"), name: try siteReader.string("name"))

        var zones: [Zone] = []
        for (index, node) in try root.sequence("zones").enumerated() {
            zones.append(try zone(node, file: file, context: "zone \(index + 1)"))
        }
        var conduits: [Conduit] = []
        for (index, node) in try (root.optional("conduits")?.sequence(file: file, what: "'conduits'") ?? []).enumerated() {
            conduits.append(try conduit(node, file: file, context: "conduit \(index + 1)"))
        }
        var flows: [Flow] = []
        for (index, node) in try (root.optional("flows")?.sequence(file: file, what: "'flows'") ?? []).enumerated() {
            flows.append(try flow(node, file: file, context: "flow \(index + 1)"))
        }
        return Topology(site: site, zones: zones, conduits: conduits, flows: flows)
    }

    private static func zone(_ node: YAMLNode, file: String, context: String) throws(YAMLInputError) -> Zone {
        let reader = try mapping(node, file: file, context: context, allowedKeys: Keys.zone)
        let levelNode = try reader.required("purdueLevel")
        let levelValue = try levelNode.double(file: file, what: "'purdueLevel' in \(context)")
        guard let level = PurdueLevel(levelValue) else {
            throw YAMLInputError(file: file, at: levelNode, "'purdueLevel' in \(context): must be one of 0, 1, 2, 3, 3.5, 4, 5")
        }
        var assets: [Asset] = []
        for (index, assetNode) in try (reader.optional("assets")?.sequence(file: file, what: "'assets' in \(context)") ?? []).enumerated() {
            let asset = try mapping(assetNode, file: file, context: "asset \(index + 1) of \(context)",
                                              allowedKeys: Keys.asset)
            let assetID = try id(asset, "id")
            assets.append(Asset(id: assetID, name: try asset.optionalString("name") ?? assetID,
                                location: SourceLocation(file: file, line: assetNode.line)))
        }
        return Zone(
            id: try id(reader, "id"), name: try reader.string("name"), purdueLevel: level,
            kind: try reader.enumValue("kind", as: ZoneKind.self),
            slTarget: try securityLevel(reader.required("slTarget"), file: file, what: "'slTarget' in \(context)"),
            requiresSignedBundles: try reader.optionalBool("requiresSignedBundles") ?? false,
            assets: assets, location: SourceLocation(file: file, line: node.line))
    }

    private static func conduit(_ node: YAMLNode, file: String, context: String) throws(YAMLInputError) -> Conduit {
        let reader = try mapping(node, file: file, context: context, allowedKeys: Keys.conduit)
        let zonesNode = try reader.required("zones")
        let ends = try zonesNode.stringList(file: file, what: "'zones' in \(context)")
        guard ends.count == 2 else {
            throw YAMLInputError(file: file, at: zonesNode, "'zones' in \(context): a conduit joins exactly two zones, found \(ends.count)")
        }
        let direction = try reader.optional("direction")?.enumValue(ConduitDirection.self, file: file, what: "'direction' in \(context)")
        var protocols: [ConduitProtocol] = []
        for (index, protoNode) in try reader.sequence("protocols").enumerated() {
            let proto = try mapping(protoNode, file: file, context: "protocol \(index + 1) of \(context)",
                                              allowedKeys: Keys.protocolEntry)
            let access = try proto.optional("access")?.enumValue(ProtocolAccess.self, file: file, what: "'access' in \(proto.context)")
            protocols.append(ConduitProtocol(name: try protocolName(proto), port: try proto.optionalInt("port", range: 0...65535),
                                             access: access ?? .readWrite))
        }
        return Conduit(
            id: try id(reader, "id"), name: try reader.optionalString("name"), zones: (ends[0], ends[1]),
            direction: direction ?? .bidirectional, protocols: protocols,
            enforcingDevice: try reader.string("enforcingDevice"),
            capabilities: Set(try reader.optionalStringList("capabilities") ?? []),
            slAchieved: try securityLevel(reader.required("slAchieved"), file: file, what: "'slAchieved' in \(context)"),
            location: SourceLocation(file: file, line: node.line))
    }

    private static func flow(_ node: YAMLNode, file: String, context: String) throws(YAMLInputError) -> Flow {
        let reader = try mapping(node, file: file, context: context, allowedKeys: Keys.flow)
        return Flow(id: try id(reader, "id"), from: try id(reader, "from"), to: try id(reader, "to"),
                    protocol: try protocolName(reader, key: "protocol"),
                    purpose: try reader.enumValue("purpose", as: FlowPurpose.self),
                    location: SourceLocation(file: file, line: node.line))
    }

    /// `2` (every foundational requirement) or a list of seven levels FR1…FR7, each 0-4.
    static func securityLevel(_ node: YAMLNode, file: String, what: String) throws(YAMLInputError) -> SecurityLevelVector {
        let expected = "\(what): expected a level 0-4 or a list of 7 levels (FR1…FR7)"
        if case .sequence(let items) = node.kind {
            var levels: [Int] = []
            for (index, item) in items.enumerated() {
                levels.append(try item.int(file: file, what: "item \(index + 1) of \(what)", range: 0...4))
            }
            guard let vector = SecurityLevelVector(levels: levels) else {
                throw YAMLInputError(file: file, at: node, "\(expected), found \(levels.count) levels")
            }
            return vector
        }
        let level = try node.int(file: file, what: what, range: 0...4)
        guard let vector = SecurityLevelVector(uniform: level) else { throw YAMLInputError(file: file, at: node, expected) }
        return vector
    }

    static func mapping(_ node: YAMLNode, file: String, context: String,
                        allowedKeys: [String]) throws(YAMLInputError) -> YAMLMappingReader {
        try YAMLMappingReader(node, file: file, allowedKeys: allowedKeys, context: context)
    }

    static func id(_ reader: YAMLMappingReader, _ key: String) throws(YAMLInputError) -> String {
        let node = try reader.required(key)
        let what = reader.context.isEmpty ? "'\(key)'" : "'\(key)' in \(reader.context)"
        return try Identifier.validate(node.string(file: reader.file, what: what), node: node, file: reader.file, what: what)
    }

    static func protocolName(_ reader: YAMLMappingReader, key: String = "name") throws(YAMLInputError) -> String {
        let node = try reader.required(key)
        let what = "'\(key)' in \(reader.context)"
        let name = try node.string(file: reader.file, what: what)
        let valid = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard valid else {
            throw YAMLInputError(file: reader.file, at: node, "\(what): protocol names are lower-case letters, digits, '-' or '.', e.g. opc-ua")
        }
        return name
    }
}
