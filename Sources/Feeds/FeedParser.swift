import Foundation
import Lexicon
import Markup

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x documents into a `ParsedFeed`.
public enum FeedParser {
    /// Largest document accepted, in bytes.
    public static let defaultMaxBytes = 64 << 20

    /// Parses `data`, detecting the format from the content. `url` is where the document came from (the base
    /// for relative links); `charset` is the HTTP Content-Type charset, when there was one.
    public static func parse(
        _ data: Data, url: String? = nil, charset: String? = nil,
        maxBytes: Int = defaultMaxBytes
    ) throws -> ParsedFeed {
        guard data.count <= maxBytes else {
            throw FeedError("document is \(data.count) bytes, over the \(maxBytes)-byte limit")
        }
        guard let first = firstSignificantByte(data) else { throw FeedError("document is empty") }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return try JSONFeedParser.parse(data, url: url)
        }
        guard first == UInt8(ascii: "<") else {
            throw FeedError("not a feed: the document starts with neither '<' nor '{'")
        }
        return try XMLFeedReader(url: url).parse(data, charset: charset)
    }

    /// Parses the feed in the file at `path`, handing each entry to `onEntry` as soon as it is read and keeping
    /// none: memory stays proportional to one entry. The returned feed carries the channel's fields and no entries.
    /// Documents that need the whole text at once (JSON Feed, unlabelled legacy charsets, junk before the XML
    /// declaration, bare ampersands in the first 64 KB) are read into memory first.
    public static func parse(
        file path: String, url: String? = nil, charset: String? = nil,
        onEntry: @escaping (FeedEntry) -> Void
    ) throws -> ParsedFeed {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FeedError("\(path): no such file or not readable")
        }
        let prefix = (try? handle.read(upToCount: 65536)) ?? Data()
        try? handle.close()
        let charset =
            XMLFeedReader.hasBOM(prefix)
            ? nil
            : XMLFeedReader.utf8Labelled(asLatin1: prefix, charset: charset) { Charset.isValidUTF8(file: path) }
                ?? charset
        var streamable =
            !path.hasSuffix(".gz") && firstSignificantByte(prefix) == UInt8(ascii: "<")
            && XMLFeedReader.withoutJunkBeforeDeclaration(prefix) == prefix
            && (charset != nil || XMLFeedReader.declaresEncoding(prefix) || Charset.guess(prefix) == nil)
            // Bare ampersands are repaired by reading the document again, which a stream cannot do.
            && XMLFeedReader.escapingBareAmpersands(prefix) == nil
        // A document read as UTF-8 streams only when it is UTF-8 throughout: a stray byte found half way could
        // no longer be read again in memory (the entries before it are gone).
        if streamable, XMLFeedReader.readsAsUTF8(prefix, charset: charset), !Charset.isValidUTF8(file: path) {
            streamable = false
        }
        if streamable {
            var reader = XMLFeedReader(url: url, onEntry: onEntry)
            reader.repairsMojibake = XMLFeedReader.mayHoldMojibake(prefix)
            return try reader.parse(file: path, charset: charset)
        }
        let data = try FileReader.read(path, maxBytes: 1 << 30)
        var feed = try parse(data, url: url, charset: charset, maxBytes: 1 << 30)
        feed.entries.forEach(onEntry)
        feed.entries = []
        return feed
    }

    static func firstSignificantByte(_ data: Data) -> UInt8? {
        var skippedBOM = false
        var index = data.startIndex
        if data.count >= 3, data[index] == 0xEF, data[index + 1] == 0xBB, data[index + 2] == 0xBF {
            index += 3
            skippedBOM = true
        }
        _ = skippedBOM
        while index < data.endIndex {
            let b = data[index]
            if b == 0xFE || b == 0xFF { return UInt8(ascii: "<") }  // UTF-16 BOM: XML
            if b == 0 {
                index += 1
                continue
            }  // UTF-16 without BOM
            if b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return b }
            index += 1
        }
        return nil
    }
}

/// Namespaces feeds use, by URI.
enum Namespace {
    static let prefixes: [String: String] = [
        "": "",
        "http://www.w3.org/2005/Atom": "atom",
        "http://purl.org/atom/ns#": "atom03",
        "http://purl.org/rss/1.0/": "",
        "http://my.netscape.com/rdf/simple/0.9/": "",
        "http://channel.netscape.com/rdf/simple/0.9/": "",
        "http://backend.userland.com/rss2": "",
        "http://blogs.law.harvard.edu/tech/rss": "",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://search.yahoo.com/mrss/": "media",
        "http://search.yahoo.com/mrss": "media",
        "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
        "http://www.w3.org/1999/xhtml": "xhtml",
    ]

    /// Prefixes taken for their usual namespace when a document uses them without declaring them
    /// (`content:encoded` in a feed without `xmlns:content`), as feeds written by hand do and readers accept.
    static let conventionalPrefixes: Set<String> = ["content", "dc", "dcterms", "media", "itunes"]

    static func key(_ uri: String, _ local: String) -> String {
        if let p = prefixes[uri] { return p.isEmpty ? local : p + ":" + local }
        return "?:" + local
    }
}

/// The streaming XML side of `FeedParser`: one pass, one entry in memory at a time.
struct XMLFeedReader {
    let url: String?
    /// When set, entries go here as they are read instead of into the result.
    var onEntry: ((FeedEntry) -> Void)? = nil
    /// Whether text fields are checked for UTF-8 read as Latin-1 (`repairedMojibake`): only documents whose bytes
    /// show the tell-tale sequences pay for it (`mayHoldMojibake`).
    var repairsMojibake = false

    init(url: String?, onEntry: ((FeedEntry) -> Void)? = nil) {
        self.url = url
        self.onEntry = onEntry
    }

    /// Streams a file (no fallback decodings: the caller checked the file declares or needs none).
    func parse(file path: String, charset: String?) throws -> ParsedFeed {
        try XMLReader.read(file: path, url: url, encoding: charset) { reader in try run(reader) }
    }

    func parse(_ raw: Data, charset: String?) throws -> ParsedFeed {
        var reader = self
        reader.repairsMojibake = XMLFeedReader.mayHoldMojibake(raw)
        return try reader.parseChecked(raw, charset: charset)
    }

