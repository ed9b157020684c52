import CLibXML2
import Lexicon

/// Turning HTML into plain text.
public enum HTMLText {
    /// Elements that start a new line of text.
    public static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "table", "tr", "td", "th", "section", "article", "header", "footer", "nav", "aside", "dd", "dt",
        "dl", "figure", "figcaption", "form", "hr", "main", "address", "details", "summary", "center",
    ]
    /// Elements whose content is never text a reader sees.
    public static let invisibleElements: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "head", "title", "iframe", "object", "embed",
        "select", "option", "button", "input", "textarea", "canvas", "video", "audio", "map",
    ]

    /// What a fragment hides: the invisible elements, minus the vector and formula markup whose text counts.
    static let invisibleInFragments: Set<String> = invisibleElements.subtracting(["svg", "math", "title"])

    /// Plain text of an HTML fragment: tags dropped, entities decoded, white space collapsed to single spaces.
    /// Text inside inline SVG and MathML (titles, descriptions, formulas) is kept.
    ///
    /// It reads the fragment the way libxml2's HTML parser does (the same entity table, the same recovery from
    /// stray `<` and `&`, the same elements closed by an ancestor's end tag) without building a tree: titles and
    /// summaries of every feed entry pass through here.
    public static func plainText(fromHTML html: String, keepingUnicodeSpaces: Bool = false) -> String {
        var input = html
        var unchanged = false
        let text = input.withUTF8 { bytes -> String in
            String(unsafeUninitializedCapacity: bytes.count + 16) { out in
                var scanner = FragmentScanner(bytes, into: out, keepsUnicodeSpaces: keepingUnicodeSpaces)
                scanner.run()
                unchanged = !scanner.text.changed && !scanner.sawMarkup
                return scanner.text.count
            }
        }
        return unchanged ? html : text
    }

    /// Whether `plainText(fromHTML:)` of `html` would be non-empty, read only as far as its first visible
    /// character: a feed parser asks this of every summary, and most readers never need the summary's text.
    public static func hasText(html: String, keepingUnicodeSpaces: Bool = false) -> Bool {
        var input = html
        return input.withUTF8 { bytes in
            // The scanner stops within a piece of text once it wrote any: a small buffer holds that much (writes
            // past its end are dropped, never made).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { out in
                var scanner = FragmentScanner(bytes, into: out, keepsUnicodeSpaces: keepingUnicodeSpaces)
                scanner.stopsAtText = true
                scanner.run()
                return scanner.text.count > 0
            }
        }
    }

    static func appendText(of node: HTMLNode, to out: inout String, skipping hidden: Set<String> = invisibleElements) {
        if node.isText {
            out += node.text
            return
        }
        if hidden.contains(node.name) { return }
        let block = node.isBlockElement
        if block { out += "\n" }
        for child in node.children { appendText(of: child, to: &out, skipping: hidden) }
        if block { out += "\n" }
    }

    /// Collapses runs of white space within lines to one space and drops blank lines.
    public static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { collapseSpaces(String($0)) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// Collapses every run of white space (newlines included) to one space, trimmed.
    public static func collapseSpaces(_ text: String, keepingUnicodeSpaces: Bool = false) -> String {
        var input = text
        var unchanged = false
        let collapsed = input.withUTF8 { b -> String in
            String(unsafeUninitializedCapacity: b.count + 16) { buffer in
                var out = SpacedText(into: buffer, keepsUnicodeSpaces: keepingUnicodeSpaces)
                out.append(b, dropControls: false)
                unchanged = !out.changed
                return out.count
            }
        }
        return unchanged ? text : collapsed
    }
}

/// Text written into a caller's buffer with every run of white space (ASCII and Unicode spaces) as one space,
/// none at either end. Nothing written is ever longer than what was read, so a buffer the input's size suffices.
struct SpacedText {
    private let out: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    private(set) var count = 0
    private var pendingSpace = false
    /// True when the output differs from the bytes appended.
    private(set) var changed = false

    /// Whether spaces other than ASCII white space (U+00A0, U+2009, U+3000 …) are kept as characters instead of
    /// collapsing like a space: feed text keeps them (the conformance contract), page text does not.
    var keepsUnicodeSpaces = false

    init(into buffer: UnsafeMutableBufferPointer<UInt8>, keepsUnicodeSpaces: Bool = false) {
        out = buffer
        self.keepsUnicodeSpaces = keepsUnicodeSpaces
    }

