import Foundation

/// Drops the bodies of `<script>` and `<style>` elements from a page's bytes before libxml2 parses it: half the
/// bytes of a typical news page, which libxml2 would read character by character and nothing here uses. JSON-LD
/// scripts (the page's structured data) keep their bodies.
///
/// The scan follows libxml2's HTML tokenizer where it matters: comments are skipped whole, quoted attribute
/// values may hold `>` or `<script`, a body ends at the first `</` + the element's name in any case, and
/// `<script/>` has no body. Wherever the bytes leave doubt (an unterminated comment, tag, quote or body, a NUL in
/// a body, a body ended by `</scripts`) the rest of the page is left as it is, so a mistake can only keep bytes,
/// never drop markup.
enum RawTextFilter {
    /// `data` without script and style bodies, or nil when there is none to drop or the bytes may not be
    /// ASCII-compatible (`encoding`, when given, is the charset the page will be read in).
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
        return !["16", "32", "ucs", "2022", "utf-7", "ebcdic", "ibm0", "cp0", "cp1140", "cp500", "cp875"].contains { n.contains($0) }
    }

    static func strip(_ b: UnsafeBufferPointer<UInt8>) -> Data? {
        let n = b.count
        // UTF-16 and UTF-32 (a BOM, or NULs between ASCII letters early on) and ISO-2022 escapes: not bytes to cut.
        if n >= 2 && (b[0] == 0xFE && b[1] == 0xFF || b[0] == 0xFF && b[1] == 0xFE) { return nil }
        if memchr(b.baseAddress!, 0, min(n, 1024)) != nil || memchr(b.baseAddress!, 0x1B, n) != nil { return nil }

        var out = Data()
        var copied = 0 // bytes before this index are in `out` or dropped
        var i = 0
        scan: while i < n {
            guard let lt = find(UInt8(ascii: "<"), in: b, from: i) else { break }
            i = lt
            if i + 3 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "-") && b[i + 3] == UInt8(ascii: "-") {
                guard let end = find("-->", in: b, from: i + 4) else { break }
                i = end + 3
                continue
            }
            guard i + 1 < n, isLetter(b[i + 1]) else { i += 1; continue }
            var j = i + 1
            while j < n && isNameByte(b[j]) { j += 1 }
            let name: [UInt8]? = equalsIgnoringCase(b, i + 1, j, "script") ? Array("script".utf8)
                : equalsIgnoringCase(b, i + 1, j, "style") ? Array("style".utf8) : nil
            // The end of the tag: the first `>` outside a quoted attribute value.
            var k = j
            var previous: UInt8 = 0
            while k < n {
                let c = b[k]
                if c == UInt8(ascii: ">") { break }
                if (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")) && previous == UInt8(ascii: "=") {
                    guard let close = find(c, in: b, from: k + 1) else { break scan }
                    k = close + 1
                    previous = c
                    continue
                }
                if !isSpace(c) { previous = c }
                k += 1
            }
            guard k < n else { break }
            i = k + 1
            guard let name, b[k - 1] != UInt8(ascii: "/") else { continue }
            // libxml2 ends the body at `</scripts` too, then reads on as markup inside the script: left as is.
            guard let end = findEndTag(name, in: b, from: k + 1),
                  end + 2 + name.count >= n || !isNameByte(b[end + 2 + name.count]) else { break }
            let bodyStart = k + 1
            defer { i = end }
            if end == bodyStart || memchr(b.baseAddress! + bodyStart, 0, end - bodyStart) != nil { continue }
            if name.count == 6, contains("ld+json", in: b, from: j, to: k) { continue }
            if out.isEmpty { out.reserveCapacity(n) }
            out.append(b.baseAddress! + copied, count: bodyStart - copied)
            copied = end
        }
        guard copied > 0 else { return nil }
        out.append(b.baseAddress! + copied, count: n - copied)
        return out
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
    private static func isNameByte(_ c: UInt8) -> Bool {
        isLetter(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
    }

    private static func equalsIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ word: StaticString) -> Bool {
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
        let w = needle.utf8Start, m = needle.utf8CodeUnitCount
        var i = from
        while let hit = find(w[0], in: b, from: i) {
            guard hit + m <= b.count else { return nil }
            if memcmp(b.baseAddress! + hit, w, m) == 0 { return hit }
            i = hit + 1
        }
        return nil
    }

    /// Where `</name` (any case, as a prefix: libxml2's own test) first starts at or after `from`.
    private static func findEndTag(_ name: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while let lt = find("</", in: b, from: i) {
            if lt + 2 + name.count <= b.count {
                var same = true
                for t in 0..<name.count where b[lt + 2 + t] | 0x20 != name[t] { same = false; break }
                if same { return lt }
            }
            i = lt + 2
        }
        return nil
    }

    /// Whether `needle` (lower case) occurs between `from` and `to`, in any case.
    private static func contains(_ needle: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        let w = needle.utf8Start, m = needle.utf8CodeUnitCount
        guard to - from >= m else { return false }
        for s in from...(to - m) {
            var t = 0
            while t < m && b[s + t] | 0x20 == w[t] { t += 1 }
            if t == m { return true }
        }
        return false
    }
}
