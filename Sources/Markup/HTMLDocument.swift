import CLibXML2
import Foundation
import Lexicon

/// An element's attributes: a few pairs, looked up by name, kept as bytes in one buffer (no string or array per
/// attribute until one is read).
public struct HTMLAttributes: Sendable, ExpressibleByDictionaryLiteral {
    /// Each name then its value, as a 4-byte length and UTF-8 bytes.
    private var storage: [UInt8] = []

    /// Name (lower case) and value pairs, in document order.
    public var pairs: [(String, String)] {
        get {
            var out: [(String, String)] = []
            _ = firstPair { name, value -> Bool? in
                out.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
                return nil
            }
            return out
        }
        set {
            storage.removeAll()
            for (k, v) in newValue { append(name: k, value: v) }
        }
    }

    /// Makes attributes from pairs.
    public init(pairs: [(String, String)]) { self.pairs = pairs }

    /// Makes attributes from a literal.
    public init(dictionaryLiteral elements: (String, String)...) { pairs = elements }

    init() {}

    /// Empty attributes with room for `bytes` bytes of names and values.
    init(reserving bytes: Int) { storage.reserveCapacity(bytes) }

    /// True when there is no attribute.
    public var isEmpty: Bool { storage.isEmpty }

    /// Whether an attribute name still needs lower-casing: libxml2's HTML parser lower-cases ASCII names itself.
    static func needsLowercasing<C: Sequence<UInt8>>(_ name: C) -> Bool {
        name.contains { $0 >= 65 && $0 <= 90 || $0 >= 0x80 }
    }

    /// The value of `name`, if present.
    public subscript(name: String) -> String? {
        guard !storage.isEmpty else { return nil }
        var name = name
        return name.withUTF8 { wanted in
            firstPair { n, v in
                n.count == wanted.count && (n.isEmpty || memcmp(n.baseAddress!, wanted.baseAddress!, n.count) == 0)
                    ? String(decoding: v, as: UTF8.self) : nil
            }
        }
    }

    mutating func append(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { n in value.withUTF8 { v in append(name: n, value: v) } }
    }

    mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        func put(_ part: UnsafeBufferPointer<UInt8>) {
            withUnsafeBytes(of: UInt32(part.count).littleEndian) { storage.append(contentsOf: $0) }
            storage.append(contentsOf: part)
        }
        put(name)
        put(value)
    }

    /// The first non-nil `body` gives for a name and its value, in document order.
    @inline(__always)
    private func firstPair<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R?) -> R? {
        storage.withUnsafeBufferPointer { b in
            var i = 0
            func next() -> UnsafeBufferPointer<UInt8> {
                let n = Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
                defer { i += 4 + n }
                return UnsafeBufferPointer(rebasing: b[(i + 4)..<(i + 4 + n)])
            }
            while i < b.count {
                let name = next()
                if let found = body(name, next()) { return found }
            }
            return nil
        }
    }
}

/// The nodes of one parsed page, in one array indexed by node (`HTMLNode.order`): one allocation for the page
/// rather than an object and a child array per node, and no tree of references to take apart afterwards.
final class NodeStore {
    static let textFlag: UInt8 = 1, blockFlag: UInt8 = 2, invisibleFlag: UInt8 = 4

    /// What is known of one node.
    struct Record {
        var name: String
        var text: String
        var attributes: HTMLAttributes
        /// The parent's order, -1 for the root.
        var parent: Int32
        /// Where the node's children start in `childList`, and how many there are.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
        /// The order just past the node's last descendant: its subtree is the orders in between.
        var subtreeEnd: Int32
        var flags: UInt8
    }

    var nodes: [Record] = []
    /// Every element's children, one element's after another.
    var childList: [Int32] = []

    var count: Int { nodes.count }
}

/// Makes a `NodeStore` in document order: a node is added when it starts, an element's children listed when it
/// ends.
struct NodeStoreBuilder {
    let store = NodeStore()
    /// Open elements, outermost first, each with where its children start in `pending`.
    private var open: [(order: Int32, pendingStart: Int)] = []
    /// The children of every open element so far, outermost element's first.
    private var pending: [Int32] = []

    /// True when no element is open.
    var isClosed: Bool { open.isEmpty }