    /// UTF-8 that was read as Latin-1 or Windows-1252 and written out again as UTF-8 leaves these byte sequences:
    /// "Ã" or "Â" before a character of U+0080–U+00FF, "â" before "€" (the start of "’", "“", "–" ...).
    static func mayHoldMojibake(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            let n = raw.count
            var i = 0
            // Every signature starts with C3: from one to the next (memchr).
            while i + 2 < n, let hit = memchr(bytes + i, 0xC3, n - i - 2) {
                let k = bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let b1 = bytes[k + 1]
                let b2 = bytes[k + 2]
                if (b1 == 0x83 && (b2 == 0xC2 || b2 == 0xC3)) || (b1 == 0x82 && b2 == 0xC2) { return true }
                if b1 == 0xA2, b2 == 0xE2, k + 4 < n, bytes[k + 3] == 0x82, bytes[k + 4] == 0xAC { return true }
                i = k + 1
            }
            return false
        }
    }

    private func parseChecked(_ raw: Data, charset given: String?) throws -> ParsedFeed {
        let data = XMLFeedReader.withoutJunkBeforeDeclaration(raw)
        let charset =
            XMLFeedReader.hasBOM(data)
            ? nil
            : XMLFeedReader.utf8Labelled(asLatin1: data, charset: given) { Charset.isValidUTF8(data) }
                ?? given
        // Bytes that are not UTF-8 and name no charset at all (no BOM, no declaration, no HTTP charset): guess.
        if charset == nil, !XMLFeedReader.declaresEncoding(data), let guessed = Charset.guess(data),
            let feed = try? read(data, encoding: guessed)
        {
            var f = feed
            f.isIllFormed = true
            f.problem = f.problem ?? "no character encoding given; read as \(guessed)"
            return f
        }
        do {
            let feed = try read(data, encoding: charset)
            // Ampersands that start no reference (`?a=1&b=2`): libxml2 drops them and the name after them.
            if feed.isIllFormed, feed.problem?.contains("EntityRef") == true,
                let escaped = XMLFeedReader.escapingBareAmpersands(data),
                var again = try? read(escaped, encoding: charset), again.entries.count >= feed.entries.count
            {
                again.isIllFormed = true
                again.problem = again.problem ?? "bare ampersands read as text (\(feed.problem ?? ""))"
                return again
            }
            return feed
        } catch let error as FeedError {
            // NUL bytes in an 8-bit document (a broken CMS, a bad concatenation): XML forbids them; drop them.
            if let clean = XMLFeedReader.withoutNULBytes(data), let feed = try? parse(clean, charset: charset) {
                var f = feed
                f.isIllFormed = true
                f.problem = f.problem ?? "NUL bytes removed (\(error.message))"
                return f
            }
            // UTF-8 with a few stray bytes (Windows-1252 text pasted in): keep the UTF-8, read the strays as 1252.
            if XMLFeedReader.readsAsUTF8(data, charset: charset), let repaired = Charset.repairingMixedUTF8(data),
                let feed = try? read(repaired, encoding: "UTF-8")
            {
                var f = feed
                f.isIllFormed = true
                f.problem = f.problem ?? "bytes that are not UTF-8 read as Windows-1252 (\(error.message))"
                return f
            }
            // A document whose bytes do not match its declared encoding: try the HTTP charset, then
            // Windows-1252 (the usual truth behind a wrong "ISO-8859-1" or "UTF-8" label).
            for fallback in [charset, Charset.guess(data), "windows-1252"].compactMap({ $0 }) {
                if let feed = try? read(data, encoding: fallback), !feed.entries.isEmpty || feed.title != nil {
                    var f = feed
                    f.isIllFormed = true
                    f.problem = f.problem ?? error.message
                    return f
                }
            }
            throw error
        }
    }

    /// The document without its NUL bytes, or nil when it has none or is UTF-16/32 (where NULs are characters' halves).
    static func withoutNULBytes(_ data: Data) -> Data? {
        guard data.count >= 2, data.firstIndex(of: 0) != nil else { return nil }
        let a = data[data.startIndex]
        let b = data[data.startIndex + 1]
        if a == 0 || b == 0 || (a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE) { return nil }
        return Data(data.lazy.filter { $0 != 0 })
    }

    /// The document with each bare `&` (one that starts no character or entity reference: `?a=1&b=2` in a link)
    /// written `&amp;`, or nil when it has none. libxml2 in recovery drops such an ampersand with the name after
    /// it (`?a=1=2`); feed readers keep the text. Comments and CDATA sections are left as they are (an `&` is
    /// literal there); a UTF-16 document (no ASCII `&` bytes) is not touched.
    static func escapingBareAmpersands(_ data: Data) -> Data? {
        guard data.count >= 2, data[data.startIndex] != 0, data[data.startIndex + 1] != 0,
            !opens(data, with: [0xFE, 0xFF]), !opens(data, with: [0xFF, 0xFE])
        else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Data? in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var out = Data()
            var copied = 0
            var i = 0
            func starts(_ text: StaticString, at k: Int) -> Bool {
                let t = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
                guard k + t.count <= n else { return false }
                for j in 0..<t.count where b[k + j] != t[j] { return false }
                return true
            }
            func skip(to end: StaticString, from k: Int) -> Int {
                var j = k
                while j < n, !starts(end, at: j) { j += 1 }
                return min(n, j + end.utf8CodeUnitCount)
            }
            func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
            func letter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
            func isReference(at k: Int) -> Bool {
                var j = k + 1
                guard j < n else { return false }
                if b[j] == UInt8(ascii: "#") {
                    j += 1
                    let hex = j < n && (b[j] | 0x20) == UInt8(ascii: "x")
                    if hex { j += 1 }
                    let first = j
                    while j < n, digit(b[j]) || (hex && (b[j] | 0x20) >= 97 && (b[j] | 0x20) <= 102) { j += 1 }
                    return j > first && j < n && b[j] == UInt8(ascii: ";")
                }
                let first = j
                while j < n, j - first < 64,
                    letter(b[j]) || b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: ":") || b[j] >= 0x80
                        || (j > first && (digit(b[j]) || b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "-")))
                {
                    j += 1
                }
                return j > first && j < n && b[j] == UInt8(ascii: ";")
            }
            while i < n {
                let p =
                    memchr(raw.baseAddress! + i, Int32(UInt8(ascii: "<")), n - i).map {
                        raw.baseAddress!.distance(to: UnsafeRawPointer($0))
                    } ?? n
                // Text and markup up to the next `<`: escape bare ampersands in it.
                var k = i
                while k < p {
                    if b[k] == UInt8(ascii: "&"), !isReference(at: k) {
                        out.append(b.baseAddress! + copied, count: k + 1 - copied)
                        out.append(contentsOf: "amp;".utf8)
                        copied = k + 1
                    }
                    k += 1
                }
                guard p < n else { break }
                if starts("<!--", at: p) {
                    i = skip(to: "-->", from: p + 4)
                } else if starts("<![CDATA[", at: p) {
                    i = skip(to: "]]>", from: p + 9)
                } else {
                    i = p + 1
                }
            }
            guard copied > 0 else { return nil }
            out.append(b.baseAddress! + copied, count: n - copied)
            return out
        }
    }

    /// True when libxml2 reads the document as UTF-8: a UTF-8 BOM, a UTF-8 declaration or none (no UTF-16 BOM),
    /// and no other HTTP charset.
    static func readsAsUTF8(_ data: Data, charset: String?) -> Bool {
        if let charset, !charset.lowercased().replacingOccurrences(of: "-", with: "").hasPrefix("utf8") { return false }
        if opens(data, with: [0xFE, 0xFF]) || opens(data, with: [0xFF, 0xFE]) { return false }
        let start = opens(data, with: [0xEF, 0xBB, 0xBF]) ? data.startIndex + 3 : data.startIndex
        guard data[start...].starts(with: Data("<?xml".utf8)),
            let end = data[start...].prefix(200).firstIndex(of: UInt8(ascii: ">"))
        else { return true }
        let declaration = String(decoding: data[start..<end], as: UTF8.self).lowercased()
        guard let e = declaration.range(of: "encoding") else { return true }
        let value = declaration[e.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        return value.replacingOccurrences(of: "-", with: "").hasPrefix("utf8")
    }

    /// "UTF-8" when the document is labelled Latin-1 (ISO-8859-1, US-ASCII, Windows-1252: by `charset`, else its
    /// XML declaration) but its bytes are valid UTF-8 holding some non-ASCII character: text in those charsets
    /// almost never reads as valid UTF-8 by chance, while UTF-8 feeds labelled Latin-1 by a template or a server
    /// are common, and reading them as labelled turns "ø" into "Ã¸". Nil otherwise. `isValidUTF8` is asked only
    /// for such a label.
    static func utf8Labelled(asLatin1 data: Data, charset: String?, isValidUTF8: () -> Bool) -> String? {
        guard !opens(data, with: [0xFE, 0xFF]), !opens(data, with: [0xFF, 0xFE]) else { return nil }
        let label = (charset ?? declaredEncoding(data) ?? "").lowercased().filter { $0 != "-" && $0 != "_" }
        let latin1 = ["iso88591", "latin1", "l1", "usascii", "ascii", "windows1252", "cp1252", "iso885915"]
        guard latin1.contains(label), charset == nil || !Charset.isASCII(data), isValidUTF8() else {
            return nil
        }
        return "UTF-8"
    }

    /// Whether the document opens with a byte-order mark, which names its encoding before any label does.
    static func hasBOM(_ data: Data) -> Bool {
        opens(data, with: [0xEF, 0xBB, 0xBF]) || opens(data, with: [0xFE, 0xFF]) || opens(data, with: [0xFF, 0xFE])
    }

    /// Whether `data` starts with `bytes`. Data's generic `starts(with:)` walks both through iterators, and the
    /// checks before a parse asked it a dozen times per document (a tenth of parsing a small feed).
    static func opens(_ data: Data, with bytes: [UInt8]) -> Bool {
        bytes.isEmpty
            || (data.count >= bytes.count
                && data.withUnsafeBytes { raw in memcmp(raw.baseAddress!, bytes, bytes.count) == 0 })
    }

    /// The encoding named by the XML declaration, as written, or nil.
    static func declaredEncoding(_ data: Data) -> String? {
        data.withUnsafeBytes { raw -> String? in
            let b = raw.bindMemory(to: UInt8.self)
            let start = opens(data, with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            guard b.count - start >= 5, memcmp(b.baseAddress! + start, "<?xml", 5) == 0,
                let end = b[start..<min(b.count, start + 200)].firstIndex(of: UInt8(ascii: ">"))
            else { return nil }
            return Lexicon.declaredValue(of: "encoding", in: Array(b[start..<end]))
        }
    }

    /// True when the document states its encoding (a BOM or an encoding in the XML declaration).
    static func declaresEncoding(_ data: Data) -> Bool {
        hasBOM(data) || declaredEncoding(data) != nil
    }

    /// White space or comments before `<?xml …?>` make libxml2 refuse the whole document; feeds have both.
    static func withoutJunkBeforeDeclaration(_ data: Data) -> Data {
        // memchr for each "<", not Data.firstRange(of:): that goes a byte at a time through a generic path, and a
        // document without a declaration paid for all 8 KB of it (a tenth of parsing 200 small feeds).
        let found: Int? = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            guard let base = raw.baseAddress else { return nil }
            let n = min(raw.count, 8192)
            var i = 0
            while i + 5 <= n, let p = memchr(base + i, 0x3C, n - i) {
                let k = base.distance(to: UnsafeRawPointer(p))
                if k + 5 <= n, memcmp(base + k, "<?xml", 5) == 0 { return k }
                i = k + 1
            }
            return nil
        }
        guard let offset = found, offset > 0 else { return data }
        let decl = (data.startIndex + offset)..<(data.startIndex + offset + 5)
        var i = data.startIndex
        if opens(data, with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        while i < decl.lowerBound {
            let b = data[i]
            if Lexicon.isXMLSpace(b) {
                i += 1
                continue
            }
            if data[i...].starts(with: Data("<!--".utf8)), let end = data[i...].firstRange(of: Data("-->".utf8)),
                end.upperBound <= decl.lowerBound
            {
                i = end.upperBound
                continue
            }
            return data  // something else precedes the declaration: leave it to libxml2
        }
        return Data(data[decl.lowerBound...])
    }

    private func read(_ data: Data, encoding: String?) throws -> ParsedFeed {
        try XMLReader.read(data: data, url: url, encoding: encoding) { reader in try run(reader) }
    }

    private func run(_ reader: XMLReader) throws -> ParsedFeed {
        do {
            var state = State()
            state.sink = onEntry
            state.repairsMojibake = repairsMojibake
            var advanced = false
            while true {
                if !advanced {
                    let more: Bool
                    do { more = try reader.read() } catch let e as XMLReadError {
                        if e.isEntityExpansion {
                            throw FeedError("refused: \(e.message) (entity expansion past the limit)")
                        }
                        // Bytes in another encoding than the one read: the caller reads the whole document again in
                        // another (unless entries already went out one by one, streaming).
                        if e.isEncoding, state.sink == nil { throw FeedError("not well-formed XML (\(e.description))") }
                        if state.format == nil { throw FeedError("not well-formed XML (\(e.description))") }
                        state.problem = state.problem ?? e.description
                        break
                    }
                    if !more { break }
                }
                advanced = false
                switch reader.elementKind {
                case .element:
                    advanced = try element(reader, &state)
                case .endElement:
                    if let d = state.entryDepth, reader.depth == d {
                        state.finishEntry()
                    }
                default:
                    break
                }
            }
            if state.entry != nil { state.finishEntry() }
            guard let format = state.format else {
                if let e = reader.firstError { throw FeedError("not well-formed XML (\(e.description))") }
                throw FeedError("not a feed: no <rss>, <feed> or <rdf:RDF> root element")
            }
            let ill = reader.isIllFormed || state.problem != nil
            if state.link == nil, let id = state.feedID { state.link = id }
            var feed = ParsedFeed(
                format: format, title: state.title, link: state.link, language: state.language,
                updated: state.updated, entries: state.entries, isIllFormed: ill,
                problem: ill ? (state.problem ?? reader.firstError?.description) : nil)
            feed.selfLink = state.selfLink
            if state.repairsMojibake { feed.title = feed.title.map(XMLFeedReader.repairedMojibake) }
            return feed
        }
    }

    struct State {
        var format: FeedFormat?
        var title: String?
        var link: String?
        var selfLink: String?
        var language: String?
        var updated: Date?
        var entries: [FeedEntry] = []
        var entry: FeedEntry?
        /// The open entry's depth: set exactly when `entry` is.
        var entryDepth: Int?
        /// What the fields read so far decided about the open entry.
        var progress = EntryProgress()
        var problem: String?
        var feedID: String?
        var atomNamespace: String?
        var sink: ((FeedEntry) -> Void)?
        var repairsMojibake = false
        /// Each name's key and role, by the name's identity in this document: `nameSlots` maps the identity's
        /// hash to its place in `names` (a dictionary's SipHash of three words per element was 1.5 % of a parse).
        var names: [(identity: NameIdentity, name: Name)] = []
        var nameSlots = HashMap64(capacity: 64)

        /// The name known for `identity`, if any.
        func name(_ identity: NameIdentity) -> Name? {
            guard let slot = nameSlots.get(identity.mixed) else { return nil }
            let known = names[Int(slot)]
            return known.identity == identity ? known.name : nil
        }

        /// Remembers `name` for `identity` (unless another name holds its hash: that one is then worked out anew
        /// each time, as every name was before).
        mutating func remember(_ name: Name, for identity: NameIdentity) {
            let h = identity.mixed
            guard nameSlots.get(h) == nil else { return }
            nameSlots.set(h, Int32(names.count))
            names.append((identity, name))
        }

        var isAtom: Bool { format == .atom10 || format == .atom03 }

        mutating func finishEntry() {
            if var e = entry {
                if repairsMojibake { XMLFeedReader.repairMojibake(&e) }
                if e.link == nil, let id = e.id, isAtom || id.hasPrefix("http://") || id.hasPrefix("https://") {
                    e.link = id
                }
                // The reference's conventions: a summary falls back to the content, updated to published.
                e.summaryFallsBackToContent = true
                if e.updated == nil { e.updated = e.published }
                // Every item is an entry, even one with only categories: what has nothing to read is the daemon's
                // to skip (it logs that), not the parser's to lose.
                if let sink { sink(e) } else { entries.append(e) }
            }
            entry = nil
            entryDepth = nil
            progress = EntryProgress()
        }
    }

    /// What the fields of an entry read so far decided, beside the entry itself.
    struct EntryProgress {
        /// How good a source the entry's link came from (lower is better: an alternate HTML link, `link`, …).
        var linkRank = Int.max
        /// Description-like elements read so far (the first is the summary, a later one content).
        var descriptions = 0
    }

    /// Handles an element start; returns true when the reader was moved past the element.
    private func element(_ r: XMLReader, _ s: inout State) throws -> Bool {
        // A name's key and role are worked out once per document: feeds repeat a few dozen names thousands of
        // times, and comparing strings for each was a tenth of the feed layer's work.
        let identity = r.nameIdentity
        let name: Name
        if let known = s.name(identity) {
            name = known
        } else {
            var key = Namespace.key(r.namespaceURI, r.localName)
            if let prefix = r.undeclaredPrefix, Namespace.conventionalPrefixes.contains(prefix) {
                key = prefix + ":" + r.localName
            }
            if let alt = s.atomNamespace, r.namespaceURI == alt {
                key = (s.format == .atom03 ? "atom03:" : "atom:") + r.localName
            }
            name = Name(key)
            // The Atom namespace of a document is known from its root on, before any other name is keyed.
            if s.format != nil { s.remember(name, for: identity) }
        }
        if s.format == nil {
            return try root(r, name.key, &s)
        }
        if name.field == .entry {
            if s.entryDepth != nil { s.finishEntry() }  // an unclosed item in a broken feed
            s.entry = FeedEntry()
            s.entryDepth = r.depth
            if name.key == "item",
                let about = r.attributes.first(where: { $0.name == "about" && $0.namespace.containsBytes("rdf-syntax") }
                )?
                .value
            {
                s.entry?.id = about  // RSS 1.0: the item's identity is its rdf:about
            }
            if r.isEmptyElement { s.finishEntry() }
            return false
        }
        // Media RSS nests an item's title, description, categories and keywords in media:group and media:content.
        // Whether an entry is open is asked of its depth: comparing the entry itself with nil copied it.
        if let d = s.entryDepth, r.depth == d + 1 || (r.depth > d + 1 && name.isNestedMedia) {
            // Filled in where it is, so that its arrays grow in place instead of being copied.
            return try entryField(r, name, &s.entry!, &s.progress)
        }
        if s.entryDepth == nil, r.depth <= 2 {
            return try feedField(r, name.key, &s)
        }
        return false
    }

    /// An element name as the parser reads it: its key (`atom:title`, `dc:creator`, `?:x` for an unknown
    /// namespace) and what it gives an entry.
    struct Name {
        let key: String
        let field: EntryField
        /// Media RSS elements read as the item's own wherever they sit inside it.
        let isNestedMedia: Bool

        init(_ key: String) {
            self.key = key
            field = EntryField(key)
            isNestedMedia =
                key == "media:description" || key == "media:title" || key == "media:category"
                || key == "media:keywords"
        }
    }

    /// What an element gives the entry it sits in; the names of each are listed in `byKey`.
    enum EntryField {
        case none, entry, title, link, atomLink, id, published, dcDate, updated, atomAuthor, author, description,
            atomSummary, content, source, mediaTitle, keywords, category, atomCategory, enclosure

        init(_ key: String) { self = EntryField.byKey[key] ?? .none }

        /// Each name's role, looked up once per name and document (a switch of fifty string comparisons was a
        /// fiftieth of parsing a small feed).
        static let byKey: [String: EntryField] = {
            let names: [(EntryField, [String])] = [
                (.entry, ["item", "atom:entry", "atom03:entry"]),
                (.title, ["title", "atom:title", "atom03:title", "dc:title"]),
                (.link, ["link"]),
                (.atomLink, ["atom:link", "atom03:link"]),
                (.id, ["guid", "atom:id", "atom03:id"]),
                (.published, ["pubDate", "atom:published", "atom03:issued", "atom03:published", "dcterms:issued"]),
                (.dcDate, ["dc:date"]),
                (.updated, ["atom:updated", "atom03:modified", "dcterms:modified", "modified"]),
                (.atomAuthor, ["atom:author", "atom03:author"]),
                (.author, ["author", "dc:creator", "dc:author", "itunes:author"]),
                (.description, ["description", "summary", "dc:description", "itunes:summary", "media:description"]),
                (.atomSummary, ["atom:summary", "atom03:summary"]),
                (
                    .content,
                    ["content:encoded", "atom:content", "atom03:content", "xhtml:body", "fullitem", "body", "content"]
                ),
                (.source, ["source"]),
                (.mediaTitle, ["media:title"]),
                (.keywords, ["itunes:keywords", "media:keywords"]),
                (.category, ["category", "dc:subject", "media:category"]),
                (.atomCategory, ["atom:category", "atom03:category"]),
                (.enclosure, ["enclosure"]),
            ]
            var table: [String: EntryField] = [:]
            for (field, keys) in names { for k in keys { table[k] = field } }
            return table
        }()
    }

    private func root(_ r: XMLReader, _ key: String, _ s: inout State) throws -> Bool {
        switch key {
        case "rss":
            switch r.attribute("version") ?? "" {
            case "0.91": s.format = .rss091
            case "0.92", "0.93", "0.94": s.format = .rss092
            default: s.format = .rss20
            }
        case "rdf:RDF":
            s.format = r.namespaceURI == "" ? .rss10 : .rss10
        // RSS 0.90 shares the RDF root; its elements live in the Netscape namespace.
        case "atom:feed": s.format = .atom10
        case "atom:entry":
            // A bare Atom entry document (RFC 4287 §4.1.2 allows one): a feed of that one entry.
            s.format = .atom10
            s.entry = FeedEntry()
            s.entryDepth = r.depth
            if r.isEmptyElement { s.finishEntry() }
        case "atom03:feed": s.format = .atom03
        case "channel": s.format = .rss20
        case "feed", "?:feed":
            // A feed root in a namespace of its own (old Atom drafts, "purl.org/echo"): read it as Atom.
            s.format = r.attribute("version") == "0.3" ? .atom03 : .atom10
            s.atomNamespace = r.namespaceURI
        default:
            throw FeedError("not a feed: the root element is <\(r.qualifiedName)>")
        }
        if let lang = r.xmlLang { s.language = lang.replacingOccurrences(of: "_", with: "-") }
        return false
    }

    private func feedField(_ r: XMLReader, _ key: String, _ s: inout State) throws -> Bool {
        if r.namespaceURI.hasSuffix("netscape.com/rdf/simple/0.9/") { s.format = .rss090 }
        switch key {
        case "title", "atom:title", "atom03:title", "dc:title":
            if s.title == nil {
                let t = textConstruct(r, plain: true)
                if !t.isEmpty { s.title = t }
            }
        case "link":
            if s.link == nil {
                let text = r.innerText().trimmed
                if !text.isEmpty { s.link = resolve(text, r.baseURI) }
            }
        case "atom:link", "atom03:link":
            let rel = r.attribute("rel") ?? "alternate"
            if rel == "self", s.selfLink == nil, let href = r.attribute("href"), !href.trimmed.isEmpty {
                s.selfLink = resolve(href.trimmed, r.baseURI)
            }
            if rel == "alternate",
                s.link == nil || r.namespaceURI.containsBytes("purl.org/atom") || s.format == .atom10,
                let href = r.attribute("href")
            {
                if s.link == nil || (r.attribute("type") ?? "text/html").containsBytes("html") {
                    s.link = resolve(href, r.baseURI)
                }
            }
            return false
        case "atom:id", "atom03:id":
            let v = r.innerText().trimmed
            if s.feedID == nil, !v.isEmpty { s.feedID = v }
        case "language", "dc:language":
            let v = r.innerText().trimmed.replacingOccurrences(of: "_", with: "-")
            if !v.isEmpty { s.language = v }
        case "lastBuildDate", "atom:updated", "atom03:modified", "dc:date", "dcterms:modified", "pubDate",
            "dcterms:issued",
            "atom:published", "atom03:issued":
            if s.updated == nil
                || !(key == "pubDate" || key == "dcterms:issued" || key == "atom:published" || key == "atom03:issued")
            {
                if let d = FeedDate.parse(r.innerText()) { s.updated = d }
            }
        case "channel", "rdf:RDF", "items", "rdf:Seq", "rdf:li":
            return false
        default:
            return false
        }
        return try r.skipSubtree()
    }

    private func entryField(
        _ r: XMLReader, _ name: Name, _ e: inout FeedEntry, _ s: inout EntryProgress
    ) throws -> Bool {
        let key = name.key
        switch name.field {
        case .title:
            if e.title == nil || key != "dc:title" {
                let t = textConstruct(r, plain: true)
                if !t.isEmpty { e.title = t }
            }
        case .link:
            let text = r.innerText().trimmed
            if !text.isEmpty, s.linkRank > 1 {
                e.link = resolve(text, r.baseURI)
                s.linkRank = 1
            }
        case .atomLink:
            let rel = r.attribute("rel") ?? "alternate"
            guard let href = r.attribute("href") ?? nonEmpty(r.innerText()) else { break }
            let type = r.attribute("type")
            if rel == "enclosure" {
                e.enclosures.append(
                    Enclosure(
                        url: resolve(href, r.baseURI), type: type,
                        length: r.attribute("length").flatMap { Int64($0) }))
            } else if rel == "alternate" {
                let rank = (type == nil || XMLFeedReader.mentionsHTML(type!)) ? 0 : 2
                if rank < s.linkRank {
                    e.link = resolve(href, r.baseURI)
                    s.linkRank = rank
                }
            }
            if r.attribute("href") == nil { return try r.skipSubtree() }
            return false
        case .id:
            var v = r.innerText().trimmed
            if !v.isEmpty {
                // An id written as a path ("/relative/link") is an address on the feed's site: resolved against the
                // document's base as links are, so that it names the same entry wherever the feed is read from.
                if v.hasPrefix("/"), !v.hasPrefix("//"), key != "guid" || r.attribute("isPermaLink") != "false" {
                    v = resolve(v, r.baseURI)
                }
                e.id = v
                if key == "guid", (r.attribute("isPermaLink") ?? "true").lowercased() != "false",
                    v.hasPrefix("http"), s.linkRank > 3
                {
                    e.link = v
                    s.linkRank = 3
                }
            }
        case .published:
            if let d = FeedDate.parse(r.innerText()) { e.published = d }  // the last date given wins
        case .dcDate:
            // Dublin Core's date is the entry's last change (the reference reads it so); it also stands in for a
            // publication date the entry does not give.
            if let d = FeedDate.parse(r.innerText()) {
                e.updated = d
                if e.published == nil { e.published = d }
            }
        case .updated:
            if let d = FeedDate.parse(r.innerText()) { e.updated = d }
        case .atomAuthor:
            let v = try person(r)
            if !v.isEmpty { e.author = v }  // the reference keeps the last author
            return false
        case .author:
            var v = HTMLText.plainText(fromHTML: r.innerText(), keepingUnicodeSpaces: true)
            v = XMLFeedReader.nameInAddress(v)
            if !v.isEmpty, e.author == nil || key.hasPrefix("dc:") { e.author = v }  // the last dc:creator wins
        case .description:
            // The first description-like element is the summary; a later one is content.
            let html = textConstruct(r, plain: false)
            if s.descriptions == 0 || (e.summaryHTML == nil && key != "itunes:summary") {
                if HTMLText.hasText(html: html, keepingUnicodeSpaces: true) { e.summaryHTML = html }
            } else if !html.isEmpty && key != "dc:description" && (key != "itunes:summary" || e.contents.isEmpty) {
                // A podcast's itunes:summary after its description is the episode's longer text, unless the item
                // has content of its own.
                e.contents.append(html)
            }
            s.descriptions += 1
        case .atomSummary:
            let html = textConstruct(r, plain: false)
            if HTMLText.hasText(html: html, keepingUnicodeSpaces: true) { e.summaryHTML = html }
        case .content:
            let html = URLResolver.absolutizingLinks(in: textConstruct(r, plain: false), against: r.baseURI ?? url)
            if !html.isEmpty { e.contents.append(html) }
        case .source:
            let v = HTMLText.collapseSpaces(r.innerText(), keepingUnicodeSpaces: true)
            if !v.isEmpty { e.source = v }
        case .mediaTitle:
            // Media RSS's title stands in for an item that has none of its own.
            if e.title == nil {
                let t = textConstruct(r, plain: true)
                if !t.isEmpty { e.title = t }
            }
        case .keywords:
            // A comma-separated list: each keyword is a category, as the reference parser reads them.
            for k in r.innerText().split(separator: ",") {
                let v = HTMLText.collapseSpaces(String(k), keepingUnicodeSpaces: true)
                if !v.isEmpty { e.categories.append(v) }
            }
        case .category:
            let raw = r.innerText()
            let v =
                raw.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 })  // < or &
                ? HTMLText.plainText(fromHTML: raw, keepingUnicodeSpaces: true)
                : HTMLText.collapseSpaces(raw, keepingUnicodeSpaces: true)
            if !v.isEmpty { e.categories.append(v) }
        case .atomCategory:
            let v = HTMLText.collapseSpaces(r.attribute("term") ?? "", keepingUnicodeSpaces: true)
            let label = HTMLText.collapseSpaces(r.attribute("label") ?? "", keepingUnicodeSpaces: true)
            if !v.isEmpty { e.categories.append(v) } else if !label.isEmpty { e.categories.append(label) }
            if r.attribute("term") == nil && r.attribute("label") == nil {
                let text = HTMLText.plainText(fromHTML: r.innerText(), keepingUnicodeSpaces: true)
                if !text.isEmpty { e.categories.append(text) }
                return try r.skipSubtree()
            }
            return false
        case .enclosure:
            // An item's files are its enclosures (Media RSS's media:content describes renditions and pictures
            // of the item, not files it carries, and the reference parsers keep it apart).
            if let u = r.attribute("url"), !u.isEmpty {
                e.enclosures.append(
                    Enclosure(
                        url: resolve(u, r.baseURI), type: r.attribute("type"),
                        length: r.attribute("length").flatMap { Int64($0.trimmed) }))
            }
            return false
        case .none, .entry:
            return false
        }
        return try r.skipSubtree()
    }

    private func nonEmpty(_ s: String) -> String? {
        let t = s.trimmed
        return t.isEmpty ? nil : t
    }

    /// UTF-8 text that was decoded as Latin-1 somewhere upstream ("CinÃ©ma"), repaired element by element, as the
    /// feed contract has it: a field all of whose characters are Latin-1 code points, that holds the tell-tale
    /// pairs (a lead byte's character followed by a continuation byte's), and whose bytes read back as valid
    /// UTF-8, is replaced by that reading. Anything else is left as it is, Windows-1252 mojibake ("donâ€™t")
    /// included: the reference parsers keep it.
    static func repairedMojibake(_ s: String) -> String {
        // One pass over the UTF-8 bytes: each character read back as the Latin-1 byte it was mistaken for (U+0000–
        // U+00FF); those bytes must form valid UTF-8 with at least one multi-byte sequence. Most text fails at once:
        // ASCII has nothing to repair (skipped eight bytes at a time), and a real
        // "é" followed by a letter is no UTF-8.
        let repaired =
            s.utf8.withContiguousStorageIfAvailable { text -> [UInt8]? in
                let n = text.count
                guard let base = text.baseAddress else { return nil }
                var start = 0
                while start + 8 <= n,
                    UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    start += 8
                }
                while start < n, base[start] < 0x80 { start += 1 }
                guard start < n else { return nil }
                // Reads the character at `i` as the byte it was mistaken for; nil when it is no Latin-1 character.
                func mistaken(_ i: inout Int) -> UInt8? {
                    let c = base[i]
                    if c < 0x80 {
                        i += 1
                        return c
                    }
                    if (c == 0xC2 || c == 0xC3) && i + 1 < n {
                        defer { i += 2 }
                        return base[i + 1] &+ (c == 0xC3 ? 0x40 : 0)
                    }
                    // A Windows-1252 character ("€", "™") is no Latin-1 byte: such text was written by something
                    // other than a Latin-1 decoder, and the reference parsers keep it as it is.
                    return nil
                }
                // First, without writing anything: do the mistaken bytes form UTF-8 with a multi-byte sequence?
                var i = start
                var need = 0
                var multibyte = false
                while i < n {
                    guard let b = mistaken(&i) else { return nil }
                    if b < 0x80 {
                        guard need == 0 else { return nil }
                        continue
                    }
                    if need > 0 {
                        guard b <= 0xBF else { return nil }
                        need -= 1
                        if need == 0 { multibyte = true }
                    } else if b >= 0xC2 && b <= 0xDF {
                        need = 1
                    } else if b >= 0xE0 && b <= 0xEF {
                        need = 2
                    } else if b >= 0xF0 && b <= 0xF4 {
                        need = 3
                    } else {
                        return nil
                    }
                }
                guard need == 0, multibyte else { return nil }
                var out = [UInt8](UnsafeBufferPointer(start: base, count: start))
                out.reserveCapacity(n)
                i = start
                while i < n, let b = mistaken(&i) { out.append(b) }
                return out
            } ?? nil
        guard let repaired, let text = String(bytes: repaired, encoding: .utf8) else { return s }
        return text
    }

    /// `repairedMojibake` on every text field of an entry.
    static func repairMojibake(_ e: inout FeedEntry) {
        func fix(_ v: inout String?) { if let s = v { v = repairedMojibake(s) } }
        fix(&e.title)
        fix(&e.author)
        // Per element: the summary's plain text is made from its element, so it is repaired only when the whole
        // element is (an attribute the text leaves out may hold what no Latin-1 mistake makes).
        if let html = e.summaryHTML { e.summaryHTML = repairedMojibake(html) }
        fix(&e.feedSummary)
        for k in e.contents.indices { e.contents[k] = repairedMojibake(e.contents[k]) }
        for k in e.categories.indices { e.categories[k] = repairedMojibake(e.categories[k]) }
    }

    /// RSS `author` is an address with the name in parentheses (`jo@x.org (Jo Doe)`), or the other way round
    /// (`Jo Doe (jo@x.org)`): the name, when there is one; an address alone, or any other string, as written.
    static func nameInAddress(_ v: String) -> String {
        guard v.utf8.last == UInt8(ascii: ")"), let open = v.lastIndex(of: "(") else { return v }
        // The standard library's search and the trim of Markup: Foundation's took some 20 000 instructions here.
        let inside = String(v[v.index(after: open)..<v.index(before: v.endIndex)]).trimmed
        let before = String(v[..<open]).trimmed
        func isAddress(_ s: String) -> Bool { s.utf8.contains(UInt8(ascii: "@")) && !s.utf8.contains(0x20) }
        if isAddress(before) { return inside.isEmpty ? v : inside }
        if isAddress(inside), !before.isEmpty { return before }
        return v
    }

    /// Whether a MIME type names HTML ("text/html", "application/xhtml+xml"): on bytes, since Foundation's
    /// `contains` cost some 5 000 instructions for each link of every entry.
    static func mentionsHTML(_ type: String) -> Bool {
        var type = type
        return type.withUTF8 { u in
            guard u.count >= 4 else { return false }
            for i in 0...(u.count - 4) where u[i] == 0x68 && u[i + 1] == 0x74 && u[i + 2] == 0x6D && u[i + 3] == 0x6C {
                return true
            }
            return false
        }
    }

    /// An Atom person construct: its name, else its email, else its text.
    /// Reads the element's children and leaves the reader on its end tag.
    private func person(_ r: XMLReader) throws -> String {
        if r.isEmptyElement { return "" }
        let depth = r.depth
        var name = ""
        var email = ""
        var text = ""
        var field: String?
        while try r.read() {
            switch r.kind {
            case .element:
                if r.depth == depth + 1 { field = r.localName }
            case .text, .whitespace:
                let v = r.value ?? ""
                if field == "name" {
                    name += v
                } else if field == "email" {
                    email += v
                } else if field == nil {
                    text += v
                }
            case .endElement:
                if r.depth == depth {
                    let n = HTMLText.collapseSpaces(name, keepingUnicodeSpaces: true)
                    let e = HTMLText.collapseSpaces(email, keepingUnicodeSpaces: true)
                    if !n.isEmpty { return n }  // the name, as the contract has it (not "name (email)")
                    if !e.isEmpty { return e }
                    return HTMLText.collapseSpaces(text, keepingUnicodeSpaces: true)
                }
                if r.depth == depth + 1 { field = nil }
            default:
                break
            }
        }
        return HTMLText.collapseSpaces(name.isEmpty ? text : name, keepingUnicodeSpaces: true)
    }

    /// The content of a text construct: plain text when `plain`, else HTML.
    private func textConstruct(_ r: XMLReader, plain: Bool) -> String {
        let type = (r.attribute("type") ?? "").lowercased()
        let mode = (r.attribute("mode") ?? "").lowercased()
        // RSS text is HTML (escaped once in the XML); beside raw tags it is still HTML, not text to escape again.
        let atom =
            r.namespaceURI.hasPrefix("http://www.w3.org/2005/Atom") || r.namespaceURI.hasPrefix("http://purl.org/atom")
        let inner = r.innerContent(textIsHTML: !atom && type != "xhtml")
        let html: String
        if inner.isMarkup && mode != "escaped" {
            // Markup as child elements (Atom xhtml, or RSS with raw tags): keep it, minus a wrapping xhtml div.
            let unwrapped = stripXHTMLWrapper(inner.value)
            if type == "html" || type == "text/html", unwrapped != inner.value.trimmed,
                !unwrapped.utf8.contains(UInt8(ascii: "<"))
            {
                // HTML content written as escaped text inside an xhtml div (TypePad): the div's text is the HTML.
                html = r.innerText()
            } else {
                html = unwrapped
            }
        } else {
            // The text inside, whatever markup it holds.
            let text = inner.isMarkup ? r.innerText() : inner.value
            if mode == "base64" || XMLFeedReader.isBase64Type(type) {
                let decoded =
                    Data(base64Encoded: text, options: .ignoreUnknownCharacters)
                    .flatMap { String(data: $0, encoding: .utf8) } ?? ""
                // Atom 0.3's mode="base64" with its default type, text/plain: the decoded text as written. A binary
                // type (Atom 1.0) says nothing of what the bytes hold: read as HTML, like any other text.
                if mode == "base64" && (type.isEmpty || type == "text/plain") {
                    return plain ? HTMLText.collapseSpaces(decoded, keepingUnicodeSpaces: true) : decoded.trimmed
                }
                html = decoded
            } else if type == "text" || type == "text/plain" {
                // Plain text is the text as written: "History of the <blink> tag" keeps its brackets.
                return plain ? HTMLText.collapseSpaces(text, keepingUnicodeSpaces: true) : text.trimmed
            } else {
                html = text
            }
        }
        return plain ? HTMLText.plainText(fromHTML: html, keepingUnicodeSpaces: true) : html.trimmed
    }

    /// RFC 4287: a text construct whose type is a MIME type that is neither text nor XML carries base64.
    static func isBase64Type(_ type: String) -> Bool {
        // Asked of every text construct, most without a type: bytes, not Foundation's substring search.
        guard type.utf8.contains(UInt8(ascii: "/")) else { return false }
        if type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("/xml") || type.containsBytes("html") {
            return false
        }
        return true
    }

    private func stripXHTMLWrapper(_ xml: String) -> String {
        let t = xml.trimmed
        guard t.hasPrefix("<div"), t.hasSuffix("</div>"), let close = t.firstIndex(of: ">") else { return t }
        let inner = t[t.index(after: close)..<t.index(t.endIndex, offsetBy: -6)]
        return String(inner).trimmed
    }

    private func resolve(_ link: String, _ base: String?) -> String {
        URLResolver.resolve(link, against: base ?? url)
    }
}