    /// Starts a new line of text (a block boundary): one space, unless at the start.
    mutating func separate() {
        pendingSpace = count > 0
        changed = true
    }

    /// Appends `b`; `dropControls` leaves out the C0 controls XML does not allow (as libxml2's parsers do).
    mutating func append(_ b: UnsafeBufferPointer<UInt8>, dropControls: Bool) {
        guard let base = b.baseAddress, let dst = out.baseAddress else { return }
        let n = b.count
        let limit = out.count
        // Kept in locals for the loop: stored properties of `self` would be reloaded after every byte written.
        var count = self.count
        var pending = pendingSpace
        var changed = self.changed
        let unicodeSpaces = !keepsUnicodeSpaces
        defer {
            self.count = count
            pendingSpace = pending
            self.changed = changed
        }
        var i = 0
        while i < n {
            let c = base[i]
            if c > 32 && c < 0x80 {
                // Printable ASCII goes over in runs.
                if pending, count < limit {
                    dst[count] = 32
                    count += 1
                }
                pending = false
                repeat {
                    if count < limit {
                        dst[count] = base[i]
                        count += 1
                    }
                    i += 1
                } while i < n && base[i] > 32 && base[i] < 0x80
                continue
            }
            var width = 1
            var isSpace = false
            if c < 0x80 {
                isSpace = Lexicon.isCSpace(c)
                if dropControls, c < 32, c != 9, c != 10, c != 13 {
                    changed = true
                    i += 1
                    continue
                }
            } else if !unicodeSpaces {
                // Kept as characters: only the width of the sequence matters here.
                width = min(c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1, n - i)  // never past the end
            } else if c == 0xC2, i + 1 < n, base[i + 1] == 0xA0 || base[i + 1] == 0x85 {
                isSpace = true
                width = 2  // NBSP, NEL
            } else if c == 0xE2, i + 2 < n, base[i + 1] == 0x80,
                (0x80...0x8B).contains(base[i + 2]) || base[i + 2] == 0xA8 || base[i + 2] == 0xA9 || base[i + 2] == 0xAF
            {
                isSpace = true
                width = 3  // U+2000–200B, line/paragraph separators, narrow NBSP
            } else if c == 0xE2, i + 2 < n, base[i + 1] == 0x81, base[i + 2] == 0x9F {
                isSpace = true
                width = 3  // U+205F
            } else if c == 0xE3, i + 2 < n, base[i + 1] == 0x80, base[i + 2] == 0x80 {
                isSpace = true
                width = 3  // U+3000
            } else if c == 0xEF, i + 2 < n, base[i + 1] == 0xBB, base[i + 2] == 0xBF {
                isSpace = true
                width = 3  // BOM / zero-width no-break space
            }
            if isSpace {
                if c != 32 || pending || count == 0 { changed = true }
                pending = count > 0
            } else {
                if pending, count < limit {
                    dst[count] = 32
                    count += 1
                }
                pending = false
                let w = min(width, limit - count)
                if w > 0 {
                    (dst + count).update(from: base + i, count: w)
                    count += w
                }
            }
            i += width
        }
        if pending { changed = true }
    }

    /// Appends one Unicode scalar (a decoded character reference).
    mutating func append(scalar value: UInt32) {
        changed = true
        var utf8: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let length: Int
        switch value {
        case 0..<0x80:
            utf8.0 = UInt8(value)
            length = 1
        case 0x80..<0x800:
            utf8.0 = UInt8(0xC0 | (value >> 6))
            utf8.1 = UInt8(0x80 | (value & 0x3F))
            length = 2
        case 0x800..<0x10000:
            utf8.0 = UInt8(0xE0 | (value >> 12))
            utf8.1 = UInt8(0x80 | ((value >> 6) & 0x3F))
            utf8.2 = UInt8(0x80 | (value & 0x3F))
            length = 3
        default:
            utf8.0 = UInt8(0xF0 | (value >> 18))
            utf8.1 = UInt8(0x80 | ((value >> 12) & 0x3F))
            utf8.2 = UInt8(0x80 | ((value >> 6) & 0x3F))
            utf8.3 = UInt8(0x80 | (value & 0x3F))
            length = 4
        }
        withUnsafeBytes(of: &utf8) { raw in
            append(
                UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: length),
                dropControls: true)
        }
    }
}

