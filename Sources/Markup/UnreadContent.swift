import Foundation
import Lexicon

/// Drops from a page's bytes, before libxml2 parses it, what text extraction never reads: the bodies of
/// `<script>` and `<style>` elements (half the bytes of a typical news page, read by libxml2 character by
/// character), the drawings inside inline `<svg>` elements (paths, icons) and every attribute with a quoted value
/// that extraction does not read (`readAttributes`: links, media, data, event and accessibility attributes;
/// libxml2 reads attribute names and values a character at a time too), and in text all but the first byte of
/// each run of blanks (indentation, mostly; not in `<pre>` and the like). JSON-LD scripts, the page's structured
/// data, keep their bodies; the elements themselves stay, empty.
///
/// The scan follows libxml2's HTML tokenizer where it matters: comments are skipped whole, quoted attribute
/// values may hold `>` or `<script`, a script or style body ends at the first `</` + its name in any case, an
/// SVG at its end tag, and `<script/>` has no body. Wherever the bytes leave doubt (an unterminated comment,
/// tag, quote or body, a NUL in a body, a body ended by `</scripts`) the rest of the page is left as it is, and
/// an SVG holding anything but drawing elements keeps its content: a mistake can only keep bytes, never drop
/// markup. An attribute goes only whole (its name after white space or a quote, then `=` and a quoted value):
/// unquoted values and names libxml2 would not read as one name stay.
enum UnreadContent {
    /// `data` without script, style and SVG bodies and unread attributes, or nil when there is none to drop
    /// or the bytes may not be ASCII-compatible (`encoding`, when given, is the charset the page will be read in).
    static func strip(_ data: Data, encoding: String?) -> Data? {
        if let encoding, !isASCIICompatible(encoding) { return nil }
        return data.withUnsafeBytes { raw -> Data? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return nil }
            return strip(UnsafeBufferPointer(start: base, count: raw.count))
        }
    }

    /// Whether a charset name keeps ASCII bytes as themselves (no UTF-16/32, no ISO-2022 shifting, no EBCDIC).
    static func isASCIICompatible(_ name: String) -> Bool {
        let n = name.lowercased()
        return !["16", "32", "ucs", "2022", "utf-7", "ebcdic", "ibm0", "cp0", "cp1140", "cp500", "cp875"].contains {
            n.contains($0)
        }
    }

    /// Elements whose text keeps its white space as written.
    static let verbatimElements: [StaticString] = ["pre", "textarea", "listing", "xmp", "plaintext"]

    /// SVG elements that draw (and group, name or describe drawings): an SVG holding only these loses them.
    static let drawingElements: Set<[UInt8]> = Set(
        [
            "a", "animate", "animatemotion", "animatetransform", "circle", "clippath", "defs", "desc", "ellipse", "g",
            "image", "line", "lineargradient", "marker", "mask", "metadata", "mpath", "path", "pattern", "polygon",
            "polyline", "radialgradient", "rect", "set", "stop", "symbol", "text", "textpath", "title", "tspan", "use",
            "view", "filter", "feblend", "fecolormatrix", "fecomposite", "feflood", "fegaussianblur", "feimage",
            "femerge", "femergenode", "feoffset", "fedropshadow", "femorphology", "feturbulence", "fedisplacementmap",
        ].map { Array($0.utf8) })

    static func strip(_ b: UnsafeBufferPointer<UInt8>) -> Data? {
        let n = b.count
        // UTF-16 and UTF-32 (a BOM, or NULs between ASCII letters early on) and ISO-2022 escapes: not bytes to cut.
        if n >= 2 && (b[0] == 0xFE && b[1] == 0xFF || b[0] == 0xFF && b[1] == 0xFE) { return nil }
        if memchr(b.baseAddress!, 0, min(n, 1024)) != nil || memchr(b.baseAddress!, 0x1B, n) != nil { return nil }

        // What is kept, copied into one buffer of the input's size (nothing kept is longer than the input).
        var out: UnsafeMutablePointer<UInt8>?
        var written = 0
        var copied = 0  // bytes before this index are in `out` or dropped
        func keep(upTo end: Int) {
            if out == nil { out = UnsafeMutablePointer<UInt8>.allocate(capacity: n) }
            (out! + written).update(from: b.baseAddress! + copied, count: end - copied)
            written += end - copied
        }
        func drop(_ from: Int, _ to: Int) {
            keep(upTo: from)
            copied = to
        }
        // Runs of white space in text: libxml2 reads text a character at a time and extraction collapses every
        // run to one space anyway, so each run keeps its first byte (a blank stays blank: the tree is the same).
        // Not in preformatted elements (up to `verbatimEnd`).
        var verbatimEnd = 0
        func collapseSpaces(_ from: Int, _ to: Int) {
            guard from >= verbatimEnd else { return }
            var k = from
            while k + 1 < to {
                if Lexicon.isXMLSpace(b[k]) && Lexicon.isXMLSpace(b[k + 1]) {
                    var e = k + 2
                    while e < to && Lexicon.isXMLSpace(b[e]) { e += 1 }
                    drop(k + 1, e)
                    k = e
                } else {
                    k += 1
                }
            }
        }
        var unread: [Range<Int>] = []
        var i = 0
        scan: while i < n {
            guard let lt = find(UInt8(ascii: "<"), in: b, from: i) else {
                collapseSpaces(i, n)
                break
            }
            collapseSpaces(i, lt)
            i = lt
            if i + 3 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "-")
                && b[i + 3] == UInt8(ascii: "-")
            {
                guard let end = find("-->", in: b, from: i + 4) else { break }
                i = end + 3
                continue
            }
            guard i + 1 < n, isLetter(b[i + 1]) else {
                i += 1
                continue
            }
            var j = i + 1
            while j < n && isNameByte(b[j]) { j += 1 }
            let name: StaticString? =
                equalsIgnoringCase(b, i + 1, j, "script")
                ? "script"
                : equalsIgnoringCase(b, i + 1, j, "style")
                    ? "style" : equalsIgnoringCase(b, i + 1, j, "svg") ? "svg" : nil
            unread.removeAll(keepingCapacity: true)
            guard let k = tagEnd(b, from: j, unread: &unread) else { break }  // an unterminated quote or tag
            for a in unread { drop(a.lowerBound, a.upperBound) }
            i = k + 1
            if let verbatim = verbatimElements.first(where: { equalsIgnoringCase(b, lt + 1, j, $0) }) {
                // <plaintext> never ends.
                let end = verbatim.description == "plaintext" ? nil : findEndTag(verbatim, in: b, from: i)
                verbatimEnd = max(verbatimEnd, end ?? n)
            }
            // A navigation element's content: extraction skips it whole; it goes when libxml2 is sure to read it
            // as a subtree of its own (`navigationEnd`).
            if equalsIgnoringCase(b, lt + 1, j, "nav"), b[k - 1] != UInt8(ascii: "/"),
                let end = navigationEnd(b, from: i)
            {
                if end > i { drop(i, end) }
                i = end
                continue
            }
            guard let name, b[k - 1] != UInt8(ascii: "/") else { continue }
            let bodyStart = k + 1
            // libxml2 ends a raw body at `</scripts` too, then reads on as markup inside the script: left as is.
            guard let end = findEndTag(name, in: b, from: bodyStart),
                end + 2 + name.utf8CodeUnitCount >= n || !isNameByte(b[end + 2 + name.utf8CodeUnitCount])
            else {
                if name.utf8CodeUnitCount == 3 { continue } else { break }
            }
            if end == bodyStart {
                i = end
                continue
            }
            if memchr(b.baseAddress! + bodyStart, 0, end - bodyStart) != nil {
                if name.utf8CodeUnitCount == 3 { continue } else { break }  // libxml2 ends a raw body at a NUL
            }
            if name.utf8CodeUnitCount == 3 {
                // Markup: only a plain drawing goes; anything else in it is scanned like the rest of the page.
                guard isDrawing(b, from: bodyStart, to: end) else { continue }
            } else if name.utf8CodeUnitCount == 6, contains("ld+json", in: b, from: j, to: k) {
                i = end
                continue
            }
            drop(bodyStart, end)
            i = end
        }
        guard let kept = out else { return nil }
        keep(upTo: n)
        return Data(bytesNoCopy: kept, count: written, deallocator: .custom { p, _ in p.deallocate() })
    }

    /// Where the tag whose name ends before `from` ends: its first `>` outside a quoted attribute value (a quote
    /// opens a value only right after `=`, as in libxml2); nil when a quote or the tag never closes. Attributes
    /// with a quoted value that extraction does not read (`isRead`) are added to `unread`, name to closing quote.
    private static func tagEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int, unread: inout [Range<Int>]) -> Int? {
        var k = from
        var previous: UInt8 = 0
        var equals = 0
        while k < b.count {
            let c = b[k]
            if c == UInt8(ascii: ">") { return k }
            if c == UInt8(ascii: "=") { equals = k }
            if (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) && previous == UInt8(ascii: "=") {
                guard let close = find(c, in: b, from: k + 1) else { return nil }
                var nameEnd = equals
                while nameEnd > from && Lexicon.isHTMLSpace(b[nameEnd - 1]) { nameEnd -= 1 }
                var nameStart = nameEnd
                while nameStart > from && isNameByte(b[nameStart - 1]) { nameStart -= 1 }
                // A whole name: after white space or the previous value's quote, starting as libxml2's names do.
                let before = b[nameStart - 1]
                if nameStart < nameEnd,
                    Lexicon.isHTMLSpace(before) || before == UInt8(ascii: "\"") || before == UInt8(ascii: "'"),
                    isLetter(b[nameStart]) || b[nameStart] == UInt8(ascii: "_") || b[nameStart] == UInt8(ascii: ":"),
                    !isRead(b, nameStart, nameEnd)
                {
                    unread.append(nameStart..<(close + 1))
                }
                k = close + 1
                previous = c
                continue
            }
            if !Lexicon.isHTMLSpace(c) { previous = c }
            k += 1
        }
        return nil
    }

    /// Elements a navigation's content may hold for it to go (`navigationEnd`): ones libxml2 2.9 closes only
    /// where their end tag stands (no optional end tags, no tables, forms or paragraphs), and SVG drawings.
    static let navigationElements: Set<[UInt8]> = Set(
        [
            "a", "abbr", "b", "br", "button", "div", "em", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
            "header",
            "hr", "i", "img", "input", "label", "li", "nav", "ol", "picture", "section", "small", "source", "span",
            "strong", "svg", "time", "u", "ul", "path", "g", "use", "circle", "rect", "line", "polygon", "polyline",
            "ellipse", "defs", "symbol", "lineargradient", "radialgradient", "stop", "clippath", "mask",
        ].map { Array($0.utf8) })
    /// The names `navigationEnd` tests for, made once.
    private enum NavigationTag {
        static let nav = Array("nav".utf8), li = Array("li".utf8), a = Array("a".utf8), ul = Array("ul".utf8),
            ol = Array("ol".utf8)
    }
    /// Those with no end tag.
    static let voidElements: Set<[UInt8]> = Set(["br", "hr", "img", "input", "source"].map { Array($0.utf8) })

    /// Where the content of a `<nav>` whose start tag ends before `from` ends (its `</nav`), when that content is
    /// only `navigationElements`, each closed by its own end tag in order (or `/>`), with text and comments
    /// between, and no start tag that libxml2 closes its parent on (a list item or heading straight in a heading,
    /// a list item in a list item, a link in a link, one kind of list straight in the other); nil otherwise.
    /// Then libxml2 builds the same tree around the element whatever it holds.
    private static func navigationEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var open: [[UInt8]] = []
        var name: [UInt8] = []
        var unread: [Range<Int>] = []  // not needed here: the content goes whole
        var i = from
        func isHeading(_ n: [UInt8]) -> Bool {
            n.count == 2 && n[0] == UInt8(ascii: "h") && n[1] >= UInt8(ascii: "1") && n[1] <= UInt8(ascii: "6")
        }
        while let lt = find(UInt8(ascii: "<"), in: b, from: i) {
            guard memchr(b.baseAddress! + i, 0, lt - i) == nil, lt + 1 < b.count else { return nil }
            if lt + 3 < b.count && b[lt + 1] == UInt8(ascii: "!") && b[lt + 2] == UInt8(ascii: "-")
                && b[lt + 3] == UInt8(ascii: "-")
            {
                guard let end = find("-->", in: b, from: lt + 4) else { return nil }
                i = end + 3
                continue
            }
            let closing = b[lt + 1] == UInt8(ascii: "/")
            var j = closing ? lt + 2 : lt + 1
            guard j < b.count, isLetter(b[j]) else {
                if closing || b[lt + 1] == UInt8(ascii: "!") || b[lt + 1] == UInt8(ascii: "?") { return nil }
                i = lt + 1  // a lone `<` in text
                continue
            }
            let nameStart = j
            while j < b.count && isNameByte(b[j]) { j += 1 }
            guard j - nameStart <= 16 else { return nil }
            name.removeAll(keepingCapacity: true)
            for t in nameStart..<j { name.append(b[t] | 0x20) }
            if closing {
                var k = j
                while k < b.count && Lexicon.isHTMLSpace(b[k]) { k += 1 }
                guard k < b.count, b[k] == UInt8(ascii: ">") else { return nil }
                if open.isEmpty { return name == NavigationTag.nav ? lt : nil }
                guard open.last == name else { return nil }
                open.removeLast()
                i = k + 1
                continue
            }
            guard navigationElements.contains(name), open.count < 64, let k = tagEnd(b, from: j, unread: &unread) else {
                return nil
            }
            if let parent = open.last {
                typealias T = NavigationTag
                if name == T.li && (parent == T.li || isHeading(parent)) || name == T.a && parent == T.a
                    || isHeading(name) && isHeading(parent) || name == T.ul && parent == T.ol
                    || name == T.ol && parent == T.ul
                {
                    return nil
                }
            }
            if b[k - 1] != UInt8(ascii: "/") && !voidElements.contains(name) { open.append(name) }
            i = k + 1
        }
        return nil
    }

    /// Whether the markup between `from` and `to` is only drawing elements' tags and text.
    private static func isDrawing(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        var i = from
        var name: [UInt8] = []  // the tag's name in lower case, one buffer for every tag
        var unread: [Range<Int>] = []  // not needed here: a drawing goes whole
        while let lt = find(UInt8(ascii: "<"), in: b, from: i), lt < to {
            var j = lt + 1
            if j < to && b[j] == UInt8(ascii: "/") { j += 1 }  // an end tag
            let nameStart = j
            while j < to && isNameByte(b[j]) { j += 1 }
            guard j > nameStart, j - nameStart <= 20 else { return false }
            name.removeAll(keepingCapacity: true)
            for t in nameStart..<j {
                name.append(b[t] >= UInt8(ascii: "A") && b[t] <= UInt8(ascii: "Z") ? b[t] | 0x20 : b[t])
            }
            guard drawingElements.contains(name), let k = tagEnd(b, from: j, unread: &unread), k < to else {
                return false
            }
            i = k + 1
        }
        return true
    }

    /// The attributes text extraction reads (`HTMLDocument.Reading.text`), and those libxml2 reads on `<meta>` for
    /// the page's encoding; names in lower case.
    static let readAttributes: [StaticString] = [
        "class", "id", "role", "style", "hidden", "aria-hidden", "lang", "type",
        "name", "property", "itemprop", "content", "charset", "http-equiv",
    ]

    /// Whether the attribute name between `from` and `to` is one of `readAttributes`, in any case.
    private static func isRead(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        for name in readAttributes where equalsIgnoringCase(b, from, to, name) { return true }
        return false
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
    }
    /// White space as libxml2 reads it in text (form feeds are not).
    private static func isNameByte(_ c: UInt8) -> Bool {
        isLetter(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
            || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
    }

    private static func equalsIgnoringCase(
        _ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ word: StaticString
    ) -> Bool {
        guard to - from == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for t in 0..<(to - from) where b[from + t] | 0x20 != w[t] { return false }
        return true
    }

    private static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < b.count, let hit = memchr(b.baseAddress! + from, Int32(byte), b.count - from) else { return nil }
        return b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func find(_ needle: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let w = needle.utf8Start
        let m = needle.utf8CodeUnitCount
        var i = from
        while let hit = find(w[0], in: b, from: i) {
            guard hit + m <= b.count else { return nil }
            if memcmp(b.baseAddress! + hit, w, m) == 0 { return hit }
            i = hit + 1
        }
        return nil
    }

    /// Where `</name` (any case, as a prefix: libxml2's own test) first starts at or after `from`.
    private static func findEndTag(_ name: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        let w = name.utf8Start
        let m = name.utf8CodeUnitCount
        while let lt = find("</", in: b, from: i) {
            if lt + 2 + m <= b.count {
                var same = true
                for t in 0..<m where b[lt + 2 + t] | 0x20 != w[t] {
                    same = false
                    break
                }
                if same { return lt }
            }
            i = lt + 2
        }
        return nil
    }

    /// Whether `needle` (lower case) occurs between `from` and `to`, in any case.
    private static func contains(_ needle: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        let w = needle.utf8Start
        let m = needle.utf8CodeUnitCount
        guard to - from >= m else { return false }
        for s in from...(to - m) {
            var t = 0
            while t < m && b[s + t] | 0x20 == w[t] { t += 1 }
            if t == m { return true }
        }
        return false
    }
}