    private mutating func add(name: String, text: String, attributes: HTMLAttributes, flags: UInt8) -> Int32 {
        let order = Int32(store.nodes.count)
        store.nodes.append(
            NodeStore.Record(
                name: name, text: text, attributes: attributes, parent: open.last?.order ?? -1,
                subtreeEnd: order + 1, flags: flags))
        if !open.isEmpty { pending.append(order) }
        return order
    }

    /// Starts an element, a child of the innermost open one (the root when none is open).
    mutating func startElement(_ name: String, attributes: HTMLAttributes, block: Bool, invisible: Bool) {
        let order = add(
            name: name, text: "", attributes: attributes,
            flags: (block ? NodeStore.blockFlag : 0) | (invisible ? NodeStore.invisibleFlag : 0))
        open.append((order, pending.count))
    }

    /// Adds a text node to the innermost open element.
    mutating func text(_ text: String) {
        _ = add(name: "#text", text: text, attributes: HTMLAttributes(), flags: NodeStore.textFlag)
    }

    /// Ends the innermost open element.
    mutating func endElement() {
        let (order, start) = open.removeLast()
        let e = Int(order)
        store.nodes[e].childStart = Int32(store.childList.count)
        store.nodes[e].childCount = Int32(pending.count - start)
        store.childList.append(contentsOf: pending[start...])
        pending.removeLast(pending.count - start)
        store.nodes[e].subtreeEnd = Int32(store.nodes.count)
    }

    /// Ends every open element; the root, or a lone `html` element for a page without any.
    mutating func finish() -> HTMLNode {
        while !open.isEmpty { endElement() }
        if store.count == 0 {
            startElement("html", attributes: HTMLAttributes(), block: false, invisible: false)
            endElement()
        }
        return HTMLNode(store: store, order: 0)
    }
}

/// One node of a parsed HTML page: an element with its children, or a run of text. A node is a place in its
/// document's storage, which it keeps alive.
public struct HTMLNode: Equatable {
    let store: NodeStore
    /// Where the node comes in its parsed document, depth first (the root is 0; `HTMLDocument.nodeCount` bounds
    /// it): an index for tables about nodes.
    public let order: Int

    init(store: NodeStore, order: Int) {
        self.store = store
        self.order = order
    }

    /// Element tag name in lower case, or "#text" for text.
    public var name: String { store.nodes[order].name }
    /// Attributes of an element, names in lower case.
    public var attributes: HTMLAttributes { store.nodes[order].attributes }
    /// The text of a text node ("" for elements).
    public var text: String { store.nodes[order].text }
    /// Child nodes in document order.
    public var children: Children {
        Children(store: store, start: Int(store.nodes[order].childStart), count: Int(store.nodes[order].childCount))
    }
    /// The parent element (nil for the root).
    public var parent: HTMLNode? {
        let p = store.nodes[order].parent
        return p < 0 ? nil : HTMLNode(store: store, order: Int(p))
    }
    /// True for an element that starts a new line of text (one of `HTMLText.blockElements`).
    public var isBlockElement: Bool { store.nodes[order].flags & NodeStore.blockFlag != 0 }
    /// True for an element whose content a reader never sees (one of `HTMLText.invisibleElements`).
    public var isInvisibleElement: Bool { store.nodes[order].flags & NodeStore.invisibleFlag != 0 }
    /// True for a text node.
    public var isText: Bool { store.nodes[order].flags & NodeStore.textFlag != 0 }

    /// The same node of the same document.
    public static func == (a: HTMLNode, b: HTMLNode) -> Bool { a.store === b.store && a.order == b.order }

    /// The value of attribute `name`.
    public func attribute(_ name: String) -> String? { attributes[name] }

    /// All descendant elements (depth first, document order) for which `match` is true.
    public func descendants(where match: (HTMLNode) -> Bool) -> [HTMLNode] {
        var out: [HTMLNode] = []
        for o in (order + 1)..<Int(store.nodes[order].subtreeEnd) where store.nodes[o].flags & NodeStore.textFlag == 0 {
            let node = HTMLNode(store: store, order: o)
            if match(node) { out.append(node) }
        }
        return out
    }

