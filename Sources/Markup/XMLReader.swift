import CLibXML2
import Foundation
import Lexicon

/// The kind of node an `XMLReader` is positioned on.
public enum XMLNodeKind: Sendable, Equatable {
    case element, endElement, text, cdata, whitespace, entityReference, comment, processingInstruction, documentType,
        other
}

/// An error from reading XML, with the parser's own message and line.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    /// The parser's message, trimmed.
    public let message: String
    /// The 1-based line where the parser stopped, when known.
    public let line: Int
    /// True when the document was refused for expanding entities beyond libxml2's bounds (billion laughs): no
    /// part of such a document should be trusted.
    public var isEntityExpansion = false
    /// True when the bytes do not match the document's encoding (or hold NULs): read with another
    /// encoding, the same document may well be fine.
    public var isEncoding = false
    /// A one-line description.
    public var description: String { line > 0 ? "line \(line): \(message)" : message }

    /// An error with its message and line (0 when unknown).
    public init(message: String, line: Int, isEntityExpansion: Bool = false) {
        self.message = message
        self.line = line
        self.isEntityExpansion = isEntityExpansion
    }
}

/// A streaming pull reader over an XML document, in memory or in a file.
///
/// libxml2's SAX2 push parser is fed 64 KB at a time and its events are buffered until read, so memory stays
/// proportional to one chunk (or to the one element whose content is asked for), not to the document; a document
/// already in memory and at most 2 MB long is parsed in one go.
/// It never loads an external DTD or entity and never touches the network, so a hostile document cannot
/// read files; internal entities expand within libxml2's amplification bounds.
public final class XMLReader {
    private let core: UnsafeMutablePointer<XMLEvents>

    /// True once libxml2 reported an error it recovered from (the document is ill-formed).
    public var isIllFormed: Bool { core.pointee.errorSink.count > 0 }
    /// The first error libxml2 reported, if any.
    public var firstError: XMLReadError? { core.pointee.errorSink.first }

    /// Runs `body` with a reader over `data`; `url` is the document's own address (the base for relative
    /// links), `encoding` overrides the declared encoding (an IANA name), `recover` keeps going past errors.
    public static func read<T>(
        data: Data, url: String?, encoding: String? = nil, recover: Bool = true,
        _ body: (XMLReader) throws -> T
    ) throws -> T {
        try data.withUnsafeBytes { raw in
            // The bytes are only borrowed: the reader must not outlive this closure.
            let reader = try XMLReader(source: .memory(raw), url: url, encoding: encoding, recover: recover)
            return try body(reader)
        }
    }

    /// Runs `body` with a reader streaming the file at `path` (gzip is decompressed on the fly): memory stays
    /// proportional to the current node, however large the file. An element whose content is asked for may hold
    /// at most `maxElementBytes` of text; past that the reader stops with an error.
    public static func read<T>(
        file path: String, url: String?, encoding: String? = nil, recover: Bool = true,
        maxElementBytes: Int = 64 << 20, _ body: (XMLReader) throws -> T
    ) throws -> T {
        Markup.initialize()
        guard let input = xmlParserInputBufferCreateFilename(path, XML_CHAR_ENCODING_NONE) else {
            throw XMLReadError(message: "\(path): cannot be opened", line: 0)
        }
        let reader = try XMLReader(source: .file(input, path: path), url: url, encoding: encoding, recover: recover)
        reader.core.pointee.maxBuffered = maxElementBytes
        return try body(reader)
    }

    private init(source: XMLEvents.Source, url: String?, encoding: String?, recover: Bool) throws {
        Markup.initialize()
        // The parser is made before `core` exists: once every stored property is set, a throw would run `deinit`,
        // which closes the parser (an empty document freed its parser twice that way).
        let events = try XMLEvents(source: source, url: url, encoding: encoding, recover: recover)
        core = .allocate(capacity: 1)
        core.initialize(to: events)
        core.pointee.bytes.sink.pointee.owner = UnsafeMutableRawPointer(core)
        core.pointee.ctxt.pointee._private = UnsafeMutableRawPointer(core.pointee.bytes.sink)
    }

