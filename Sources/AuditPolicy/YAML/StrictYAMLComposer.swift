import AuditCore

/// Builds a `YAMLNode` tree from libyaml events, enforcing every strict rule as events
/// arrive so hostile input is refused before any large structure exists.
struct StrictYAMLComposer {
    let source: LibYAMLEventSource
    let file: String
    let bytes: [UInt8]
    private var nodeCount = 0

    init(source: LibYAMLEventSource, file: String, bytes: [UInt8]) {
        self.source = source
        self.file = file
        self.bytes = bytes
    }

    mutating func composeSingleDocument() throws(YAMLInputError) -> YAMLNode {
        _ = try expectNext()  // stream start
        let first = try expectNext()
        guard case .documentStart = first.kind else {
            throw YAMLInputError(file: file, line: nil, column: nil, message: "file is empty")
        }
        let root = try composeNode(try expectNext(), depth: 1)
        _ = try expectNext()  // document end
        let after = try expectNext()
        if case .documentStart = after.kind {
            throw error(at: after, "more than one YAML document in the file (the second starts here); use one document per file")
        }
        if case .null = root.kind {
            throw YAMLInputError(file: file, line: root.line, column: nil, message: "file is empty (the document holds no value)")
        }
        return root
    }

    private func expectNext() throws(YAMLInputError) -> YAMLEvent {
        switch source.next() {
        case .success(let event): return event
        case .failure(let problem):
            if let offset = problem.byteOffset {
                let (line, column) = StrictYAML.position(ofByte: offset, in: bytes)
                throw YAMLInputError(file: file, line: line, column: column, message: "invalid YAML: \(problem.message)")
            }
            throw YAMLInputError(file: file, line: problem.line, column: problem.column,
                                 message: "invalid YAML: \(problem.message)")
        }
    }

    private func error(at event: YAMLEvent, _ message: String) -> YAMLInputError {
        YAMLInputError(file: file, line: event.line, column: event.column, message: message)
    }

    private mutating func composeNode(_ event: YAMLEvent, depth: Int) throws(YAMLInputError) -> YAMLNode {
        if case .alias(let anchor) = event.kind {
            throw error(at: event, "alias '*\(anchor)' is not allowed: anchors and aliases are refused in policy files; write the value out")
        }
        if let anchor = event.anchor {
            throw error(at: event, "anchor '&\(anchor)' is not allowed: anchors and aliases are refused in policy files; write the value out")
        }
        nodeCount += 1
        if nodeCount > Limits.maxYAMLNodes {
            throw error(at: event, "document has more than \(Limits.maxYAMLNodes) nodes")
        }
        switch event.kind {
        case .scalar(let value, let plain):
            return try composeScalar(event, value: value, plain: plain)
        case .sequenceStart:
            try checkDepth(event, depth)
            try checkCollectionTag(event, expected: .seq)
            return try composeSequence(event, depth: depth)
        case .mappingStart:
            try checkDepth(event, depth)
            try checkCollectionTag(event, expected: .map)
            return try composeMapping(event, depth: depth)
        default:
            throw error(at: event, "unexpected YAML structure")
        }
    }

    private func checkDepth(_ event: YAMLEvent, _ depth: Int) throws(YAMLInputError) {
        if depth > Limits.maxYAMLDepth {
            throw error(at: event, "nesting is deeper than \(Limits.maxYAMLDepth) levels")
        }
    }

    private func checkCollectionTag(_ event: YAMLEvent, expected: YAMLCoreTag) throws(YAMLInputError) {
        guard let tag = event.tag else { return }
        guard YAMLCoreTag(fullName: tag) == expected else {
            throw error(at: event, "tag '\(tag)' is not allowed here (only !!\(expected.rawValue) fits this collection)")
        }
    }

    private func composeScalar(_ event: YAMLEvent, value: String, plain: Bool) throws(YAMLInputError) -> YAMLNode {
        let tag: YAMLCoreTag
        if let explicit = event.tag {
            guard let core = YAMLCoreTag(fullName: explicit), core != .seq, core != .map else {
                let allowed = YAMLCoreTag.allCases.filter { $0 != .seq && $0 != .map }.map { "!!\($0.rawValue)" }
                throw error(at: event, "tag '\(explicit)' is not allowed (scalars may use only \(allowed.joined(separator: ", ")))")
            }
            if core != .str, YAMLCoreSchema.resolvePlain(value) != core, !(core == .float && YAMLCoreSchema.isInt(value)) {
                throw error(at: event, "'\(value)' is not a valid !!\(core.rawValue)")
            }
            tag = core
        } else {
            tag = plain ? YAMLCoreSchema.resolvePlain(value) : .str
        }
        let kind: YAMLNode.Kind = tag == .null ? .null : .scalar(value)
        return YAMLNode(line: event.line, column: event.column, kind: kind, tag: tag)
    }

    private mutating func composeSequence(_ start: YAMLEvent, depth: Int) throws(YAMLInputError) -> YAMLNode {
        var items: [YAMLNode] = []
        while true {
            let event = try expectNext()
            if case .sequenceEnd = event.kind { break }
            items.append(try composeNode(event, depth: depth + 1))
        }
        return YAMLNode(line: start.line, column: start.column, kind: .sequence(items), tag: .seq)
    }

    private mutating func composeMapping(_ start: YAMLEvent, depth: Int) throws(YAMLInputError) -> YAMLNode {
        var entries: [(key: String, keyLine: Int, keyColumn: Int, value: YAMLNode)] = []
        var firstLineOfKey: [String: Int] = [:]
        while true {
            let event = try expectNext()
            if case .mappingEnd = event.kind { break }
            let keyNode = try composeNode(event, depth: depth + 1)
            let key = try stringKey(keyNode, event: event)
            if let firstLine = firstLineOfKey[key] {
                throw error(at: event, "duplicate key '\(key)' (first at line \(firstLine), again at line \(event.line))")
            }
            firstLineOfKey[key] = event.line
            let value = try composeNode(try expectNext(), depth: depth + 1)
            entries.append((key: key, keyLine: keyNode.line, keyColumn: keyNode.column, value: value))
        }
        return YAMLNode(line: start.line, column: start.column, kind: .mapping(entries), tag: .map)
    }

    private func stringKey(_ node: YAMLNode, event: YAMLEvent) throws(YAMLInputError) -> String {
        guard case .scalar(let text) = node.kind, node.tag == .str else {
            throw error(at: event, "mapping keys must be strings, found \(node.typeDescription); quote the key if it is meant as text")
        }
        if text == "<<", case .scalar(_, plain: true) = event.kind {
            throw error(at: event, "merge key '<<' is not allowed; write the keys out")
        }
        return text
    }
}