/// Resolves relative references the way browsers do.
public enum URLResolver {
    /// `html` with every relative `href` and `src` attribute value made absolute against `base` (the `xml:base`
    /// in scope, else the document's address): content read later, away from its feed, keeps working links. Read
    /// on bytes; a content whose links are all absolute (most) is returned as it is, without a copy.
    public static func absolutizingLinks(in html: String, against base: String?) -> String {
        guard let base else { return html }
        var html = html
        return html.withUTF8 { bytes -> String? in
            var out: [UInt8]? = nil
            var copied = 0  // bytes before this offset are in `out` already
            let n = bytes.count
            guard let start0 = bytes.baseAddress else { return nil }
            var i = 0
            // From one "=" to the next (memchr): an attribute is `href` or `src` (any case) after white space, then
            // optional spaces, the "=", optional spaces and the value.
            while i < n, let hit = memchr(start0 + i, 0x3D, n - i) {
                let eq = start0.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                i = eq + 1
                var j = eq - 1
                while j >= 0, bytes[j] == 0x20 { j -= 1 }
                func named(_ name: [UInt8]) -> Bool {
                    let first = j - name.count + 1
                    guard first >= 1 else { return false }
                    for (k, c) in name.enumerated() where bytes[first + k] | 0x20 != c { return false }
                    let before = bytes[first - 1]
                    return Lexicon.isXMLSpace(before)
                }
                guard named(URLResolver.href) || named(URLResolver.src) else { continue }
                var k = eq + 1
                while k < n, bytes[k] == 0x20 { k += 1 }
                let quote: UInt8? = k < n && (bytes[k] == 0x22 || bytes[k] == 0x27) ? bytes[k] : nil
                let start = quote == nil ? k : k + 1
                var end = start
                while end < n {
                    let c = bytes[end]
                    if let quote {
                        if c == quote { break }
                    } else if c == 0x20 || c == 0x3E || c == 0x09 || c == 0x0A {
                        break
                    }
                    end += 1
                }
                i = max(i, end)
                guard end > start else { continue }  // a fragment ("#fn:1") resolves too: it names a place in the base
                let value = String(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                let resolved = resolve(value, against: base)  // an absolute link comes back as it is
                guard resolved != value else { continue }
                if out == nil {
                    out = []
                    out!.reserveCapacity(n + 128)
                }
                out!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                out!.append(contentsOf: resolved.utf8)
                copied = end
            }
            guard var out else { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<n]))
            return String(utf8: out)
        } ?? html
    }

    private static let href = Array("href".utf8), src = Array("src".utf8)

    /// Which ASCII bytes a relative reference keeps as written: letters, digits and `!#$%&'()*+,-./:;=?@_~` (a
    /// URL's query and fragment characters, with "#" and "%"); every other byte is percent-encoded.
    static let keptInReference: [Bool] = (0..<128).map { c in
        let b = UInt8(c)
        return (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
            || "!#$%&'()*+,-./:;=?@_~".utf8.contains(b)
    }

    /// `reference` with every byte `keptInReference` does not keep written as `%XX` (Foundation's
    /// addingPercentEncoding does the same at a few hundred times the cost, through a CharacterSet).
    static func percentEncoded(_ reference: String) -> String {
        let u = reference.utf8
        guard u.contains(where: { $0 >= 0x80 || !keptInReference[Int($0)] }) else { return reference }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count + 16)
        for b in u {
            if b < 0x80, keptInReference[Int(b)] {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `link` made absolute against `base`; returned unchanged when it cannot be resolved.
    public static func resolve(_ link: String, against base: String?) -> String {
        let trimmed = link.trimmed
        if trimmed.isEmpty { return base ?? trimmed }
        // Already absolute: a scheme (letters, '+', '-', '.') before the first colon. Read as bytes (Foundation's
        // range(of:) was a fiftieth of a feed's parse); a non-ASCII byte is a letter when its character is.
        let u = trimmed.utf8
        if let colon = u.firstIndex(of: UInt8(ascii: ":")), colon != u.startIndex {
            let prefix = u[..<colon]
            let isScheme =
                prefix.allSatisfy { $0 < 0x80 }
                ? prefix.allSatisfy {
                    ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E
                } : trimmed[..<colon].allSatisfy { $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }
            if isScheme { return trimmed }
        }
        guard let base, let baseURL = URL(string: base) else { return trimmed }
        let encoded = percentEncoded(trimmed)
        return URL(string: encoded, relativeTo: baseURL)?.absoluteString ?? trimmed
    }
}
