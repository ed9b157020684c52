import Foundation
import Lexicon

#if canImport(Glibc)
import Glibc
#endif

/// Decoding bytes in legacy charsets (iconv), and guessing the charset of bytes that do not say.
public enum Charset {
    /// `data` decoded from `charset` (an IANA name), or nil when iconv does not know it or the bytes are invalid.
    public static func decode(_ data: Data, from charset: String) -> String? {
        let cd = iconv_open("UTF-8", charset)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        // Straight from the data into the output's storage: a guess decodes a document once per candidate.
        let capacity = data.count * 4 + 16
        var ok = true
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            data.withUnsafeBytes { raw in
                // iconv reads its input through a `char **` and never writes it.
                var inPtr = raw.baseAddress.map {
                    UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: CChar.self))
                }
                var inLeft = raw.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = capacity
                ok = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
                written = capacity - outLeft
            }
        }
        guard ok else { return nil }
        return String(utf8: output)
    }

    /// The length of the valid UTF-8 sequence starting at `i` (1–4), or 0 when the bytes there are not one
    /// (a stray continuation byte, an overlong or surrogate form, a sequence cut short).
    static func utf8SequenceLength(_ b: UnsafeRawBufferPointer, at i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return 1 }
        let n = b.count
        func continuation(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF:
            return continuation(i + 1) ? 2 : 0
        case 0xE0...0xEF:
            guard continuation(i + 1), continuation(i + 2) else { return 0 }
            let second = b[i + 1]
            if c == 0xE0 && second < 0xA0 { return 0 }  // overlong
            if c == 0xED && second >= 0xA0 { return 0 }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard continuation(i + 1), continuation(i + 2), continuation(i + 3) else { return 0 }
            let second = b[i + 1]
            if c == 0xF0 && second < 0x90 { return 0 }
            if c == 0xF4 && second >= 0x90 { return 0 }
            return 4
        default:
            return 0
        }
    }

    /// Windows-1252's characters for 0x80–0x9F (U+FFFD for the five it leaves undefined).
    static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD,
        0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD,
        0x017E, 0x0178,
    ]

    /// A document that is UTF-8 but for a few stray bytes (text pasted from a Windows-1252 source into a UTF-8
    /// feed): every valid sequence kept, every stray byte read as Windows-1252. Nil when `data` is valid UTF-8,
    /// or when it holds no valid multi-byte sequence at all (then it is a legacy charset throughout: `guess`).
    public static func repairingMixedUTF8(_ data: Data) -> Data? {
        data.withUnsafeBytes { b -> Data? in
            var out = [UInt8]()
            out.reserveCapacity(b.count + b.count / 8)
            var multiByte = 0
            var stray = 0
            var i = 0
            while i < b.count {
                let length = utf8SequenceLength(b, at: i)
                if length > 0 {
                    if length > 1 { multiByte += 1 }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<(i + length)]))
                    i += length
                    continue
                }
                stray += 1
                let c = b[i]
                let scalar = c >= 0xA0 ? UInt32(c) : c >= 0x80 ? windows1252High[Int(c - 0x80)] : 0xFFFD
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                i += 1
            }
            guard stray > 0, multiByte > 0 else { return nil }
            return Data(out)
        }
    }

    /// Whether every byte of `data` is ASCII (read eight bytes at a time).
    public static func isASCII(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            let n = raw.count
            var i = 0
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < n {
                if raw[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }

    /// True when `data` is valid UTF-8: eight ASCII bytes at a time, then each sequence checked in place.
    /// (Foundation's `String(data:encoding: .utf8)` builds the whole string to say so, at several milliseconds
    /// for a large page.)
    public static func isValidUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return true }
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var i = 0
            while i < n {
                if i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                if b[i] < 0x80 {
                    i += 1
                    continue
                }
                let length = utf8SequenceLength(UnsafeRawBufferPointer(b), at: i)
                if length == 0 { return false }
                i += length
            }
            return true
        }
    }

    /// True when the file at `path` is valid UTF-8 throughout (read in 1 MB pieces, never whole).
    public static func isValidUTF8(file path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var carry = Data()
        while true {
            let piece: Data
            do { piece = try handle.read(upToCount: 1 << 20) ?? Data() } catch { return false }  // nil at the end
            let atEnd = piece.isEmpty
            let chunk = carry.isEmpty ? piece : carry + piece  // a copy only when a sequence straddled pieces
            if chunk.isEmpty { return true }
            let valid: Int? = chunk.withUnsafeBytes { b -> Int? in
                var i = 0
                while i < b.count {
                    if b[i] < 0x80 {
                        i += 1
                        continue
                    }
                    let length = utf8SequenceLength(b, at: i)
                    if length == 0 {
                        // A sequence cut by the end of this piece may be whole with the next one.
                        if !atEnd && b.count - i < 4 { return i }
                        return nil
                    }
                    i += length
                }
                return i
            }
            guard let consumed = valid else { return false }
            if atEnd { return consumed == chunk.count }
            carry = Data(chunk.suffix(from: chunk.startIndex + consumed))
        }
    }

    /// Candidates for bytes that are not UTF-8 and name no charset, most common first.
    static let candidates = [
        "windows-1252", "shift_jis", "euc-jp", "gb18030", "big5", "euc-kr", "koi8-r",
        "windows-1251", "tis-620", "windows-1255", "windows-1256", "iso-8859-7",
    ]

    /// The charset an HTML page declares in its first 4 KB (`<meta charset=…>` or `<meta http-equiv=
    /// "Content-Type" content="…; charset=…">`), as written; nil when it declares none.
    public static func declaredInHTML(_ data: Data) -> String? {
        Lexicon.declaredValue(of: "charset", in: [UInt8](data.prefix(4096)))
    }

    /// The charset `data` most plausibly uses, judged by what each decoding reads like; nil for valid UTF-8.
    public static func guess(_ data: Data) -> String? {
        if isValidUTF8(data) { return nil }
        var best: (String, Double)?
        for c in candidates {
            let s: Double
            if let table = singleByteTables[c] {
                // A charset of one byte a character is scored from the bytes through its table: the same score as
                // its decoding's, without decoding the document once per candidate.
                guard let score = data.withUnsafeBytes({ plausibility(bytes: $0, table: table) }) else { continue }
                s = score
            } else {
                guard let text = decode(data, from: c) else { continue }
                s = plausibility(text)
            }
            if s > (best?.1 ?? -.infinity) { best = (c, s) }
        }
        return best?.0
    }

    /// The candidates that give every byte one character, each byte 0x80–0xFF's scalar in them (0 where the
    /// charset has none: a document with that byte is not in it), as iconv decodes the byte alone. Bytes below 0x80
    /// are ASCII in all of them. Not windows-1255: glibc composes its Hebrew points with the letter before them.
    static let singleByteTables: [String: [UInt32]] = {
        var tables: [String: [UInt32]] = [:]
        for c in ["windows-1252", "koi8-r", "windows-1251", "tis-620", "windows-1256", "iso-8859-7"] {
            var table = [UInt32](repeating: 0, count: 128)
            var known = true
            let cd = iconv_open("UTF-32LE", c)
            guard cd != iconv_t(bitPattern: -1) else { continue }
            defer { iconv_close(cd) }
            for b in 0..<128 {
                // One byte in, at most one 32-bit scalar out (one opened converter for all 128).
                var input = CChar(bitPattern: UInt8(0x80 + b))
                var output = (UInt32(0), UInt32(0))
                let produced: Int? = withUnsafeMutablePointer(to: &input) { inBase in
                    withUnsafeMutableBytes(of: &output) { outRaw in
                        var inPtr: UnsafeMutablePointer<CChar>? = inBase
                        var inLeft = 1
                        var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(
                            to: CChar.self)
                        var outLeft = outRaw.count
                        guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
                        // Flushes a character a stateful converter holds back.
                        guard iconv(cd, nil, nil, &outPtr, &outLeft) != -1 else { return nil }
                        return (outRaw.count - outLeft) / 4
                    }
                }
                guard let produced else {
                    iconv(cd, nil, nil, nil, nil)  // back to the initial state after an invalid byte
                    continue
                }
                if produced == 1 { table[b] = UInt32(littleEndian: output.0) } else if produced > 1 { known = false }
            }
            // Every candidate decodes A–Z as ASCII; one that did not (an iconv without it) is left to iconv.
            if known, decode(Data("Az".utf8), from: c) == "Az" { tables[c] = table }
        }
        return tables
    }()

    /// Most frequent characters of a few languages: a decoding that produces them is likely right.
    static let frequent: [Set<Character>] = [
        Set("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年要就会可以对生能而"),  // Chinese (simplified)
        Set("的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年要就會可以對生能而"),  // Chinese (traditional)
        Set("のにはをたがでしてとなるいれかもすあるこれまでうよりった"),  // Japanese kana
        Set("이다는에의을를가한하고로서지기있도것들수해"),  // Korean
        Set("оеаинтсрвлкмдпуяыьгзбчйжшхю"),  // Russian, lower case
        Set("านเรกอมงยลดวทสบคหปจตพะแข"),  // Thai
        Set("יוהלארמבנשתעדכקפחצגזסט"),  // Hebrew
        Set("ايلنمورهبعتدفقسكحجصطشذ"),  // Arabic
        Set("αοιετνσρκπλμυηδγ"),  // Greek
    ]

    /// The characters of `frequent`, each a single scalar, in one set: looked up once per character of every
    /// candidate decoding (nine sets of Characters, hashed with normalization, took most of a guess's time).
    static let frequentScalars: Set<UInt32> = Set(frequent.flatMap { $0.flatMap { $0.unicodeScalars.map(\.value) } })

    /// A score: common letters of one script up, symbols typical of a wrong decoding and mixed scripts down.
    /// Read by code point from the UTF-8 bytes: a wrong decoding is judged by its code points (walking grapheme
    /// clusters, then scalars of the whole text, took most of a guess's time).
    static func plausibility(_ text: String) -> Double {
        var text = text
        return text.withUTF8 { plausibility(utf8: $0) }
    }

    /// The score of text given as UTF-8 (well-formed: a String's bytes).
    static func plausibility(utf8 b: UnsafeBufferPointer<UInt8>) -> Double {
        var scorer = Scorer()
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i = scorer.asciiRun(from: i, in: UnsafeRawBufferPointer(b))
                continue
            }
            // A scalar of two to four bytes (the String's bytes are well-formed).
            let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2
            var v = UInt32(c) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length where i + k < n { v = v << 6 | UInt32(b[i + k] & 0x3F) }
            i += length
            scorer.add(v)
        }
        return scorer.score
    }

    /// The score of `bytes` read in a charset of one byte a character (`table`: the scalar of each byte from 0x80);
    /// nil when a byte has no character there.
    static func plausibility(bytes b: UnsafeRawBufferPointer, table: [UInt32]) -> Double? {
        var scorer = Scorer()
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i = scorer.asciiRun(from: i, in: b)
                continue
            }
            let v = table[Int(c) - 0x80]
            guard v != 0 else { return nil }
            scorer.add(v)
            i += 1
        }
        return scorer.score
    }

    /// The plausibility score, character by character. Only a character that is not ASCII, or the ASCII character
    /// after one, can change it; the rest of a run of ASCII is counted and skipped eight bytes at a time (a
    /// document's markup is most of what each candidate gives).
    struct Scorer {
        var sum = 0.0
        var letters = 0
        var count = 0
        var previous: UInt32 = 0

        /// Reads the run of ASCII at `i` in `b`; returns where it ends.
        mutating func asciiRun(from i: Int, in b: UnsafeRawBufferPointer) -> Int {
            let v = UInt32(b[i])
            count += 1
            if isASCIILetter(v), isAlphabeticScript(previous) { sum += isLatin(previous) ? 1 : -3 }
            let n = b.count
            var j = i + 1
            while j + 8 <= n, b.loadUnaligned(fromByteOffset: j, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                j += 8
            }
            while j < n, b[j] < 0x80 { j += 1 }
            count += j - (i + 1)
            previous = UInt32(b[j - 1])
            return j
        }

        /// Scores one character that is not ASCII.
        mutating func add(_ v: UInt32) {
            guard let scalar = Unicode.Scalar(v) else { return }
            // A combining mark belongs to the character before it, as one character of the text.
            if v >= 0x300, isCombining(scalar) { return }
            count += 1
            defer { previous = v }
            // A letter inside a word of ASCII letters: an accent (café) in a Latin decoding, nonsense (cafй) in others.
            if isASCIILetter(previous), isAlphabeticScript(v) { sum += isLatin(v) ? 1 : -3 }
            if frequentScalars.contains(v) { sum += 2 }
            if isLetter(scalar) {
                letters += 1
                sum += 0.5
            }
            if (0x80...0xBF).contains(v)
                || (0x2000...0x206F).contains(v) && v != 0x2026 && v != 0x2013 && v != 0x2014 && v != 0x2019
                    && v != 0x201C && v != 0x201D
            {
                sum -= 2  // C1 controls, Latin-1 symbols (¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿) and stray punctuation
            }
            if (0xC0...0xDE).contains(v) && v != 0xD7 { sum -= 0.5 }  // ÀÁÂÃÄÅ… in bulk means mojibake
            if (0xE000...0xF8FF).contains(v) || v == 0xFFFD { sum -= 3 }  // private use, replacement
            if (0x2500...0x25FF).contains(v) || (0x2218...0x2265).contains(v) || (0x2320...0x2321).contains(v) {
                sum -= 3  // box drawing and maths: what CJK bytes look like read as KOI8-R
            }
        }

        /// The score: per hundred characters once there are letters.
        var score: Double {
            letters == 0 ? sum : sum / Double(max(1, count)) * 100
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func isASCIILetter(_ v: UInt32) -> Bool { (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) }
    static func isLatin(_ v: UInt32) -> Bool { (0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7 }
    /// Letters of alphabets written with spaces between words (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai), not CJK.
    static func isAlphabeticScript(_ v: UInt32) -> Bool {
        isLatin(v) || (0x370...0x6FF).contains(v) || (0xE00...0xE7F).contains(v)
    }
}