    deinit {
        core.pointee.close()
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// Moves to the next node; false at the end of the document, an error once the parser had to stop.
    public func read() throws -> Bool { try core.pointee.read() }
    /// Skips the current element's subtree; the reader ends on the node after it.
    public func skipSubtree() throws -> Bool { try core.pointee.skipSubtree() }
    /// The kind of the current node.
    public var kind: XMLNodeKind { core.pointee.kind }
    /// The kind of the current node when it is an element's start or end, else nil: what a reader of elements
    /// asks of every node, without reading text nodes to tell text from white space.
    public var elementKind: XMLNodeKind? { core.pointee.elementKind }
    /// The local name of the current node (without prefix).
    public var localName: String { core.pointee.localName }
    /// The qualified name of the current node (with its prefix, if any).
    public var qualifiedName: String { core.pointee.qualifiedName }
    /// An identity of the current node's name (namespace, local name and prefix) that two nodes of one document
    /// share exactly when their names are the same: a cheap key for what a reader works out from a name.
    public var nameIdentity: NameIdentity { core.pointee.nameIdentity }
    /// The prefix of the current node's name when the document uses it without declaring it (`content:encoded`
    /// in a feed without `xmlns:content`); nil for a name without prefix or with a declared one.
    public var undeclaredPrefix: String? { core.pointee.undeclaredPrefix }
    /// The namespace URI of the current node, or "" when it has none.
    public var namespaceURI: String { core.pointee.namespaceURI }
    /// The text of the current node (text, comment, processing instruction); nil for elements.
    public var value: String? { core.pointee.value }
    /// The depth of the current node in the tree.
    public var depth: Int { core.pointee.depth }
    /// True when the current element holds nothing at all (`<x/>` or `<x></x>`); its end node is not reported.
    public var isEmptyElement: Bool { core.pointee.isEmptyElement }
    /// The base URI in force at the current node (xml:base applied).
    public var baseURI: String? { core.pointee.baseURI }
    /// The language (xml:lang) in force at the current node.
    public var xmlLang: String? { core.pointee.xmlLang }
    /// All attributes of the current element as (namespace URI, local name, value).
    public var attributes: [(namespace: String, name: String, value: String)] { core.pointee.attributes }
    /// The value of the attribute named `name` (no namespace) on the current element.
    public func attribute(_ name: String) -> String? { core.pointee.attribute(name) }
    /// The markup inside the current element, serialized (reads no further).
    public func innerXML() -> String { core.pointee.innerXML() }
    /// What the current element holds: its text when it has only text, else its markup serialized
    /// (`isMarkup`). Text is never escaped and read back.
    public func innerContent() -> (value: String, isMarkup: Bool) { core.pointee.innerContent(textIsHTML: false) }
    /// The same, for an element whose text is HTML in its own right (RSS): in markup, its text is written as
    /// it reads, not escaped again (`&lt;p&gt;` beside raw tags is a paragraph, as feed readers take it).
    public func innerContent(textIsHTML: Bool) -> (value: String, isMarkup: Bool) {
        core.pointee.innerContent(textIsHTML: textIsHTML)
    }
    /// The concatenated text inside the current element (reads no further).
    public func innerText() -> String { core.pointee.innerText() }
}

/// The parser and its buffered events behind an `XMLReader`.
struct XMLEvents {
    /// One parser event; names point into the parser's dictionary, text and values into `bytes`.
    struct Event {
        enum Kind: UInt8 { case start, end, text, comment, instruction, reference }
        var kind: Kind
        var depth: Int32
        var local: UnsafePointer<xmlChar>?
        var prefix: UnsafePointer<xmlChar>?
        var uri: UnsafePointer<xmlChar>?
        /// Text events: where their bytes start; elements: where their attributes start in `attributeList`.
        var start: Int
        /// Text events: their byte count; elements: their attribute count (namespace declarations included).
        var count: Int
    }

    /// One attribute or namespace declaration (`isNamespace`: `local` is the declared prefix, nil for the default).
    struct Attribute {
        var local: UnsafePointer<xmlChar>?
        var prefix: UnsafePointer<xmlChar>?
        var uri: UnsafePointer<xmlChar>?
        var isNamespace: Bool
        var start: Int
        var count: Int
    }

    /// The base URI and language in force inside one open element.
    struct Scope {
        var base: String?
        var lang: String?
    }

    enum Source {
        case memory(UnsafeRawBufferPointer)
        case file(xmlParserInputBufferPtr, path: String)
    }

    static let chunkSize = 1 << 16
    /// A document's text (entities expanded, attribute values included) may grow past this many bytes only by
    /// `textBudgetRatio` bytes per byte of input read. Real feeds' text is shorter than their markup; a 110 KB
    /// feed that used one 50 KB entity 20 000 times made a gigabyte of text, and now stops at 16 MB.
    static let textBudgetFloor = 16 << 20
    /// See `textBudgetFloor`.
    static let textBudgetRatio = 8
    /// Documents in memory up to this size are parsed in one go (their events are then buffered all at once).
    static let wholeDocument = 2 << 20

    let ctxt: xmlParserCtxtPtr
    let source: Source
    let url: String?
    /// Most bytes of text held at once (what one element being read holds, since the buffer empties as it is read).
    var maxBuffered = 64 << 20
    var offset = 0
    /// Chunks handed to the parser so far.
    var chunksFed = 0
    var errorSink = ErrorSink()
    var events: [Event] = []
    /// Made last in `init`, once nothing can throw (it is freed by `close`).
    var bytes: ByteBuffer
    var attributeList: [Attribute] = []
    /// Elements the parser has opened and not yet closed (closed for it when the document ends early).
    var open: [Event] = []
    var finished = false
    var halted: XMLReadError?
    var current = -1
    var scopes: [Scope] = []
    /// Each interned name's String, made once (room for the few dozen names a feed uses, so that it never grows).
    var names = [UnsafeRawPointer: String](minimumCapacity: 48)
    var matchingEnd: (of: Int, at: Int)?

