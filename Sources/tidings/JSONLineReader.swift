import Foundation

/// A top-level JSON value as the line reader keeps it.
enum JSONScalar: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null, other
}

/// Reads one JSON object per line, keeping the top-level scalar members asked for: fast, for `cluster`'s input.
enum JSONLineReader {
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    /// The values of the members named in `wanted` (nil for those absent), by position, without building the
    /// other members; the string member `utf8Member` is unescaped into `buffer` as UTF-8 bytes (replacing its
    /// contents; emptied when absent).
    static func members(
        _ bytes: UnsafeRawBufferPointer, _ wanted: [[UInt8]], utf8Member: [UInt8],
        into buffer: inout [UInt8]
    ) throws -> [JSONScalar?] {
        var p = Parser(b: bytes.bindMemory(to: UInt8.self))
        buffer.removeAll(keepingCapacity: true)
        var out = [JSONScalar?](repeating: nil, count: wanted.count)
        try p.members { key, p in
            if key.elementsEqual(utf8Member), p.at(UInt8(ascii: "\"")) {
                buffer.removeAll(keepingCapacity: true)
                try p.unescape(into: &buffer)
            } else if let k = wanted.firstIndex(where: { key.elementsEqual($0) }) {
                out[k] = try p.value()
            } else {
                try p.skipValue()
            }
        }
        return out
    }

    struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ m: String) -> Failure { Failure(offset: i, message: m) }

        mutating func space() { while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 } }

        /// Whether the next byte is `c`.
        func at(_ c: UInt8) -> Bool { i < b.count && b[i] == c }

        /// Walks the object's members: `visit` gets each name (as UTF-8, escapes decoded) with the parser at
        /// the value, which it must read or skip.
        mutating func members(_ visit: (UnsafeBufferPointer<UInt8>, inout Parser) throws -> Void) throws {
            space()
            guard at(UInt8(ascii: "{")) else { throw fail("expected '{'") }
            i += 1
            space()
            if at(UInt8(ascii: "}")) { return }
            var scratch: [UInt8] = []
            while true {
                space()
                guard at(UInt8(ascii: "\"")) else { throw fail("expected a member name") }
                // A name without escapes is read where it lies.
                let start = i + 1
                let end = plainRunEnd(from: start)
                let plain = end < b.count && b[end] == UInt8(ascii: "\"")
                if plain {
                    i = end + 1
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    try unescape(into: &scratch)
                }
                space()
                guard at(UInt8(ascii: ":")) else { throw fail("expected ':'") }
                i += 1
                space()
                if plain {
                    try visit(UnsafeBufferPointer(rebasing: b[start..<end]), &self)
                } else {
                    try scratch.withUnsafeBufferPointer { try visit($0, &self) }
                }
                space()
                guard i < b.count else { throw fail("unterminated object") }
                if b[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if b[i] == UInt8(ascii: "}") {
                    i += 1
                    return
                }
                throw fail("expected ',' or '}'")
            }
        }

        /// Steps over the value at `i` without keeping it.
        mutating func skipValue() throws {
            guard i < b.count else { throw fail("expected a value") }
            if b[i] == UInt8(ascii: "\"") { try skipString() } else { _ = try value() }
        }

        /// Steps over the string at `i` (its opening quote).
        mutating func skipString() throws {
            i += 1
            while true {
                i = plainRunEnd(from: i)
                guard i < b.count else { throw fail("unterminated string") }
                if b[i] == UInt8(ascii: "\"") {
                    i += 1
                    return
                }
                i += 2  // a backslash and the character it escapes (a \u escape's digits are plain)
            }
        }

        mutating func value() throws -> JSONScalar {
            guard i < b.count else { throw fail("expected a value") }
            switch b[i] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try skipNested()
                return .other
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default:
                let start = i
                while i < b.count,
                    (b[i] >= 48 && b[i] <= 57) || b[i] == 45 || b[i] == 43 || b[i] == 46 || b[i] == 101 || b[i] == 69
                { i += 1 }
                guard i > start else { throw fail("unexpected character") }
                return .number(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else {
                throw fail("unexpected literal")
            }
            i += n
        }

        mutating func skipNested() throws {
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    try skipString()
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return
                    }
                }
                i += 1
            }
            throw fail("unterminated array or object")
        }

        /// The index of the first quote or backslash at or after `start` (or the end), eight bytes at a time.
        func plainRunEnd(from start: Int) -> Int {
            var k = start
            let n = b.count
            let base = UnsafeRawPointer(b.baseAddress!)
            while k + 8 <= n {
                let x = base.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                // A zero byte in x ^ '"' or in x ^ '\\' marks a quote or a backslash (the classic has-zero-byte test).
                let q = x ^ 0x2222_2222_2222_2222
                let e = x ^ 0x5C5C_5C5C_5C5C_5C5C
                let hits =
                    ((q &- 0x0101_0101_0101_0101) & ~q | (e &- 0x0101_0101_0101_0101) & ~e) & 0x8080_8080_8080_8080
                if hits != 0 { return k + hits.trailingZeroBitCount >> 3 }
                k += 8
            }
            while k < n, b[k] != UInt8(ascii: "\""), b[k] != UInt8(ascii: "\\") { k += 1 }
            return k
        }

        mutating func string() throws -> String {
            // Fast path: no escapes, the bytes become the String as they are.
            let start = i + 1
            let end = plainRunEnd(from: start)
            if end < b.count, b[end] == UInt8(ascii: "\"") {
                i = end + 1
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
            }
            var bytes: [UInt8] = []
            try unescape(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Appends the string at `i` (its opening quote) to `bytes`, escapes decoded; leaves `i` after its closing
        /// quote.
        mutating func unescape(into bytes: inout [UInt8]) throws {
            // Decoded, a string is never longer than its JSON form: room for all of it is made once, and the
            // runs between escapes are copied through a pointer.
            let old = bytes.count
            let room = b.count - i
            bytes.append(contentsOf: repeatElement(0, count: room))
            var written = 0
            let ended: Bool = try bytes.withUnsafeMutableBufferPointer { buffer in
                let out = buffer.baseAddress! + old
                i += 1  // opening quote
                while i < b.count {
                    let c = b[i]
                    if c == UInt8(ascii: "\"") {
                        i += 1
                        return true
                    }
                    if c != UInt8(ascii: "\\") {
                        // Copy the run up to the next quote or escape in one go.
                        let runStart = i
                        i = plainRunEnd(from: i)
                        (out + written).update(from: b.baseAddress! + runStart, count: i - runStart)
                        written += i - runStart
                        continue
                    }
                    i += 1
                    guard i < b.count else { break }
                    let e = b[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "u"):
                        // Six bytes of escape (twelve for a pair) become at most four: the room suffices.
                        var v = try hex4()
                        if (0xD800...0xDBFF).contains(v), i + 1 < b.count, b[i] == UInt8(ascii: "\\"),
                            b[i + 1] == UInt8(ascii: "u")
                        {
                            i += 2
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) { v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00) }
                        }
                        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                        UTF8.encode(scalar) {
                            out[written] = $0
                            written += 1
                        }
                    default:
                        out[written] = unescaped(e)
                        written += 1
                    }
                }
                return false
            }
            bytes.removeLast(room - written)
            if !ended { throw fail("unterminated string") }
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count else { throw fail("short \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 97...102: d = UInt32(c - 87)
                case 65...70: d = UInt32(c - 55)
                default: throw fail("bad \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
    }
}

/// The byte a one-letter JSON escape stands for: \n \t \r \b \f their control characters; \" \\ \/ (and any
/// other letter, which JSON does not allow but a reader may as well keep) the letter itself.
private func unescaped(_ letter: UInt8) -> UInt8 {
    switch letter {
    case UInt8(ascii: "n"): return 10
    case UInt8(ascii: "t"): return 9
    case UInt8(ascii: "r"): return 13
    case UInt8(ascii: "b"): return 8
    case UInt8(ascii: "f"): return 12
    default: return letter
    }
}
