import Foundation
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
        var input = [CChar](repeating: 0, count: data.count)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { memcpy(&input, base, data.count) }
        }
        var output = [CChar](repeating: 0, count: data.count * 4 + 16)
        var inLeft = data.count
        var outLeft = output.count
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
            }
        }
        guard ok else { return nil }
        let written = output.count - outLeft
        return String(decoding: output.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Candidates for bytes that are not UTF-8 and name no charset, most common first.
    static let candidates = ["windows-1252", "shift_jis", "euc-jp", "gb18030", "big5", "euc-kr", "koi8-r",
                             "windows-1251", "tis-620", "windows-1255", "windows-1256", "iso-8859-7"]

    /// The charset `data` most plausibly uses, judged by what each decoding reads like; nil for valid UTF-8.
    public static func guess(_ data: Data) -> String? {
        if String(data: data, encoding: .utf8) != nil { return nil }
        var best: (String, Double)?
        for c in candidates {
            guard let text = decode(data, from: c) else { continue }
            let s = plausibility(text)
            if s > (best?.1 ?? -.infinity) { best = (c, s) }
        }
        return best?.0
    }

    /// Most frequent characters of a few languages: a decoding that produces them is likely right.
    static let frequent: [Set<Character>] = [
        Set("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年要就会可以对生能而"),   // Chinese (simplified)
        Set("的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年要就會可以對生能而"),   // Chinese (traditional)
        Set("のにはをたがでしてとなるいれかもすあるこれまでうよりった"),                         // Japanese kana
        Set("이다는에의을를가한하고로서지기있도것들수해"),                                        // Korean
        Set("оеаинтсрвлкмдпуяыьгзбчйжшхю"),                                                    // Russian, lower case
        Set("านเรกอมงยลดวทสบคหปจตพะแข"),                                                       // Thai
        Set("יוהלארמבנשתעדכקפחצגזסט"),                                                          // Hebrew
        Set("ايلنمورهبعتدفقسكحجصطشذ"),                                                          // Arabic
        Set("αοιετνσρκπλμυηδγ"),                                                                // Greek
    ]

    /// A score: common letters of one script up, symbols typical of a wrong decoding and mixed scripts down.
    static func plausibility(_ text: String) -> Double {
        var score = 0.0
        var letters = 0
        var previous: UInt32 = 0
        for c in text {
            guard let v = c.unicodeScalars.first?.value else { continue }
            defer { previous = v }
            if v < 0x80 {
                if isASCIILetter(v), isAlphabeticScript(previous) { score += isLatin(previous) ? 1 : -3 }
                continue
            }
            // A letter inside a word of ASCII letters: an accent (café) in a Latin decoding, nonsense (cafй) in others.
            if isASCIILetter(previous), isAlphabeticScript(v) { score += isLatin(v) ? 1 : -3 }
            if frequent.contains(where: { $0.contains(c) }) { score += 2 }
            if c.isLetter { letters += 1; score += 0.5 }
            if (0x80...0xBF).contains(v) || (0x2000...0x206F).contains(v) && c != "…" && c != "–" && c != "—" && c != "’" && c != "“" && c != "”" {
                score -= 2 // C1 controls, Latin-1 symbols (¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿) and stray punctuation
            }
            if c.isUppercase && (0xC0...0xDE).contains(v) { score -= 0.5 } // ÀÁÂÃÄÅ… in bulk means mojibake
            if (0xE000...0xF8FF).contains(v) || v == 0xFFFD { score -= 3 } // private use, replacement
            if (0x2500...0x25FF).contains(v) || (0x2218...0x2265).contains(v) || (0x2320...0x2321).contains(v) {
                score -= 3 // box drawing and maths: what CJK bytes look like read as KOI8-R
            }
        }
        return letters == 0 ? score : score / Double(max(1, text.count)) * 100
    }

    static func isASCIILetter(_ v: UInt32) -> Bool { (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) }
    static func isLatin(_ v: UInt32) -> Bool { (0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7 }
    /// Letters of alphabets written with spaces between words (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai), not CJK.
    static func isAlphabeticScript(_ v: UInt32) -> Bool { isLatin(v) || (0x370...0x6FF).contains(v) || (0xE00...0xE7F).contains(v) }
}
