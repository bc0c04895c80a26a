// libyaml's event API, reached through Yams' bundled C module. Yams' own `Parser` composes
// a whole tree and resolves aliases (and hashes alias keys for its duplicate check) before a
// caller can look at it; reading events lets us refuse the first anchor we meet, so alias
// bombs are never composed, and enforce depth and node limits while streaming.
internal import CYaml

/// One parse event, copied out of libyaml so no C memory outlives the call.
struct YAMLEvent {
    enum Kind {
        case streamStart, streamEnd, documentStart, documentEnd
        case alias(anchor: String)
        /// `plain` is false for quoted and block scalars, which are always strings.
        case scalar(value: String, plain: Bool)
        case sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    let kind: Kind
    let anchor: String?
    /// Explicit tag as written after expansion (`!!str` → `tag:yaml.org,2002:str`).
    let tag: String?
    /// 1-based position of the event's first character.
    let line: Int
    let column: Int
}

/// A syntax error as libyaml reports it.
struct YAMLSyntaxProblem: Error {
    let message: String
    /// 1-based line/column when libyaml gives a mark.
    let line: Int?
    let column: Int?
    /// Byte offset, for reader (encoding) errors that come without a mark.
    let byteOffset: Int?
}

/// Pulls events from libyaml over a caller-owned buffer. Must not outlive that buffer.
final class LibYAMLEventSource {
    private let parser: UnsafeMutablePointer<yaml_parser_t>

    init(buffer: UnsafeBufferPointer<UInt8>) {
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deinitialize(count: 1)
        parser.deallocate()
    }

    func next() -> Result<YAMLEvent, YAMLSyntaxProblem> {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            return .failure(currentProblem())
        }
        defer { yaml_event_delete(&event) }
        return .success(convert(event))
    }

    private func currentProblem() -> YAMLSyntaxProblem {
        let state = parser.pointee
        var message = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        if let context = state.context {
            message += " (\(String(cString: context)) at line \(state.context_mark.line + 1))"
        }
        if state.error == YAML_READER_ERROR {
            return YAMLSyntaxProblem(message: message, line: nil, column: nil,
                                     byteOffset: Int(state.problem_offset))
        }
        if state.error == YAML_MEMORY_ERROR {
            return YAMLSyntaxProblem(message: "out of memory while parsing", line: nil, column: nil, byteOffset: nil)
        }
        return YAMLSyntaxProblem(message: message,
                                 line: Int(state.problem_mark.line) + 1,
                                 column: Int(state.problem_mark.column) + 1,
                                 byteOffset: nil)
    }

    private func convert(_ event: yaml_event_t) -> YAMLEvent {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(decoding: UnsafeBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
        }
        func make(_ kind: YAMLEvent.Kind, anchor: String? = nil, tag: String? = nil) -> YAMLEvent {
            YAMLEvent(kind: kind, anchor: anchor, tag: tag, line: line, column: column)
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return make(.streamStart)
        case YAML_STREAM_END_EVENT: return make(.streamEnd)
        case YAML_DOCUMENT_START_EVENT: return make(.documentStart)
        case YAML_DOCUMENT_END_EVENT: return make(.documentEnd)
        case YAML_ALIAS_EVENT:
            return make(.alias(anchor: text(event.data.alias.anchor) ?? ""))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return make(.scalar(value: value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE),
                        anchor: text(scalar.anchor), tag: text(scalar.tag))
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return make(.sequenceStart, anchor: text(start.anchor), tag: text(start.tag))
        case YAML_SEQUENCE_END_EVENT: return make(.sequenceEnd)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return make(.mappingStart, anchor: text(start.anchor), tag: text(start.tag))
        case YAML_MAPPING_END_EVENT: return make(.mappingEnd)
        default: return make(.streamEnd)  // YAML_NO_EVENT: only after the stream ended
        }
    }

    private func strlen(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> Int {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return length
    }
}