/// One pass over an HTML fragment's bytes, writing its visible text.
struct FragmentScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private(set) var text: SpacedText
    /// Open elements (packed tag names), innermost last; void elements are never pushed.
    private var open: [UInt64] = []
    /// Index in `open` of the outermost element whose content is hidden, or -1.
    private var hiddenFrom = -1
    /// True once a tag, comment or reference was read (the text is then not the input as it was).
    private(set) var sawMarkup = false
    /// Deepest nesting tracked: deeper start tags are read but not remembered (hostile input nests without end).
    private static let maxOpen = 1024
    /// When set, `run` stops once any text is written (enough to tell an empty fragment from one with text).
    var stopsAtText = false

    init(
        _ bytes: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>,
        keepsUnicodeSpaces: Bool = false
    ) {
        b = bytes
        text = SpacedText(into: buffer, keepsUnicodeSpaces: keepsUnicodeSpaces)
    }

    private var hidden: Bool { hiddenFrom >= 0 }

    mutating func run() {
        let n = b.count
        while i < n {
            if stopsAtText, text.count > 0 { return }
            // A run of character data up to the next markup or reference; when only asked whether there is text,
            // read 64 bytes at a time, cut where a character starts (a long summary is known to have text at once).
            let start = i
            let end = stopsAtText ? min(n, start + 64) : n
            while i < end, b[i] != UInt8(ascii: "<"), b[i] != UInt8(ascii: "&") { i += 1 }
            if i == end, end < n {
                while i > start + 1, b[i] & 0xC0 == 0x80 { i -= 1 }
                if !hidden { text.append(UnsafeBufferPointer(rebasing: b[start..<i]), dropControls: true) }
                continue
            }
            if i > start, !hidden {
                text.append(UnsafeBufferPointer(rebasing: b[start..<i]), dropControls: true)
            }
            guard i < n else { break }
            sawMarkup = true
            if b[i] == UInt8(ascii: "&") {
                reference()
                continue
            }
            markup()
        }
    }

    // MARK: character references

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    /// `&name;`, `&#N;` or `&#xH;`; anything else is a literal ampersand.
    private mutating func reference() {
        let n = b.count
        if i + 1 < n, b[i + 1] == UInt8(ascii: "#") {
            var j = i + 2
            var value: UInt32 = 0
            if j < n, b[j] | 0x20 == UInt8(ascii: "x") {
                j += 1
                while j < n, let d = Self.hexValue(b[j]) {
                    value = min(value &* 16 &+ d, 0x110000)
                    j += 1
                }
            } else {
                while j < n, b[j] >= 0x30, b[j] <= 0x39 {
                    value = min(value &* 10 &+ UInt32(b[j] - 0x30), 0x110000)
                    j += 1
                }
            }
            if j < n, b[j] == UInt8(ascii: ";") { j += 1 }
            i = j
            // Code points XML does not allow (NUL, most C0 controls, surrogates, U+FFFE/F) are dropped.
            if !hidden, Self.isXMLChar(value) { text.append(scalar: value) }
            return
        }
        var j = i + 1
        if j < n, Self.isLetter(b[j]) || b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: ":") {
            while j < n, Self.isNameByte(b[j]) { j += 1 }
        }
        if j < n, j > i + 1, j - i - 1 <= 32, b[j] == UInt8(ascii: ";"),
            let value = Self.entity(UnsafeBufferPointer(rebasing: b[(i + 1)..<j]))
        {
            if !hidden { text.append(scalar: value) }
            i = j + 1
            return
        }
        // Not a known entity: the ampersand is text, and so is what follows it.
        if !hidden { text.append(UnsafeBufferPointer(rebasing: b[i..<(i + 1)]), dropControls: false) }
        i += 1
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        default: return nil
        }
    }

    private static func isXMLChar(_ v: UInt32) -> Bool {
        v == 9 || v == 10 || v == 13 || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
            || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// The code point of an HTML 4 named entity (libxml2's own table; the common five answered directly).
    private static func entity(_ name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2:
            if name[1] == UInt8(ascii: "t") {
                if name[0] == UInt8(ascii: "l") { return 60 }
                if name[0] == UInt8(ascii: "g") { return 62 }
            }
        case 3:
            if name[0] == UInt8(ascii: "a"), name[1] == UInt8(ascii: "m"), name[2] == UInt8(ascii: "p") { return 38 }
        case 4:
            if name.elementsEqual("nbsp".utf8) { return 0xA0 }
            if name.elementsEqual("quot".utf8) { return 34 }
            if name.elementsEqual("apos".utf8) { return 39 }
        default:
            break
        }
        var cName = [CChar](repeating: 0, count: name.count + 1)
        for k in 0..<name.count { cName[k] = CChar(bitPattern: name[k]) }
        let found: UInt32? = cName.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: xmlChar.self, capacity: p.count) { htmlEntityLookup($0) }?.pointee
                .value
        }
        return found.flatMap { $0 > 0 ? $0 : nil }
    }

    // MARK: markup

    /// Something starting with `<`: a start or end tag, a comment, a declaration, or a literal `<`.
    private mutating func markup() {
        let n = b.count
        let next = i + 1 < n ? b[i + 1] : 0
        if next == UInt8(ascii: "!") {
            if i + 3 < n, b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                // A comment: to its end, or to the end of the fragment when it never ends.
                var j = i + 4
                while j + 2 < n,
                    !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">"))
                { j += 1 }
                i = j + 2 < n ? j + 3 : n
                return
            }
            if i + 9 <= n, Self.equalsIgnoringCase(b[(i + 2)..<(i + 9)], "doctype") {
                skipPast(UInt8(ascii: ">"))
                return
            }
        } else if next == UInt8(ascii: "?") {
            i += 2
            if i < n, Self.isLetter(b[i]) || b[i] == UInt8(ascii: "_") || b[i] == UInt8(ascii: ":") {
                skipPast(UInt8(ascii: ">"))
            }
            return
        } else if next == UInt8(ascii: "/") {
            i += 2
            guard i < n,
                Self.isLetter(b[i]) || b[i] == UInt8(ascii: "_") || b[i] == UInt8(ascii: ":")
                    || b[i] == UInt8(ascii: ".")
            else { return }
            let tag = tagName()
            skipPast(UInt8(ascii: ">"))
            endTag(tag)
            return
        } else if Self.isLetter(next) {
            i += 1
            startTag()
            return
        }
        // Anything else: the `<` is text.
        if !hidden { text.append(UnsafeBufferPointer(rebasing: b[i..<(i + 1)]), dropControls: false) }
        i += 1
    }

    private static func equalsIgnoringCase(_ s: Slice<UnsafeBufferPointer<UInt8>>, _ word: StaticString) -> Bool {
        guard s.count == word.utf8CodeUnitCount else { return false }
        var k = 0
        for c in s {
            if c | 0x20 != word.utf8Start[k] { return false }
            k += 1
        }
        return true
    }

    private mutating func skipPast(_ c: UInt8) {
        while i < b.count, b[i] != c { i += 1 }
        if i < b.count { i += 1 }
    }

    /// Reads a tag name at `i`, lower-cased and packed: up to eight bytes as they are, longer names hashed.
    private mutating func tagName() -> UInt64 {
        var packed: UInt64 = 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var length = 0
        while i < b.count, Self.isNameByte(b[i]) {
            var c = b[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if length < 8 { packed |= UInt64(c) << (8 * UInt64(length)) }
            hash = (hash ^ UInt64(c)) &* 0x100_0000_01b3
            length += 1
            i += 1
        }
        return length <= 8 ? packed : (hash | (1 << 63))
    }

    /// A start tag: its name, then attributes skipped as libxml2 reads them (quoted values may hold `>`).
    private mutating func startTag() {
        let tag = tagName()
        let n = b.count
        var selfClosing = false
        scan: while i < n {
            let c = b[i]
            switch c {
            case UInt8(ascii: ">"):
                i += 1
                break scan
            case UInt8(ascii: "/") where i + 1 < n && b[i + 1] == UInt8(ascii: ">"):
                i += 2
                selfClosing = true
                break scan
            case 32, 9, 10, 13, 12:
                i += 1
            default:
                if Self.isLetter(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80 {
                    attribute()
                } else {
                    // Not an attribute name: skipped up to the next blank or the end of the tag.
                    while i < n, !Lexicon.isXMLSpace(b[i]), b[i] != UInt8(ascii: ">"),
                        !(b[i] == UInt8(ascii: "/") && i + 1 < n && b[i + 1] == UInt8(ascii: ">"))
                    { i += 1 }
                }
            }
        }
        let kind = Self.names.kind(of: tag)
        // Misplaced <html>, <head> and <body> tags inside a fragment are dropped, their content kept.
        if kind & Names.dropped != 0 { return }
        if !hidden, kind & Names.block != 0 { text.separate() }
        if selfClosing || kind & Names.void != 0 { return }
        if kind & Names.raw != 0 {
            // Raw text up to the matching end tag.
            skipRawText(tag == Self.names.script ? "</script" : "</style")
            if !hidden, kind & Names.block != 0 { text.separate() }
            return
        }
        guard open.count < Self.maxOpen else { return }
        open.append(tag)
        if hiddenFrom < 0, kind & Names.hidden != 0 { hiddenFrom = open.count - 1 }
    }

    private mutating func attribute() {
        let n = b.count
        while i < n, Self.isNameByte(b[i]) || b[i] >= 0x80 { i += 1 }
        var j = i
        while j < n, Lexicon.isXMLSpace(b[j]) { j += 1 }
        guard j < n, b[j] == UInt8(ascii: "=") else {
            i = j
            return
        }
        j += 1
        while j < n, Lexicon.isXMLSpace(b[j]) { j += 1 }
        guard j < n else {
            i = j
            return
        }
        let q = b[j]
        if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
            j += 1
            while j < n, b[j] != q { j += 1 }
            i = min(j + 1, n)
        } else {
            while j < n, !Lexicon.isXMLSpace(b[j]), b[j] != UInt8(ascii: ">") { j += 1 }
            i = j
        }
    }

    private mutating func skipRawText(_ end: StaticString) {
        let n = b.count
        let count = end.utf8CodeUnitCount
        var j = i
        while j + count <= n {
            if b[j] == UInt8(ascii: "<"), Self.equalsIgnoringCase(b[j..<(j + count)], end) {
                i = j + count
                skipPast(UInt8(ascii: ">"))
                return
            }
            j += 1
        }
        i = n
    }

    /// An end tag closes its element and every element opened inside it; a stray one is ignored.
    private mutating func endTag(_ tag: UInt64) {
        let block = Self.names.kind(of: tag) & Names.block != 0
        guard let k = open.lastIndex(of: tag) else {
            if !hidden, block { text.separate() }
            return
        }
        open.removeSubrange(k...)
        if hiddenFrom >= k { hiddenFrom = -1 }
        if !hidden, block { text.separate() }
    }

    /// What the scanner needs to know of each tag name, by the name as `tagName()` packs it: an open-addressed
    /// table of 256 slots (a few dozen names), probed with a multiplicative hash (no hasher per tag).
    struct Names {
        static let block: UInt8 = 1, hidden: UInt8 = 2, void: UInt8 = 4, raw: UInt8 = 8, dropped: UInt8 = 16
        private var keys = [UInt64](repeating: 0, count: 256)
        private var kinds = [UInt8](repeating: 0, count: 256)
        let script: UInt64

        init(_ entries: [(UInt64, UInt8)], script: UInt64) {
            self.script = script
            for (tag, kind) in entries where tag != 0 {
                var k = Names.slot(tag)
                while keys[k] != 0 && keys[k] != tag { k = (k + 1) & 255 }
                keys[k] = tag
                kinds[k] |= kind
            }
        }

        private static func slot(_ tag: UInt64) -> Int { Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        /// The flags of `tag` (0 for names the scanner treats as plain inline elements).
        func kind(of tag: UInt64) -> UInt8 {
            var k = Names.slot(tag)
            while true {
                let key = keys[k]
                if key == tag { return kinds[k] }
                if key == 0 { return 0 }
                k = (k + 1) & 255
            }
        }
    }

    static let names: Names = {
        func pack(_ s: String) -> UInt64 {
            var name = [UInt8](s.utf8)
            var unused = [UInt8](repeating: 0, count: name.count)
            return name.withUnsafeMutableBufferPointer { buf in
                unused.withUnsafeMutableBufferPointer { out in
                    var f = FragmentScanner(UnsafeBufferPointer(buf), into: out)
                    return f.tagName()
                }
            }
        }
        let void = [
            "area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "isindex", "link", "meta",
            "param", "embed", "source", "track", "wbr",
        ]
        var entries: [(UInt64, UInt8)] = []
        entries += HTMLText.blockElements.map { (pack($0), Names.block) }
        entries += HTMLText.invisibleInFragments.subtracting(["head"]).map { (pack($0), Names.hidden) }
        entries += void.map { (pack($0), Names.void) }
        entries += ["script", "style"].map { (pack($0), Names.raw) }
        entries += ["html", "head", "body"].map { (pack($0), Names.dropped) }
        return Names(entries, script: pack("script"))
    }()
}