    /// Entities the document declares itself are expanded (feeds define &nbsp; and friends in their DTD);
    /// external ones never load (the entity loader refuses everything), and libxml2's amplification bound
    /// stops billion-laughs documents (XML_PARSE_HUGE is never set).
    static func options(recover: Bool) -> Int32 {
        var options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
                | XML_PARSE_NOENT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        if recover { options |= Int32(XML_PARSE_RECOVER.rawValue) }
        return options
    }

    init(source: Source, url: String?, encoding: String?, recover: Bool) throws {
        self.source = source
        self.url = url
        var sax = XMLEvents.handler()
        // The first bytes go in with the context: libxml2 detects the encoding from them.
        var first = [CChar](repeating: 0, count: 4)
        var firstCount = 0
        switch source {
        case .memory(let raw):
            guard raw.count > 0, raw.count < Int(Int32.max) else {
                throw XMLReadError(message: "libxml2 could not open the document", line: 0)
            }
            firstCount = min(4, raw.count)
            // Real feeds make an event per 30 to 60 bytes: room for the whole document's (or a chunk's) up front
            // instead of growing the buffer by doubling, copying it each time.
            events.reserveCapacity(min(raw.count, XMLEvents.wholeDocument) / 32 + 16)
            for i in 0..<firstCount { first[i] = CChar(bitPattern: raw[i]) }
        case .file(let input, _):
            while Int(xmlBufUse(input.pointee.buffer)) < 4,
                xmlParserInputBufferGrow(input, Int32(XMLEvents.chunkSize)) > 0
            {}
            firstCount = min(4, Int(xmlBufUse(input.pointee.buffer)))
            if let content = xmlBufContent(input.pointee.buffer) {
                for i in 0..<firstCount { first[i] = CChar(bitPattern: content[i]) }
            }
        }
        guard let c = xmlCreatePushParserCtxt(&sax, nil, first, Int32(firstCount), nil) else {
            if case .file(let input, _) = source { xmlFreeParserInputBuffer(input) }
            throw XMLReadError(message: "libxml2 could not open the document", line: 0)
        }
        ctxt = c
        bytes = ByteBuffer()
        offset = firstCount
        if let encoding, let handler = xmlFindCharEncodingHandler(encoding) {
            // The encoding given (an HTTP charset, a fallback) beats the document's declaration, which libxml2
            // would otherwise switch to when it reads it.
            xmlCtxtUseOptions(ctxt, XMLEvents.options(recover: recover) | Int32(XML_PARSE_IGNORE_ENC.rawValue))
            xmlSwitchToEncoding(ctxt, handler)
        } else {
            xmlCtxtUseOptions(ctxt, XMLEvents.options(recover: recover))
        }
        ctxt.pointee.linenumbers = 1
    }