    /// The first descendant element named `name`.
    public func first(_ name: String) -> HTMLNode? {
        for o in (order + 1)..<Int(store.nodes[order].subtreeEnd)
        where store.nodes[o].flags & NodeStore.textFlag == 0 && store.nodes[o].name == name {
            return HTMLNode(store: store, order: o)
        }
        return nil
    }

    /// The text under this node, white space collapsed, block elements separated by newlines.
    public var textContent: String {
        var out = ""
        HTMLText.appendText(of: self, to: &out)
        return HTMLText.collapse(out)
    }

    /// A node's children, in document order.
    public struct Children: RandomAccessCollection {
        let store: NodeStore
        let start: Int
        /// How many children there are.
        public let count: Int
        /// 0.
        public var startIndex: Int { 0 }
        /// `count`.
        public var endIndex: Int { count }
        /// The `i`th child.
        public subscript(i: Int) -> HTMLNode { HTMLNode(store: store, order: Int(store.childList[start + i])) }
    }
}

/// A parsed HTML page (libxml2's forgiving HTML parser), as a tree of Swift values.
public struct HTMLDocument {
    /// The `<html>` element (or a synthetic root when the page has none).
    public let root: HTMLNode
    /// How many nodes the tree holds: every node's `order` is below it.
    public let nodeCount: Int

    /// What a parse keeps of a page.
    public enum Reading: Sendable {
        /// Everything libxml2 reads.
        case everything
        /// What text extraction reads (`UnreadContent`): script and style elements without their text (JSON-LD
        /// scripts keep theirs), inline SVGs without their drawing, and of the attributes with quoted values only
        /// those in `UnreadContent.readAttributes` (class, id, role, style, lang, meta names and contents…);
        /// outside preformatted elements a run of blanks in text is its first byte.
        case text
    }

