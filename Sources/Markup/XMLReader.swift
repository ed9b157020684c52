import CLibXML2
import Foundation

/// The kind of node an `XMLReader` is positioned on.
public enum XMLNodeKind: Sendable, Equatable {
    case element, endElement, text, cdata, whitespace, entityReference, comment, processingInstruction, documentType, other
}

/// An error from reading XML, with the parser's own message and line.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    /// The parser's message, trimmed.
    public let message: String
    /// The 1-based line where the parser stopped, when known.
    public let line: Int
    /// A one-line description.
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// A streaming pull reader over an XML document held in memory (libxml2's xmlTextReader).
///
/// It never loads an external DTD or entity and never touches the network, so a hostile document cannot
/// read files; internal entities expand within libxml2's amplification bounds.
/// Memory stays proportional to the current node, not to the document.
public final class XMLReader {
    private let reader: xmlTextReaderPtr
    private var errorSink: ErrorSink
    /// True once libxml2 reported an error it recovered from (the document is ill-formed).
    public var isIllFormed: Bool { errorSink.count > 0 }
    /// The first error libxml2 reported, if any.
    public var firstError: XMLReadError? { errorSink.first }

    /// Runs `body` with a reader over `data`; `url` is the document's own address (the base for relative
    /// links), `encoding` overrides the declared encoding (an IANA name), `recover` keeps going past errors.
    public static func read<T>(data: Data, url: String?, encoding: String? = nil, recover: Bool = true,
                               _ body: (XMLReader) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw in
            // The bytes are only borrowed: the reader must not outlive this closure.
            let reader = try XMLReader(bytes: raw, url: url, encoding: encoding, recover: recover)
            return try body(reader)
        }
    }

    /// Runs `body` with a reader streaming the file at `path` (gzip is decompressed on the fly): memory stays
    /// proportional to the current node, however large the file.
    public static func read<T>(file path: String, url: String?, encoding: String? = nil, recover: Bool = true,
                               _ body: (XMLReader) throws -> T) throws -> T {
        let reader = try XMLReader(file: path, url: url, encoding: encoding, recover: recover)
        return try body(reader)
    }

    /// Entities the document declares itself are expanded (feeds define &nbsp; and friends in their DTD);
    /// external ones never load (the entity loader refuses everything), and libxml2's amplification bound
    /// stops billion-laughs documents (XML_PARSE_HUGE is never set).
    private static func options(recover: Bool) -> Int32 {
        var options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NOENT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        if recover { options |= Int32(XML_PARSE_RECOVER.rawValue) }
        return options
    }

    private init(file path: String, url: String?, encoding: String?, recover: Bool) throws {
        Markup.initialize()
        guard let r = xmlReaderForFile(path, encoding, XMLReader.options(recover: recover)) else {
            throw XMLReadError(message: "\(path): cannot be opened", line: 0)
        }
        reader = r
        errorSink = ErrorSink()
        installErrorHandler()
    }

    private func installErrorHandler() {
        let sinkPointer = Unmanaged.passUnretained(errorSink).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
            sink.record(error.pointee)
        }, sinkPointer)
    }

    private init(bytes: UnsafeRawBufferPointer, url: String?, encoding: String?, recover: Bool) throws {
        Markup.initialize()
        let count = bytes.count
        guard count > 0, count < Int(Int32.max), let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
              let r = xmlReaderForMemory(base, Int32(count), url, encoding, XMLReader.options(recover: recover)) else {
            throw XMLReadError(message: "libxml2 could not open the document", line: 0)
        }
        reader = r
        errorSink = ErrorSink()
        installErrorHandler()
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// Moves to the next node; false at the end of the document or on an unrecoverable error.
    public func read() throws -> Bool {
        let rc = xmlTextReaderRead(reader)
        if rc == 1 { return true }
        if rc == 0 { return false }
        throw errorSink.first ?? XMLReadError(message: "the document could not be parsed", line: 0)
    }

    /// The kind of the current node.
    public var kind: XMLNodeKind {
        switch xmlTextReaderNodeType(reader) {
        case 1: return .element
        case 15: return .endElement
        case 3: return .text
        case 4: return .cdata
        case 13, 14: return .whitespace
        case 5: return .entityReference
        case 8: return .comment
        case 7: return .processingInstruction
        case 10: return .documentType
        default: return .other
        }
    }

    /// The local name of the current node (without prefix).
    public var localName: String { string(xmlTextReaderConstLocalName(reader)) ?? "" }
    /// The qualified name of the current node (with its prefix, if any).
    public var qualifiedName: String { string(xmlTextReaderConstName(reader)) ?? "" }
    /// The namespace URI of the current node, or "" when it has none.
    public var namespaceURI: String { string(xmlTextReaderConstNamespaceUri(reader)) ?? "" }
    /// The text value of the current node (text, CDATA, attribute).
    public var value: String? { string(xmlTextReaderConstValue(reader)) }
    /// The depth of the current node in the tree.
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }
    /// True when the current element is written `<x/>`.
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    /// The base URI in force at the current node (xml:base applied).
    public var baseURI: String? { string(xmlTextReaderConstBaseUri(reader)) }
    /// The line number of the current node.
    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }
    /// The language (xml:lang) in force at the current node.
    public var xmlLang: String? { string(xmlTextReaderConstXmlLang(reader)) }

    /// All attributes of the current element as (namespace URI, local name, value).
    public var attributes: [(namespace: String, name: String, value: String)] {
        var out: [(String, String, String)] = []
        guard xmlTextReaderHasAttributes(reader) == 1 else { return out }
        if xmlTextReaderMoveToFirstAttribute(reader) == 1 {
            repeat {
                if xmlTextReaderIsNamespaceDecl(reader) != 1 {
                    out.append((namespaceURI, localName, value ?? ""))
                }
            } while xmlTextReaderMoveToNextAttribute(reader) == 1
            xmlTextReaderMoveToElement(reader)
        }
        return out
    }

    /// The value of the attribute named `name` (no namespace) on the current element.
    public func attribute(_ name: String) -> String? {
        guard let p = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { tidings_xml_free(p) }
        return String(cString: p)
    }

    /// The markup inside the current element, serialized (reads no further).
    public func innerXML() -> String {
        guard let p = xmlTextReaderReadInnerXml(reader) else { return "" }
        defer { tidings_xml_free(p) }
        return String(cString: p)
    }

    /// What the current element holds: its text when it has only text (and CDATA), else its markup serialized
    /// (`isMarkup`). One expansion of the subtree serves both, and text is never escaped and read back.
    public func innerContent() -> (value: String, isMarkup: Bool) {
        guard let node = xmlTextReaderExpand(reader) else { return ("", false) }
        var child = node.pointee.children
        var single: UnsafeMutablePointer<xmlChar>?
        var pieces = 0
        while let c = child {
            switch c.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if c.pointee.content != nil { pieces += 1; single = c.pointee.content }
            case XML_ENTITY_REF_NODE:
                // An entity left unexpanded (undeclared, in a recovered document) is no markup: read as text.
                return (innerText(), false)
            default:
                return (innerXML(), true)
            }
            child = c.pointee.next
        }
        if pieces == 0 { return ("", false) }
        if pieces == 1, let single { return (String(cString: single), false) }
        var bytes: [UInt8] = []
        child = node.pointee.children
        while let c = child {
            if var p = c.pointee.content {
                while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
            }
            child = c.pointee.next
        }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    /// The concatenated text inside the current element, serialized (reads no further).
    public func innerText() -> String {
        guard let p = xmlTextReaderReadString(reader) else { return "" }
        defer { tidings_xml_free(p) }
        return String(cString: p)
    }

    /// Skips the current element's subtree; the reader ends on its next sibling or parent end.
    public func skipSubtree() throws -> Bool {
        let rc = xmlTextReaderNext(reader)
        if rc == 1 { return true }
        if rc == 0 { return false }
        throw errorSink.first ?? XMLReadError(message: "the document could not be parsed", line: 0)
    }

    /// The encoding the parser settled on, if it reported one.
    public var encoding: String? { string(xmlTextReaderConstEncoding(reader)) }

    private func string(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }
}

/// Collects the errors libxml2 reports while reading one document.
final class ErrorSink {
    private(set) var count = 0
    private(set) var first: XMLReadError?

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        count += 1
        if first == nil {
            let message = error.message.map { String(cString: $0) }?
                .trimmed ?? "error \(error.code)"
            first = XMLReadError(message: message, line: Int(error.line))
        }
    }
}

/// Process-wide libxml2 set-up.
public enum Markup {
    private static let once: Void = {
        xmlInitParser()
        // No external entity loader: every attempt to load a DTD or entity by URL fails.
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Initializes libxml2 once per process; every entry point calls it.
    public static func initialize() { _ = once }
}
