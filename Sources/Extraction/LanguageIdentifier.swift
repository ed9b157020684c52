import Foundation
import Lexicon

/// Identifies the language of a text from its script and, for Latin and Cyrillic scripts, its function words.
public enum LanguageIdentifier {
    /// Each language's most frequent words (`Lexicon.languageProfiles`).
    static var profiles: [(String, Set<String>)] { Lexicon.languageProfiles }

    /// A page's language: the one it declares (`<html lang>`, `og:locale`, JSON-LD `inLanguage`), unless its text
    /// is long enough to tell and tells another (a CMS's default `lang="en"` on a German article); the text's
    /// when it declares none.
    static func pageLanguage(declared tag: String?, text: String) -> String? {
        let declared = tag.flatMap(normalize)
        guard let declared else { return identify(text) }
        var words = 0
        for b in text.utf8 where b == 32 {
            words += 1
            if words >= overrulingWords { break }
        }
        guard words >= overrulingWords, let told = identify(text) else { return declared }
        return told
    }

    /// Words of text from which what the text tells overrules the page's declared language.
    static let overrulingWords = 150

    /// The ISO 639-1 code of the language `text` is written in, or nil when too little text to tell.
    public static func identify(_ text: String) -> String? {
        // Letters counted by script, in an array indexed like `scripts`.
        let scripts = ["arab", "hebr", "cyrl", "grek", "deva", "thai", "kana", "hang", "hani", "latn", "other"]
        var counts = [Int](repeating: 0, count: scripts.count)
        var letters = 0
        var ascii = 0  // ASCII letters, counted apart: most of a Latin text
        LanguageIdentifier.forEachScalar(of: text, upTo: 20000) { v in
            if v < 0x80 {
                if (v | 0x20) >= 97 && (v | 0x20) <= 122 { ascii += 1 }
                return
            }
            guard LanguageIdentifier.isLetter(v) else { return }
            letters += 1
            let script: Int
            switch v {
            case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: script = 0
            case 0x0590...0x05FF: script = 1
            case 0x0400...0x04FF: script = 2
            case 0x0370...0x03FF: script = 3
            case 0x0900...0x097F: script = 4
            case 0x0E00...0x0E7F: script = 5
            case 0x3040...0x30FF: script = 6
            case 0xAC00...0xD7AF, 0x1100...0x11FF: script = 7
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: script = 8
            default: script = v < 0x250 ? 9 : 10
            }
            counts[script] += 1
        }
        letters += ascii
        counts[9] += ascii
        guard letters >= 20,
            let top = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) })
        else { return nil }
        switch scripts[top] {
        case "arab":
            // Persian and Urdu letters not used in Arabic.
            var fa = 0
            LanguageIdentifier.forEachScalar(of: text, upTo: .max) { v in
                if v == 0x067E || v == 0x0686 || v == 0x06AF || v == 0x0698 { fa += 1 }
            }
            return fa > 3 ? "fa" : "ar"
        case "hebr": return "he"
        case "grek": return "el"
        case "deva": return "hi"
        case "thai": return "th"
        case "hang": return "ko"
        case "kana": return "ja"
        case "hani": return counts[6] * 10 > counts[8] ? "ja" : "zh"
        case "cyrl", "latn": return byFunctionWords(text, cyrillic: scripts[top] == "cyrl")
        default: return nil
        }
    }

    /// The profiles as hashes of the folded words, matching the tokenizer's output.
    /// For each function word's hash, the languages (bits, by position in `hashedProfiles`) it belongs to.
    static let profileIndex: [UInt64: UInt64] = {
        var index: [UInt64: UInt64] = [:]
        for (i, (_, words)) in hashedProfiles.enumerated() { for w in words { index[w, default: 0] |= 1 << UInt64(i) } }
        return index
    }()

    static let hashedProfiles: [(String, Set<UInt64>)] = profiles.map { code, words in
        (code, Set(words.map { Lexicon.hash(Lexicon.fold($0)) }))
    }

    private static func byFunctionWords(_ text: String, cyrillic: Bool) -> String? {
        var counts = [Int](repeating: 0, count: hashedProfiles.count)
        var records: [TokenRecord] = []
        Tokenizer().tokenize(text, into: &records, limit: 4000)
        let total = records.count
        for r in records {
            guard var languages = profileIndex[r.hash] else { continue }
            while languages != 0 {
                counts[languages.trailingZeroBitCount] += 1
                languages &= languages - 1
            }
        }
        var scores: [String: Int] = [:]
        for (i, c) in counts.enumerated() where c > 0 { scores[hashedProfiles[i].0] = c }
        let candidates = scores.filter { cyrillic ? ["ru", "uk"].contains($0.key) : !["ru", "uk"].contains($0.key) }
        guard let best = candidates.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
            best.value >= 3, Double(best.value) >= 0.05 * Double(total)
        else { return nil }
        return best.key
    }

    /// Calls `body` with the value of each of the first `limit` scalars of `text`, decoded from its UTF-8 (a
    /// String's bytes are valid UTF-8).
    static func forEachScalar(of text: String, upTo limit: Int, _ body: (UInt32) -> Void) {
        var text = text
        text.withUTF8 { b in
            var i = 0
            var n = 0
            while i < b.count && n < limit {
                let c = b[i]
                var v = UInt32(c)
                if c < 0x80 {
                    i += 1
                } else if c < 0xE0 {
                    v = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                    i += 2
                } else if c < 0xF0 {
                    v = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    i += 3
                } else {
                    v =
                        UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                        | UInt32(b[i + 3] & 0x3F)
                    i += 4
                }
                body(v)
                n += 1
            }
        }
    }

    /// A cheap letter test on a scalar's value: ASCII and Latin-1 letters, and anything from Greek upwards except
    /// punctuation blocks.
    static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 65 && v <= 90) || (v >= 97 && v <= 122) }
        if v < 0x370 { return v >= 0xC0 && v != 0xD7 && v != 0xF7 }
        if (0x2000...0x2BFF).contains(v) || (0x3000...0x303F).contains(v) || (0xFF00...0xFF20).contains(v)
            || (0xFE30...0xFE4F).contains(v) || (0x0600...0x060F).contains(v) || v == 0x061F || v == 0x06D4
        {
            return false
        }
        return true
    }

    /// "fr-FR", "fr_FR", "French" → "fr".
    public static func normalize(_ tag: String) -> String? {
        let t = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return t.count == 2 || t.count == 3 ? t : nil
    }
}