    /// Parses `data`; `encoding` overrides the page's own declaration (an IANA name such as "utf-8").
    public init(data: Data, url: String? = nil, encoding: String? = nil, reading: Reading = .everything) {
        Markup.initialize()
        // The builder's state sits behind a pointer: libxml2 calls back into it for every node, and reaching it
        // that way spares each call the exclusivity checks a class's stored properties get.
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder())
        defer {
            builder.deinitialize(count: 1)
            builder.deallocate()
        }
        let data = reading == .everything ? data : UnreadContent.strip(data, encoding: encoding) ?? data
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            var sax = TreeBuilder.handler()
            tidings_html_sax_parse(
                base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), url, encoding,
                HTMLDocument.options, &sax, UnsafeMutableRawPointer(builder))
        }
        root = builder.pointee.finish()
        nodeCount = root.store.count
    }

    static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)

    /// The same page through libxml2's own tree, converted node by node: the reference the event-built tree
    /// is tested against.
    static func referenceTree(data: Data, url: String? = nil, encoding: String? = nil) -> HTMLNode {
        Markup.initialize()
        let doc: htmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            return htmlReadMemory(
                base.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), url, encoding, options)
        }
        var tree = NodeStoreBuilder()
        defer { if let doc { xmlFreeDoc(doc) } }
        if let doc, let top = xmlDocGetRootElement(doc) {
            tree.startElement("html", attributes: attributes(of: top), block: false, invisible: false)
            HTMLDocument.convertChildren(of: top, into: &tree, depth: 0)
        }
        return tree.finish()
    }

    /// Parses an HTML fragment given as a string (a feed's summary, say).
    public init(fragment: String, reading: Reading = .everything) {
        self.init(
            data: Data(("<html><head><meta charset=\"utf-8\"></head><body>" + fragment + "</body></html>").utf8),
            encoding: "utf-8", reading: reading)
    }

    /// The text of an HTML fragment as libxml2's HTML parser reads it, block elements separated by newlines and
    /// the elements in `hidden` skipped: the reference `HTMLText.plainText` is tested against.
    static func fragmentText(_ fragment: String, skipping hidden: Set<String>) -> String {
        Markup.initialize()
        let wrapped = "<html><head><meta charset=\"utf-8\"></head><body>" + fragment + "</body></html>"
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        var utf8 = Array(wrapped.utf8)
        let doc: htmlDocPtr? = utf8.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(buf.count), nil, "utf-8", options)
            }
        }
        guard let doc else { return "" }
        defer { xmlFreeDoc(doc) }
        var out = [UInt8]()
        func walk(_ node: xmlNodePtr, depth: Int) {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_TEXT_NODE || c.pointee.type == XML_CDATA_SECTION_NODE,
                    let content = c.pointee.content
                {
                    var p = content
                    while p.pointee != 0 {
                        out.append(p.pointee)
                        p += 1
                    }
                } else if c.pointee.type == XML_ELEMENT_NODE, depth < maxDepth, let n = c.pointee.name {
                    let name = String(cString: n).lowercased()
                    if !hidden.contains(name) {
                        let block = HTMLText.blockElements.contains(name)
                        if block { out.append(10) }
                        walk(c, depth: depth + 1)
                        if block { out.append(10) }
                    }
                }
                child = c.pointee.next
            }
        }
        if let root = xmlDocGetRootElement(doc) {
            // Only the body: the head holds nothing of the fragment.
            var n = root.pointee.children
            while let c = n {
                if c.pointee.type == XML_ELEMENT_NODE, let name = c.pointee.name, String(cString: name) == "body" {
                    walk(c, depth: 0)
                }
                n = c.pointee.next
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The `<head>` element, if any.
    public var head: HTMLNode? { root.children.first { $0.name == "head" } ?? root.first("head") }
    /// The `<body>` element, or the root when there is none.
    public var body: HTMLNode { root.children.first { $0.name == "body" } ?? root.first("body") ?? root }

    /// Deepest nesting kept below the root (libxml2's own default limit); the reference conversion flattens
    /// anything deeper into its ancestor (hostile pages nest 100 000 deep).
    static let maxDepth = 256

    /// The converted children of `node`, added to the element open in `out`.
    static func convertChildren(of node: xmlNodePtr, into out: inout NodeStoreBuilder, depth: Int) {
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                // libxml2's HTML parser lower-cases tag names.
                let name = c.pointee.name.map { String(cString: $0) } ?? ""
                if depth >= maxDepth {
                    convertChildren(of: c, into: &out, depth: depth)
                } else {
                    out.startElement(
                        name, attributes: attributes(of: c), block: HTMLText.blockElements.contains(name),
                        invisible: HTMLText.invisibleElements.contains(name))
                    convertChildren(of: c, into: &out, depth: depth + 1)
                    out.endElement()
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = c.pointee.content {
                    let text = String(cString: content)
                    if !text.isEmpty { out.text(text) }
                }
            default:
                break
            }
            child = c.pointee.next
        }
    }

    private static func attributes(of node: xmlNodePtr) -> HTMLAttributes {
        var out: [(String, String)] = []
        var attr = node.pointee.properties
        while let a = attr {
            if let name = a.pointee.name {
                var key = String(cString: name)
                if HTMLAttributes.needsLowercasing(key.utf8) { key = key.lowercased() }
                var value = ""
                if let only = a.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE {
                    // The usual value: one text node, read in place.
                    if let content = only.pointee.content { value = String(cString: content) }
                } else if let v = xmlNodeGetContent(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)) {
                    value = String(cString: v)
                    tidings_xml_free(v)
                }
                out.append((key, value))
            }
            attr = a.pointee.next
        }
        return HTMLAttributes(pairs: out)
    }
}

/// Builds the page's tree from libxml2's parser events, as libxml2's own tree builder would place each node,
/// without making that tree first: the root element's children under a synthetic root, adjacent text merged
/// until an element, comment or processing instruction comes between, and the parse stopped where libxml2's
/// builder stops it, at `HTMLDocument.maxDepth` open elements below the root (its default limit too).
private struct TreeBuilder {
    /// The nodes so far; its open elements (the synthetic root first) are none before and after the root element.
    private var tree = NodeStoreBuilder()
    /// Open elements of the parser, the root element and those outside it included.
    private var depth = 0
    private var seenRoot = false
    /// Elements open outside the root element (after it closed), ignored with everything in them.
    private var outside = 0
    private var text: [UInt8] = []
    private var textIsCDATA = false
    /// Tag names and their place in the element sets by libxml2's interned name pointer (one per distinct name in
    /// a parse), a small direct-mapped cache.
    private var names = [(UnsafePointer<xmlChar>?, String, block: Bool, invisible: Bool)](
        repeating: (nil, "", false, false), count: 64)