    /// Frees the parser, its document shell (entity declarations) and the file input.
    mutating func close() {
        bytes.free()
        if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc) }
        ctxt.pointee.myDoc = nil
        xmlFreeParserCtxt(ctxt)
        if case .file(let input, _) = source { xmlFreeParserInputBuffer(input) }
    }

    // MARK: Reading

    /// Moves to the next node; false at the end of the document, an error once the parser had to stop.
    mutating func read() throws -> Bool {
        if current >= 0, current < events.count {
            if events[current].kind == .start, isEmptyElement {
                current += 1  // an element without content has no end node, as with `<x/>`
                scopes.removeLast()
            }
        }
        return try advance()
    }

    /// Moves one event on, refilling the buffer once everything in it was read.
    mutating func advance() throws -> Bool {
        current += 1
        if current >= events.count {
            events.removeAll(keepingCapacity: true)
            bytes.removeAll()
            attributeList.removeAll(keepingCapacity: true)
            matchingEnd = nil
            current = 0
            while events.isEmpty { if !feed() { break } }
            if events.isEmpty {
                current = -1
                if let halted { throw halted }
                return false
            }
        }
        switch events[current].kind {
        case .start: scopes.append(scope(of: events[current]))
        case .end: if !scopes.isEmpty { scopes.removeLast() }
        default: break
        }
        return true
    }

    /// Skips the current element's subtree; the reader ends on the node after it.
    mutating func skipSubtree() throws -> Bool {
        if current >= 0, current < events.count, events[current].kind == .start {
            guard let end = endOfCurrent() else {
                current = events.count - 1
                return try advance()
            }
            current = end
            if !scopes.isEmpty { scopes.removeLast() }
        }
        return try advance()
    }

    /// See `XMLReader.elementKind`.
    var elementKind: XMLNodeKind? {
        guard current >= 0, current < events.count else { return nil }
        switch events[current].kind {
        case .start: return .element
        case .end: return .endElement
        default: return nil
        }
    }

    /// The kind of the current node.
    var kind: XMLNodeKind {
        guard current >= 0, current < events.count else { return .other }
        // Fields read one by one: a copy of the whole event went through memcpy on every call.
        switch events[current].kind {
        case .start: return .element
        case .end: return .endElement
        case .text:
            let start = events[current].start
            for i in start..<(start + events[current].count) {
                let b = bytes[i]
                if b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return .text }
            }
            return .whitespace
        case .comment: return .comment
        case .instruction: return .processingInstruction
        case .reference: return .entityReference
        }
    }

    /// The local name of the current node (without prefix).
    var localName: String {
        mutating get {
            guard current >= 0, current < events.count else { return "" }
            return name(events[current].local)
        }
    }

    /// The qualified name of the current node (with its prefix, if any).
    var qualifiedName: String {
        mutating get {
            guard current >= 0, current < events.count else { return "" }
            let e = events[current]
            return e.prefix == nil ? name(e.local) : name(e.prefix) + ":" + name(e.local)
        }
    }

    /// The current node's name as the parser's interned strings (libxml2 keeps one copy of each name per
    /// document).
    var nameIdentity: NameIdentity {
        guard current >= 0, current < events.count else { return NameIdentity(uri: 0, local: 0, prefix: 0) }
        let e = events[current]
        return NameIdentity(
            uri: UInt(bitPattern: e.uri), local: UInt(bitPattern: e.local), prefix: UInt(bitPattern: e.prefix))
    }

    /// The prefix of the current node's name when the document never declared it, nil otherwise.
    var undeclaredPrefix: String? {
        mutating get {
            guard current >= 0, current < events.count, let p = events[current].prefix else { return nil }
            if let u = events[current].uri, u.pointee != 0 { return nil }
            return name(p)
        }
    }

    /// The namespace URI of the current node, or "" when it has none.
    var namespaceURI: String {
        mutating get {
            guard current >= 0, current < events.count else { return "" }
            return name(events[current].uri)
        }
    }

    /// The text of the current node (text, comment, processing instruction); nil for elements.
    var value: String? {
        guard current >= 0, current < events.count else { return nil }
        let e = events[current]
        switch e.kind {
        case .text, .comment, .instruction: return string(e.start, e.count)
        default: return nil
        }
    }

    /// The depth of the current node in the tree.
    var depth: Int { current >= 0 && current < events.count ? Int(events[current].depth) : 0 }

    /// True when the current element holds nothing at all (`<x/>` or `<x></x>`); its end node is not reported.
    var isEmptyElement: Bool {
        mutating get {
            guard current >= 0, current < events.count, events[current].kind == .start, ensure(current + 1) else {
                return false
            }
            let next = events[current + 1]
            return next.kind == .end && next.depth == events[current].depth
        }
    }

    /// The base URI in force at the current node (xml:base applied).
    var baseURI: String? { scopes.last.map { $0.base } ?? url }
    /// The language (xml:lang) in force at the current node.
    var xmlLang: String? { scopes.last?.lang }

    /// All attributes of the current element as (namespace URI, local name, value).
    var attributes: [(namespace: String, name: String, value: String)] {
        mutating get {
            guard current >= 0, current < events.count, events[current].kind == .start else { return [] }
            let e = events[current]
            var out: [(String, String, String)] = []
            for a in attributeList[e.start..<(e.start + e.count)] where !a.isNamespace {
                out.append((name(a.uri), name(a.local), string(a.start, a.count)))
            }
            return out
        }
    }

    /// The value of the attribute named `name` (no namespace) on the current element.
    mutating func attribute(_ name: String) -> String? {
        guard current >= 0, current < events.count, events[current].kind == .start else { return nil }
        let e = events[current]
        var wanted = name
        return wanted.withUTF8 { w -> String? in
            for a in attributeList[e.start..<(e.start + e.count)] where !a.isNamespace && a.prefix == nil {
                guard let local = a.local, length(local) == w.count,
                    memcmp(local, w.baseAddress!, w.count) == 0
                else { continue }
                return string(a.start, a.count)
            }
            return nil
        }
    }

    /// The markup inside the current element, serialized (reads no further).
    mutating func innerXML(textIsHTML: Bool = false) -> String {
        guard let end = endOfCurrent() else { return "" }
        var out: [UInt8] = []
        serialize(from: current + 1, to: end, into: &out, textIsHTML: textIsHTML)
        return String(utf8: out)
    }

    /// What the current element holds: its text when it has only text, else its markup serialized
    /// (`isMarkup`). Text is never escaped and read back.
    mutating func innerContent(textIsHTML: Bool) -> (value: String, isMarkup: Bool) {
        guard let end = endOfCurrent() else { return ("", false) }
        let childDepth = events[current].depth + 1
        var pieces = 0
        for i in (current + 1)..<end where events[i].depth == childDepth {
            switch events[i].kind {
            case .text: pieces += 1
            case .reference: return (innerText(), false)  // an entity left unexpanded is no markup: read as text
            case .end: break
            default: return (innerXML(textIsHTML: textIsHTML), true)
            }
        }
        if pieces == 0 { return ("", false) }
        if pieces == 1, end == current + 2 {
            return (string(events[current + 1].start, events[current + 1].count), false)
        }
        var out: [UInt8] = []
        for i in (current + 1)..<end where events[i].kind == .text {
            out.append(contentsOf: bytes.slice(events[i].start, events[i].count))
        }
        return (String(utf8: out), false)
    }

    /// The concatenated text inside the current element (reads no further).
    mutating func innerText() -> String {
        guard let end = endOfCurrent() else { return "" }
        if end == current + 2, events[current + 1].kind == .text {
            return string(events[current + 1].start, events[current + 1].count)
        }
        var out: [UInt8] = []
        for i in (current + 1)..<end where events[i].kind == .text {
            out.append(contentsOf: bytes.slice(events[i].start, events[i].count))
        }
        return String(utf8: out)
    }

    /// The index of the current element's end event, parsing on as far as it takes; nil when not on an element.
    mutating func endOfCurrent() -> Int? {
        guard current >= 0, current < events.count, events[current].kind == .start else { return nil }
        if let m = matchingEnd, m.of == current { return m.at }
        let depth = events[current].depth
        var i = current + 1
        while ensure(i) {
            if events[i].kind == .end && events[i].depth == depth {
                matchingEnd = (current, i)
                return i
            }
            i += 1
        }
        return nil
    }

    /// True once event `index` is buffered, feeding the parser as needed.
    mutating func ensure(_ index: Int) -> Bool {
        while index >= events.count {
            if !feed() { return false }
        }
        return true
    }

    // MARK: Feeding the parser

    /// Hands the parser its next chunk; false when the input is exhausted or the parser has stopped.
    mutating func feed() -> Bool {
        guard !finished else { return false }
        defer { chunksFed += 1 }
        var rc: Int32 = 0
        switch source {
        case .memory(let raw):
            // A small document goes in whole, as its last chunk: libxml2 then parses it without looking ahead for
            // the end of every piece of text and reference first (a tenth of its time), and its events fit in memory.
            let rest = raw.count - offset
            let whole = chunksFed == 0 && rest <= XMLEvents.wholeDocument
            let n = whole ? rest : min(XMLEvents.chunkSize, rest)
            if whole {
                // Room for the document's text up front (it is rarely longer than the markup), instead of doubling.
                bytes.reserve(rest)
            }
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self) + offset
            offset += n
            rc = xmlParseChunk(ctxt, base, Int32(n), offset >= raw.count ? 1 : 0)
            if offset >= raw.count { finished = true }
        case .file(let input, let path):
            let buffer = input.pointee.buffer
            if Int(xmlBufUse(buffer)) <= offset {
                xmlBufShrink(buffer, offset)
                offset = 0
                let grown = xmlParserInputBufferGrow(input, Int32(XMLEvents.chunkSize))
                if grown < 0 {
                    errorSink.record(message: "\(path): read error (corrupt compressed data?)")
                    halted = errorSink.first
                    finished = true
                    return false
                }
            }
            let available = Int(xmlBufUse(buffer)) - offset
            if available <= 0 {
                rc = xmlParseChunk(ctxt, nil, 0, 1)
                finished = true
            } else {
                let base = UnsafeRawPointer(xmlBufContent(buffer)!).assumingMemoryBound(to: CChar.self) + offset
                rc = xmlParseChunk(ctxt, base, Int32(available), 0)
                offset += available
            }
        }
        flushText()
        if let broken = errorSink.encodingError, halted == nil {
            // Bytes that are not in the document's encoding: libxml2 would go on with them mangled; stop instead,
            // so that the caller can read the document again in the encoding it really has.
            xmlStopParser(ctxt)
            halted = broken
            finished = true
        } else if bytes.overBudget, halted == nil {
            halted = XMLReadError(
                message: "entities expand the document's text past \(bytes.total >> 20) MB; reading stopped there",
                line: Int(xmlSAX2GetLineNumber(ctxt)), isEntityExpansion: true)
            finished = true
        } else if bytes.failed, halted == nil {
            xmlStopParser(ctxt)
            halted = XMLReadError(
                message: "out of memory while buffering the document's text; reading stopped there", line: 0)
            finished = true
        } else if bytes.count > maxBuffered, halted == nil {
            xmlStopParser(ctxt)
            halted = XMLReadError(
                message: "an element holds more than \(maxBuffered) bytes of text; reading stopped there", line: 0)
            finished = true
        } else if rc != 0 && ctxt.pointee.disableSAX != 0 {
            // The parser stopped for good (amplification, junk after the root, a broken encoding …).
            halted = errorSink.last ?? XMLReadError(message: "the document could not be parsed", line: 0)
            if ctxt.pointee.errNo == Int32(XML_ERR_ENTITY_LOOP.rawValue) { halted?.isEntityExpansion = true }
            finished = true
        }
        if finished {
            // Elements the document never closed end here, innermost first.
            while let e = open.popLast() {
                events.append(
                    Event(kind: .end, depth: e.depth, local: e.local, prefix: e.prefix, uri: e.uri, start: 0, count: 0))
            }
        }
        return true
    }

    // MARK: SAX events

    mutating func started(
        _ local: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
        _ namespaceCount: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        _ attributeCount: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        flushText()
        let first = attributeList.count
        if let namespaces {
            for i in 0..<Int(namespaceCount) {
                let value = namespaces[2 * i + 1]
                let start = bytes.count
                if let value { bytes.append(value, length(value)) }
                attributeList.append(
                    Attribute(
                        local: namespaces[2 * i], prefix: nil, uri: nil, isNamespace: true,
                        start: start, count: bytes.count - start))
            }
        }
        if let attributes {
            for i in 0..<Int(attributeCount) {
                let a = attributes + 5 * i
                let start = bytes.count
                if let from = a[3], let to = a[4], to > from {
                    guard tidings_text_within_budget(bytes.sink, ctxt, to - from) != 0 else { break }
                    bytes.append(from, to - from)
                }
                attributeList.append(
                    Attribute(
                        local: a[0], prefix: a[1], uri: a[2], isNamespace: false,
                        start: start, count: bytes.count - start))
            }
        }
        let e = Event(
            kind: .start, depth: Int32(open.count), local: local, prefix: prefix, uri: uri,
            start: first, count: attributeList.count - first)
        events.append(e)
        open.append(e)
    }

    mutating func ended() {
        flushText()
        guard let e = open.popLast() else { return }
        events.append(
            Event(kind: .end, depth: e.depth, local: e.local, prefix: e.prefix, uri: e.uri, start: 0, count: 0))
    }

    /// Turns the text gathered since the last event into a text event (or into more of the last one, when
    /// nothing came between them).
    mutating func flushText() {
        let start = bytes.pending
        guard start >= 0 else { return }
        bytes.pending = -1
        guard bytes.count > start else { return }
        let n = events.count
        if n > 0, events[n - 1].kind == .text, events[n - 1].start + events[n - 1].count == start {
            events[n - 1].count = bytes.count - events[n - 1].start
        } else {
            events.append(
                Event(
                    kind: .text, depth: Int32(open.count), local: nil, prefix: nil, uri: nil,
                    start: start, count: bytes.count - start))
        }
    }

    mutating func other(_ kind: Event.Kind, _ name: UnsafePointer<xmlChar>?, _ text: UnsafePointer<xmlChar>?) {
        flushText()
        let start = bytes.count
        if let text { bytes.append(text, length(text)) }
        // A processing instruction's target or an entity's name, interned in the parser's dictionary: it then
        // lives as long as the parser, like the element names events keep.
        var stored: UnsafePointer<xmlChar>?
        if let name { stored = xmlDictLookup(ctxt.pointee.dict, name, -1) }
        events.append(
            Event(
                kind: kind, depth: Int32(open.count), local: stored, prefix: nil, uri: nil,
                start: start, count: bytes.count - start))
    }

    func record(_ error: xmlError) { errorSink.record(error) }

    /// The reader of a parser context (its `_private` is the text sink, which knows its owner; entity contents
    /// are parsed in a context that copies it).
    static func reader(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLEvents> {
        let sink = ctx!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!.assumingMemoryBound(
            to: tidings_text_sink.self)
        return sink.pointee.owner!.assumingMemoryBound(to: XMLEvents.self)
    }

    /// libxml2's SAX2 handlers (they keep the DTD's entity declarations), with the content events taken over.
    private static func handler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        xmlSAXVersion(&h, 2)
        h.startElementNs = { ctx, local, prefix, uri, nn, ns, na, _, atts in
            XMLEvents.reader(ctx).pointee.started(local, prefix, uri, nn, ns, na, atts)
        }
        h.endElementNs = { ctx, _, _, _ in XMLEvents.reader(ctx).pointee.ended() }
        // Text goes straight into the byte buffer (its event is made once something else happens).
        h.characters = tidings_text_characters
        h.ignorableWhitespace = tidings_text_characters
        h.cdataBlock = tidings_text_characters
        h.comment = { ctx, text in XMLEvents.reader(ctx).pointee.other(.comment, nil, text) }
        h.processingInstruction = { ctx, target, data in XMLEvents.reader(ctx).pointee.other(.instruction, target, data)
        }
        h.reference = { ctx, name in XMLEvents.reader(ctx).pointee.other(.reference, name, nil) }
        h.getEntity = tidings_get_entity  // HTML's named entities, when the document does not declare them
        h.serror = { ctx, error in
            // libxml2 can report while the context is being made (an encoding it cannot switch to, from the first
            // bytes), before the reader is attached to it: such an error has no reader to go to (the fuzzer found
            // the crash), and the parse that follows reports what matters again.
            guard let ctx, let error, ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private != nil else {
                return
            }
            XMLEvents.reader(ctx).pointee.record(error.pointee)
        }
        return h
    }

    // MARK: Helpers

    mutating func scope(of e: Event) -> Scope {
        var s = scopes.last ?? Scope(base: url, lang: nil)
        for a in attributeList[e.start..<(e.start + e.count)] where !a.isNamespace {
            guard let prefix = a.prefix, let local = a.local, xmlStrEqual(prefix, "xml") != 0 else { continue }
            if xmlStrEqual(local, "lang") != 0 {
                s.lang = string(a.start, a.count)
            } else if xmlStrEqual(local, "base") != 0 {
                let value = string(a.start, a.count)
                if let parent = s.base, let built = xmlBuildURI(value, parent) {
                    s.base = String(cString: built)
                    tidings_xml_free(built)
                } else {
                    s.base = value
                }
            }
        }
        return s
    }

    mutating func name(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        let key = UnsafeRawPointer(p)
        if let known = names[key] { return known }
        let s = String(cString: p)
        names[key] = s
        return s
    }

    func string(_ start: Int, _ count: Int) -> String {
        String(utf8: bytes.slice(start, count))
    }

    /// Writes events `from..<to` as XML: raw UTF-8, with only what XML requires escaped.
    func serialize(from: Int, to: Int, into out: inout [UInt8], textIsHTML: Bool = false) {
        var i = from
        while i < to {
            let e = events[i]
            switch e.kind {
            case .start:
                out.append(UInt8(ascii: "<"))
                appendName(e.prefix, e.local, into: &out)
                for a in attributeList[e.start..<(e.start + e.count)] {
                    out.append(UInt8(ascii: " "))
                    if a.isNamespace {
                        out.append(contentsOf: "xmlns".utf8)
                        if let p = a.local {
                            out.append(UInt8(ascii: ":"))
                            appendName(nil, p, into: &out)
                        }
                    } else {
                        appendName(a.prefix, a.local, into: &out)
                    }
                    out.append(contentsOf: "=\"".utf8)
                    escape(a.start, a.count, attribute: true, into: &out)
                    out.append(UInt8(ascii: "\""))
                }
                if i + 1 < to, events[i + 1].kind == .end, events[i + 1].depth == e.depth {
                    out.append(contentsOf: "/>".utf8)
                    i += 1
                } else {
                    out.append(UInt8(ascii: ">"))
                }
            case .end:
                out.append(contentsOf: "</".utf8)
                appendName(e.prefix, e.local, into: &out)
                out.append(UInt8(ascii: ">"))
            case .text:
                if textIsHTML {
                    out.append(contentsOf: bytes.slice(e.start, e.count))
                } else {
                    escape(e.start, e.count, attribute: false, into: &out)
                }
            case .comment:
                out.append(contentsOf: "<!--".utf8)
                out.append(contentsOf: bytes.slice(e.start, e.count))
                out.append(contentsOf: "-->".utf8)
            case .instruction:
                out.append(contentsOf: "<?".utf8)
                if let target = e.local {
                    out.append(contentsOf: UnsafeBufferPointer(start: target, count: length(target)))
                }
                if e.count > 0 {
                    out.append(UInt8(ascii: " "))
                    out.append(contentsOf: bytes.slice(e.start, e.count))
                }
                out.append(contentsOf: "?>".utf8)
            case .reference:
                out.append(UInt8(ascii: "&"))
                if let n = e.local { out.append(contentsOf: UnsafeBufferPointer(start: n, count: length(n))) }
                out.append(UInt8(ascii: ";"))
            }
            i += 1
        }
    }

    func length(_ p: UnsafePointer<xmlChar>) -> Int { Int(xmlStrlen(p)) }

    func appendName(_ prefix: UnsafePointer<xmlChar>?, _ local: UnsafePointer<xmlChar>?, into out: inout [UInt8]) {
        if let prefix {
            out.append(contentsOf: UnsafeBufferPointer(start: prefix, count: length(prefix)))
            out.append(UInt8(ascii: ":"))
        }
        if let local { out.append(contentsOf: UnsafeBufferPointer(start: local, count: length(local))) }
    }

    func escape(_ start: Int, _ count: Int, attribute: Bool, into out: inout [UInt8]) {
        // Runs that need no escaping are copied whole: most text has none of these bytes, and one append per byte
        // was the reader's largest cost in serializing a feed's inline markup.
        let text = bytes.slice(start, count)
        var run = 0
        for (i, b) in text.enumerated() {
            let escaped: StaticString
            switch b {
            case UInt8(ascii: "<"): escaped = "&lt;"
            case UInt8(ascii: ">"): escaped = "&gt;"
            case UInt8(ascii: "&"): escaped = "&amp;"
            case 0x0D: escaped = "&#13;"
            case UInt8(ascii: "\"") where attribute: escaped = "&quot;"
            case 0x0A where attribute: escaped = "&#10;"
            case 0x09 where attribute: escaped = "&#9;"
            default: continue
            }
            if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[run..<i])) }
            out.append(contentsOf: UnsafeBufferPointer(start: escaped.utf8Start, count: escaped.utf8CodeUnitCount))
            run = i + 1
        }
        if run < text.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[run...])) }
    }
}

