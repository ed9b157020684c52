import Foundation

/// Words, scripts and function words: the text facts that extraction and story grouping share.
public enum Lexicon {
    /// The words of `text`; each CJK ideograph, kana or hangul syllable is a word of its own.
    public static func words(_ text: String) -> [Substring] {
        if let fast = plainWords(text) { return fast }
        return graphemeWords(text)
    }

    /// For each scalar below U+0800 and each of U+2000–U+206F: 1 when it is a word character (a letter, a number
    /// or '_') standing alone, as `graphemeWords` decides it for a one-scalar Character; 0 when it is not; 2 when
    /// it can join its neighbours into one Character (combining and format characters: marks, joiners,
    /// prepended signs), which only the grapheme path may judge.
    private static let plainWordScalars: [UInt8] = {
        (Array(UInt32(0)..<0x800) + Array(UInt32(0x2000)..<0x2070)).map { v in
            let scalar = Unicode.Scalar(v)!
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format: return 2
            default: break
            }
            let c = Character(scalar)
            return c.isLetter || c.isNumber || c == "_" ? 1 : 0
        }
    }()

    /// `words` for text made of scalars below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic) and general
    /// punctuation, none of them combining or format characters: there one scalar is one Character (CR LF
    /// aside, which is no word either way), so no grapheme breaking is needed. Nil for any other text.
    static func plainWords(_ text: String) -> [Substring]? {
        var text = text
        let table = plainWordScalars
        var ranges: [Range<Int>] = []
        let plain = text.withUTF8 { b -> Bool in
            var i = 0
            var start = -1
            let n = b.count
            while i < n {
                let c = b[i]
                var v: UInt32
                var len: Int
                if c < 0x80 {
                    v = UInt32(c)
                    len = 1
                } else if c & 0xE0 == 0xC0, i + 1 < n {
                    v = UInt32(c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                    len = 2
                } else if c & 0xF0 == 0xE0, i + 2 < n {
                    v = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    len = 3
                } else {
                    return false
                }
                let slot: Int
                if v < 0x800 {
                    slot = Int(v)
                } else if v >= 0x2000 && v < 0x2070 {
                    slot = Int(v - 0x2000) + 0x800
                } else {
                    return false
                }
                let kind = table[slot]
                if kind == 2 { return false }
                if kind == 1 {
                    if start < 0 { start = i }
                } else if start >= 0 {
                    ranges.append(start..<i)
                    start = -1
                }
                i += len
            }
            if start >= 0 { ranges.append(start..<n) }
            return true
        }
        guard plain else { return nil }
        let utf8 = text.utf8
        return ranges.map { r in
            let lower = utf8.index(utf8.startIndex, offsetBy: r.lowerBound)
            return text[lower..<utf8.index(lower, offsetBy: r.count)]
        }
    }

    /// `words` by Characters (grapheme clusters): the general case.
    static func graphemeWords(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let isWord = c.isLetter || c.isNumber || c == "_"
            if isWord, isCJK(c) {
                if let s = start {
                    out.append(text[s..<index])
                    start = nil
                }
                out.append(text[index...index])
            } else if isWord {
                if start == nil { start = index }
            } else if let s = start {
                out.append(text[s..<index])
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { out.append(text[s..<text.endIndex]) }
        return out
    }

    /// True for CJK ideographs, kana and hangul.
    public static func isCJK(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xAC00...0xD7AF).contains(v) || (0xF900...0xFAFF).contains(v)
    }

    /// Lower case with diacritics removed: "Corée" → "coree".
    public static func fold(_ word: some StringProtocol) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII has nothing to decompose: lower case is the whole fold.
            return String(decoding: word.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for s in String(word).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x0300...0x036F).contains(s.value) { continue }
            out.append(s)
        }
        return String(out)
    }

    /// Function words of the common Latin-script languages, lower case (en, fr, de, es, pt, it, nl).
    public static let functionWords: Set<String> = Set(
        functionWordLists.flatMap { $0.split(separator: " ").map(String.init) })

    /// The function words, one space-separated list a language group.
    static let functionWordLists = [
        "the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more can who what about out up into them than its only other new some could time these two may then do first any my now such like our over me even most after also did many before must through back years where much your way well down should because each just those how too us being said says",
        "le la les de des du un une et à au aux en dans pour par sur avec ne pas que qui est sont ce cette ces il elle ils elles on nous vous se sa son ses leur leurs plus mais ou où comme a été être avoir fait tout tous entre après avant aussi très sans sous lors dont y l d qu n s c",
        "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an er hat aus bei sind nach wird wie einer um am noch sie durch einen war oder vor zum zur über ihre ihr werden",
        "el la los las de del y en que a un una por con no se su para es al lo como más o pero sus le ha fue son entre sin sobre también este esta do da dos das em um uma os com não mais foi ao pelo pela il di che e per non sono gli della delle nel alla si ma anche",
        "de het een en van in is op te dat die voor met zijn niet aan er om ook als bij of door naar dan maar wordt tot",
    ]
}