    mutating func flushText() {
        guard !text.isEmpty else { return }
        if !tree.isClosed { tree.text(String(decoding: text, as: UTF8.self)) }
        text.removeAll(keepingCapacity: true)
    }

    private mutating func name(_ pointer: UnsafePointer<xmlChar>?) -> (String, block: Bool, invisible: Bool) {
        guard let pointer else { return ("", false, false) }
        let slot = Int(bitPattern: UInt(bitPattern: pointer) >> 3) & 63
        if names[slot].0 == pointer { return (names[slot].1, names[slot].block, names[slot].invisible) }
        let s = String(cString: pointer)
        let entry = (
            pointer, s, block: HTMLText.blockElements.contains(s), invisible: HTMLText.invisibleElements.contains(s)
        )
        names[slot] = entry
        return (s, entry.block, entry.invisible)
    }

    mutating func start(
        _ ctxt: xmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>?,
        _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        flushText()
        // A hostile page nested 100 000 deep ends here, with the tree libxml2 would have made, in the same time.
        if depth > HTMLDocument.maxDepth {
            xmlStopParser(ctxt)
            return
        }
        depth += 1
        if outside > 0 || (seenRoot && tree.isClosed) {
            outside += 1
            return
        }
        if !seenRoot {  // the root element is the synthetic root, with the page's `<html>` attributes (its lang)
            seenRoot = true
            tree.startElement("html", attributes: TreeBuilder.attributes(atts), block: false, invisible: false)
            return
        }
        let (tag, block, invisible) = self.name(name)
        tree.startElement(tag, attributes: TreeBuilder.attributes(atts), block: block, invisible: invisible)
    }

    mutating func end() {
        flushText()
        depth -= 1
        if outside > 0 { outside -= 1 } else if !tree.isClosed { tree.endElement() }
    }

    /// Ends every element still open (the end of the page, or the parse stopped): the tree's root.
    mutating func finish() -> HTMLNode {
        flushText()
        return tree.finish()
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int32, cdata: Bool) {
        guard let bytes, count > 0, !tree.isClosed, outside == 0 else { return }
        if cdata != textIsCDATA {
            flushText()
            textIsCDATA = cdata
        }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
    }