/// A growable run of bytes for event text, kept in a C `tidings_text_sink` that libxml2's character callback
/// appends to directly (the parser context's `_private`); the reader owns it and frees it once.
struct ByteBuffer {
    let sink: UnsafeMutablePointer<tidings_text_sink>

    init() {
        sink = .allocate(capacity: 1)
        sink.initialize(
            to: tidings_text_sink(
                owner: nil, bytes: nil, count: 0, capacity: 0, pending: -1, failed: 0,
                total: 0, floor: Int(XMLEvents.textBudgetFloor),
                ratio: Int(XMLEvents.textBudgetRatio), over: 0))
    }

    /// Bytes held.
    var count: Int { sink.pointee.count }

    /// True once an append found no memory (the character callback then drops its piece).
    var failed: Bool { sink.pointee.failed != 0 }

    /// True once the document's text outgrew its budget (`XMLEvents.textBudgetFloor`); the parser was stopped.
    var overBudget: Bool { sink.pointee.over != 0 }

    /// Text delivered for the whole document so far.
    var total: Int { sink.pointee.total }

    /// Where text not yet made into an event starts (-1: none); set by the character callback.
    var pending: Int {
        get { sink.pointee.pending }
        nonmutating set { sink.pointee.pending = newValue }
    }

    /// Appends `n` bytes from `p`.
    func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        tidings_text_append(sink, p, n)
        precondition(sink.pointee.failed == 0, "out of memory")
    }

    /// Makes room for `n` bytes in all, so that appends up to that size do not reallocate.
    func reserve(_ n: Int) {
        precondition(tidings_text_reserve(sink, n) != 0, "out of memory")
    }

    /// The byte at `i`.
    subscript(i: Int) -> UInt8 { sink.pointee.bytes[i] }

    /// `n` bytes from `start`, valid until the next append.
    func slice(_ start: Int, _ n: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: n > 0 ? sink.pointee.bytes + start : nil, count: n)
    }

    /// Forgets the bytes, keeping the memory.
    func removeAll() { sink.pointee.count = 0 }

    /// Releases the memory and the sink.
    func free() {
        Foundation.free(sink.pointee.bytes)
        sink.deinitialize(count: 1)
        sink.deallocate()
    }
}

