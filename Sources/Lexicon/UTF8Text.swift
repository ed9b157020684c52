/// Strings made from UTF-8 bytes, as `String(decoding:as:)` makes them, at a fraction of its cost on real text.
///
/// The standard library validates text holding any non-ASCII character a byte at a time (about ten instructions a
/// byte: a feed's content with one curly quote pays it for every byte). Here ASCII runs are skipped eight bytes at a
/// time and each multi-byte sequence is checked against the Unicode Standard's table of well-formed sequences
/// (table 3-7); bytes proved well-formed are copied into the String without a second check. Anything else goes
/// through `String(decoding:as:)`, which replaces each ill-formed sequence with U+FFFD as before.
extension String {
    /// Text of `bytes`; an ill-formed sequence becomes U+FFFD, exactly as `String(decoding:as:)` has it.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        switch UTF8Text.form(of: bytes) {
        case .ascii: self = String(copying: unsafe UTF8Span(unchecked: bytes.span, isKnownASCII: true))
        case .wellFormed: self = String(copying: unsafe UTF8Span(unchecked: bytes.span, isKnownASCII: false))
        case .illFormed: self = String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Text of `bytes`; an ill-formed sequence becomes U+FFFD.
    @inlinable
    public init(utf8 bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { String(utf8: $0) }
    }
}

/// Whether bytes are UTF-8 and whether they are all ASCII.
public enum UTF8Text {
    /// What a run of bytes is, as text.
    public enum Form: Sendable, Equatable {
        case ascii, wellFormed, illFormed
    }

    /// Reads `bytes` once: ASCII eight bytes at a time, each multi-byte sequence by its first byte's allowed range
    /// for the second (which rules out overlong forms, surrogates and code points past U+10FFFF) and continuation
    /// bytes after it.
    public static func form(of bytes: UnsafeBufferPointer<UInt8>) -> Form {
        guard let base = bytes.baseAddress else { return .ascii }
        let n = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        var ascii = true
        while i < n {
            // Long ASCII runs sixteen bytes a step.
            while i + 16 <= n {
                let pair = UnsafeRawPointer(base + i)
                if (pair.loadUnaligned(as: UInt64.self) | pair.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & high
                    != 0
                {
                    break
                }
                i += 16
            }
            if i + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let marked = word & high
                if marked == 0 {
                    i += 8
                    continue
                }
                // Straight to the first byte that is not ASCII.
                i += marked.trailingZeroBitCount >> 3
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            ascii = false
            let length: Int
            var low: UInt8 = 0x80
            var top: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                top = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                top = 0x8F
            default: return .illFormed
            }
            guard i + length <= n else { return .illFormed }
            let second = base[i + 1]
            guard second >= low, second <= top else { return .illFormed }
            if length > 2 {
                guard base[i + 2] & 0xC0 == 0x80 else { return .illFormed }
                if length > 3 {
                    guard base[i + 3] & 0xC0 == 0x80 else { return .illFormed }
                }
            }
            i += length
        }
        return ascii ? .ascii : .wellFormed
    }
}