    /// Attribute pairs as libxml2's tree builder stores them: a boolean attribute without a value takes its
    /// name as value, any other missing value is empty.
    private static func attributes(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> HTMLAttributes {
        guard let atts else { return HTMLAttributes() }
        var bytes = 0
        var i = 0
        while let name = atts[i] {
            bytes += 8 + strlen(name) + (atts[i + 1].map { strlen($0) } ?? strlen(name))
            i += 2
        }
        var out = HTMLAttributes(reserving: bytes)
        i = 0
        while let name = atts[i] {
            let nameBytes = UnsafeBufferPointer(start: name, count: strlen(name))
            let value = atts[i + 1]
            let valueBytes = value.map { UnsafeBufferPointer(start: $0, count: strlen($0)) }
            if HTMLAttributes.needsLowercasing(nameBytes) {
                let key = String(decoding: nameBytes, as: UTF8.self).lowercased()
                out.append(
                    name: key,
                    value: valueBytes.map { String(decoding: $0, as: UTF8.self) }
                        ?? (htmlIsBooleanAttr(name) != 0 ? key : ""))
            } else if let valueBytes {
                out.append(name: nameBytes, value: valueBytes)
            } else {
                out.append(
                    name: nameBytes,
                    value: htmlIsBooleanAttr(name) != 0 ? nameBytes : UnsafeBufferPointer(start: nil, count: 0))
            }
            i += 2
        }
        return out
    }

    /// The builder of a parser context (its `_private`).
    private static func builder(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<TreeBuilder> {
        ctx!.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private!.assumingMemoryBound(to: TreeBuilder.self)
    }

    /// The events this builder takes; everything else (errors included) is dropped.
    static func handler() -> htmlSAXHandler {
        var h = htmlSAXHandler()
        h.startElement = { ctx, name, atts in
            TreeBuilder.builder(ctx).pointee.start(ctx!.assumingMemoryBound(to: xmlParserCtxt.self), name, atts)
        }
        h.endElement = { ctx, _ in TreeBuilder.builder(ctx).pointee.end() }
        h.characters = { ctx, bytes, count in TreeBuilder.builder(ctx).pointee.characters(bytes, count, cdata: false) }
        h.ignorableWhitespace = { ctx, bytes, count in
            TreeBuilder.builder(ctx).pointee.characters(bytes, count, cdata: false)
        }
        h.cdataBlock = { ctx, bytes, count in TreeBuilder.builder(ctx).pointee.characters(bytes, count, cdata: true) }
        h.comment = { ctx, _ in TreeBuilder.builder(ctx).pointee.flushText() }
        h.processingInstruction = { ctx, _, _ in TreeBuilder.builder(ctx).pointee.flushText() }
        h.initialized = 1
        return h
    }
}

extension String {
    /// Whether the string's UTF-8 bytes contain those of `needle` (a plain byte search: no Unicode rules).
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard !n.isEmpty else { return true }
                guard h.count >= n.count else { return false }
                let first = Int32(n[0])
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    guard let hit = memchr(h.baseAddress! + i, first, last - i + 1) else { return false }
                    i = h.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// The string without leading and trailing white space (ASCII and Unicode), without a trip through NSString.
    public var trimmed: String {
        let u = utf8
        guard let first = u.first, let last = u.last else { return self }
        if first < 0x80 && last < 0x80 && !Lexicon.isCSpace(first) && !Lexicon.isCSpace(last) { return self }
        let scalars = unicodeScalars
        // ASCII answered from the byte: Unicode's white space there is C's, and the property lookup costs a
        // few hundred instructions a scalar.
        func isText(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? !Lexicon.isCSpace(UInt8(c.value)) : !c.properties.isWhitespace
        }
        guard let start = scalars.firstIndex(where: isText) else { return "" }
        let end = scalars.lastIndex(where: isText)!
        return String(scalars[start...end])
    }
}

extension String {
    /// The number of characters (grapheme clusters), as `count` gives it, without grapheme breaking for text
    /// whose every scalar stands alone (Latin, Greek, Cyrillic, Hebrew and Arabic letters, kana, CJK, hangul
    /// syllables, common punctuation); anything else (combining marks, jamo, emoji sequences, Indic and Thai
    /// scripts) is counted by `count` itself.
    public var characterCount: Int {
        var copy = self
        let fast: Int? = copy.withUTF8 { bytes -> Int? in
            var n = 0
            var i = 0
            let end = bytes.count
            while i < end {
                let b = bytes[i]
                if b < 0x80 {
                    // CR LF is one character.
                    if b == 0x0D && i + 1 < end && bytes[i + 1] == 0x0A { i += 1 }
                    n += 1
                    i += 1
                    continue
                }
                let scalar: UInt32
                let width: Int
                if b < 0xE0 {
                    guard i + 1 < end else { return nil }
                    scalar = UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                    width = 2
                } else if b < 0xF0 {
                    guard i + 2 < end else { return nil }
                    scalar = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    width = 3
                } else {
                    return nil
                }
                guard String.standsAlone(scalar) else { return nil }
                n += 1
                i += width
            }
            return n
        }
        return fast ?? count
    }

    /// Whether the string has at most `n` characters, found without counting past the `n`th.
    public func hasAtMost(_ n: Int) -> Bool {
        utf8.count <= n || dropFirst(n).isEmpty
    }

    /// Whether any character is a number (`Character.isNumber`), ASCII digits found on the bytes.
    public var containsNumber: Bool {
        var ascii = true
        for b in utf8 {
            if b >= 0x30 && b <= 0x39 { return true }
            if b >= 0x80 { ascii = false }
        }
        return !ascii && contains(where: \.isNumber)
    }

    /// Whether a scalar is a character by itself whatever surrounds it (no extending, joining or prepending).
    static func standsAlone(_ s: UInt32) -> Bool {
        switch s {
        case 0x80..<0x300, 0x370..<0x483, 0x48A..<0x530, 0x5D0...0x5EA, 0x620...0x64A, 0x660...0x669, 0x671...0x6D3,
            0x1E00..<0x2000, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2100..<0x2300, 0x3000...0x3029,
            0x3041...0x3096, 0x30A0...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF9D:
            return true
        default:
            return false
        }
    }
}
