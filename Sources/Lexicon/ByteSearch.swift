/// Searches on bytes that the readers of markup share: a key in a declaration or an attribute value, ASCII case
/// ignored, without making Strings or lower-case copies.
extension Lexicon {
    /// Where `needle` (ASCII, lower case) first occurs in `bytes` at or after `start`, ASCII letters matched in
    /// either case; nil when it does not occur.
    @inlinable
    public static func firstIndex<C: RandomAccessCollection>(
        ofIgnoringCase needle: [UInt8], in bytes: C, from start: Int = 0
    ) -> Int? where C.Element == UInt8, C.Index == Int {
        let n = bytes.endIndex
        guard !needle.isEmpty, n - start >= needle.count else { return nil }
        var i = max(start, bytes.startIndex)
        while i + needle.count <= n {
            if matches(ignoringCase: needle, in: bytes, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// Whether `text` holds `needle` (ASCII, lower case), ASCII letters matched in either case: an attribute
    /// value asked about without a lower-case copy of it.
    public static func contains(ignoringCase needle: [UInt8], in text: String) -> Bool {
        var text = text
        return text.withUTF8 { firstIndex(ofIgnoringCase: needle, in: $0) != nil }
    }

    /// Whether `needle` (ASCII, lower case) is written in `bytes` at `i`, ASCII letters matched in either case.
    @inlinable
    public static func matches<C: RandomAccessCollection>(
        ignoringCase needle: [UInt8], in bytes: C, at i: Int
    ) -> Bool where C.Element == UInt8, C.Index == Int {
        guard i >= bytes.startIndex, i + needle.count <= bytes.endIndex else { return false }
        for k in 0..<needle.count {
            let b = bytes[i + k]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != needle[k] { return false }
        }
        return true
    }

    /// The value written after `key` in a declaration (`encoding="koi8-r"`, `charset=utf-8`, `charset = 'x'`):
    /// the first occurrence of `key` followed by `=`, then blanks and quotes skipped, up to a quote, a blank, `;`,
    /// `>`, `/` or `?`. Nil when there is no such key or no value.
    public static func declaredValue(of key: String, in bytes: [UInt8]) -> String? {
        let needle = Array(key.utf8)
        var from = 0
        while let at = firstIndex(ofIgnoringCase: needle, in: bytes, from: from) {
            var j = at + needle.count
            while j < bytes.count, isCSpace(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "=") {
                j += 1
                while j < bytes.count, isCSpace(bytes[j]) || bytes[j] == 0x22 || bytes[j] == 0x27 { j += 1 }
                let start = j
                while j < bytes.count, !isCSpace(bytes[j]), ![0x22, 0x27, 0x3B, 0x3E, 0x2F, 0x3F].contains(bytes[j]) {
                    j += 1
                }
                return j > start ? String(decoding: bytes[start..<j], as: UTF8.self) : nil
            }
            from = at + 1
        }
        return nil
    }
}