/// Collects the errors libxml2 reports while reading one document.
final class ErrorSink {
    private(set) var count = 0
    private(set) var first: XMLReadError?
    private(set) var last: XMLReadError?
    /// The first error that says the bytes are not in the document's encoding (or hold NULs).
    private(set) var encodingError: XMLReadError?

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) }?.trimmed ?? "error \(error.code)"
        record(message: message, line: Int(error.line))
        let code = error.code
        if encodingError == nil,
            code == Int32(XML_ERR_INVALID_ENCODING.rawValue) || code == Int32(XML_I18N_CONV_FAILED.rawValue)
                || (code == Int32(XML_ERR_INVALID_CHAR.rawValue)
                    && (message.contains("not proper UTF-8") || message.contains("Char 0x0 ")))
        {
            encodingError = last
            encodingError?.isEncoding = true
        }
    }

    func record(message: String, line: Int = 0) {
        count += 1
        last = XMLReadError(message: message, line: line)
        if first == nil { first = last }
    }
}

/// Process-wide libxml2 set-up.
public enum Markup {
    private static let once: Void = {
        xmlInitParser()
        // No external entity loader: every attempt to load a DTD or entity by URL fails.
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Initializes libxml2 once per process, and keeps its generic diagnostics off stderr on the calling thread;
    /// every entry point calls it.
    public static func initialize() {
        _ = once
        tidings_quiet_generic_errors()
    }
}

/// Which name a node has, as the identities of its interned parts: equal for two nodes of one document exactly
/// when their namespace, local name and prefix are. Meaningless across documents.
public struct NameIdentity: Hashable, Sendable {
    let uri: UInt
    let local: UInt
    let prefix: UInt

    /// The three identities mixed into one non-zero 64-bit hash (for `HashMap64`; two names may share one).
    public var mixed: UInt64 {
        var h = UInt64(local) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(uri) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(prefix) &* 0x1656_67B1_9E37_79F9
        h ^= h >> 29
        return h | 1
    }
}
