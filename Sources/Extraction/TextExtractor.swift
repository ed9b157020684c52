import Foundation
import Lexicon
import Markup

/// Extracts the article from a page already flattened to text (one paragraph a line, chrome included).
public enum TextExtractor {
    static let bullets: Set<Character> = ["•", "*", "+", "-", "–", "·", "▪", "○", "◦", "►", "▸", "‣", "●"]

    /// The article in `text`; `hints` may carry the feed's title for the entry.
    public static func extract(
        _ text: String, hints: PageHints = PageHints(), template: TemplateMemory.Host? = nil
    ) -> Article {
        extractWithBlocks(text, hints: hints, template: template).article
    }

    /// The article, and the text of every block (what template memory learns from).
    static func extractWithBlocks(
        _ text: String, hints: PageHints, template: TemplateMemory.Host?
    ) -> (article: Article, blocks: [String]) {
        var blocks = makeBlocks(text)
        let article = ArticleAssembler.assemble(&blocks, hints: hints, template: template)
        return (article, blocks.map(\.text))
    }

    static func makeBlocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        for rawLine in text.split(
            omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        {
            var indent = 0
            for c in rawLine { if c == " " { indent += 1 } else if c == "\t" { indent += 4 } else { break } }
            var line = HTMLText.collapseSpaces(String(rawLine))
            guard !line.isEmpty else { continue }
            var bullet = false
            if let first = line.first, bullets.contains(first) {
                let rest = line.dropFirst()
                if rest.isEmpty || rest.first == " " {
                    bullet = true
                    line = rest.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty { continue }
                }
            }
            var b = Block(text: line, kind: bullet ? .listItem : .paragraph)
            b.indent = indent
            b.isBullet = bullet
            blocks.append(b)
        }
        return blocks
    }
}

/// Turns classified blocks into an `Article`: shared by the text and HTML paths.
enum ArticleAssembler {
    static func assemble(
        _ blocks: inout [Block], hints: PageHints, structured: StructuredData = StructuredData(),
        template: TemplateMemory.Host?
    ) -> Article {
        let lines = blocks.map(\.text)
        var useStopwords = FunctionWords.applies(to: lines)
        // Every block's words, read once: the function words are learned from them, then each block measured.
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        var words = PageWords()
        words.spans.reserveCapacity(lines.count)
        for line in lines {
            tokenizer.tokenize(line, into: &records)
            words.append(records)
        }
        let functionWords = useStopwords ? FunctionWords.learn(from: words) : HashMap64(capacity: 0)
        for i in blocks.indices { Shape.measure(&blocks[i], functionWords: functionWords, words: words, line: i) }
        // A language the lists do not cover: no long block reaches the density, so the signal says nothing.
        if useStopwords {
            let long = blocks.filter { $0.wordCount >= 30 }
            if !long.isEmpty, (long.map(\.stopwordDensity).max() ?? 0) < 0.15 { useStopwords = false }
        }
        if let template {
            for i in blocks.indices where template.isBoilerplate(blocks[i].text) { blocks[i].markupPrior = -3 }
        }
        BlockClassifier.classify(&blocks, hasStopwords: useStopwords)

        let firstGood = blocks.firstIndex { $0.label == .good } ?? blocks.count
        let lastGood = blocks.lastIndex { $0.label == .good } ?? -1
        let title = structured.headline ?? TitleFinder.find(in: blocks, before: firstGood, hint: hints.title)
        let normalizedTitle = title.map(TitleFinder.normalize)

        // Only a block about as long as the title can repeat it (words and their case are what normalizing keeps).
        let titleLength = title?.count ?? 0
        var paragraphs: [String] = []
        for b in blocks where b.label == .good {
            if let t = normalizedTitle, b.charCount <= 2 * titleLength + 20, TitleFinder.normalize(b.text) == t {
                continue
            }
            if paragraphs.last == b.text { continue }
            paragraphs.append(b.text)
        }
        if paragraphs.isEmpty, let body = structured.articleBody {
            paragraphs = body.split(separator: "\n").map { HTMLText.collapseSpaces(String($0)) }.filter { !$0.isEmpty }
        }

        // Metadata from the chrome around the body: bylines and datelines.
        let before = blocks[..<min(firstGood, blocks.count)].map(\.text)
        let after = lastGood >= 0 ? blocks[(lastGood + 1)...].map(\.text) : []
        let author = structured.author ?? Byline.author(before: before, after: after)
        let language = LanguageIdentifier.pageLanguage(
            declared: structured.language, text: paragraphs.joined(separator: " "))
        // A date line's numeric order follows the page's language and address, asked only when no date is declared;
        // a page with no article text of its own has its language told by its lines, as many as identification reads.
        func dateInText() -> Date? {
            var pageLanguage = language
            if pageLanguage == nil {
                var end = 0
                var size = 0
                while end < lines.count && size < 20_000 {
                    size += lines[end].utf8.count + 1
                    end += 1
                }
                pageLanguage = LanguageIdentifier.identify(lines[..<end].joined(separator: " "))
            }
            let monthFirst = Byline.writesMonthFirst(language: pageLanguage, tag: structured.language, url: hints.url)
            return Byline.date(in: before + after.prefix(3), monthFirst: monthFirst)
        }
        let published = structured.published ?? dateInText()
        return Article(
            title: title ?? hints.title, author: author, published: published, language: language,
            paragraphs: paragraphs)
    }
}

/// Finds the headline among the blocks that precede the body.
enum TitleFinder {
    static func normalize(_ s: String) -> String {
        Shape.words(s).map { $0.lowercased() }.joined(separator: " ")
    }

    static func find(in blocks: [Block], before end: Int, hint: String?) -> String? {
        let candidates = blocks[..<min(end, blocks.count)]
        if let hint, !hint.isEmpty {
            let h = Set(Shape.words(hint).map { $0.lowercased() })
            var best: (String, Double)?
            for b in candidates {
                let w = Set(Shape.words(b.text).map { $0.lowercased() })
                guard !w.isEmpty, !h.isEmpty else { continue }
                let overlap = Double(w.intersection(h).count) / Double(max(w.count, h.count))
                if overlap >= 0.6, overlap > (best?.1 ?? 0) { best = (b.text, overlap) }
            }
            if let best { return best.0 }
        }
        var counts: [String: Int] = [:]
        for b in candidates { counts[normalize(b.text), default: 0] += 1 }
        var best: (String, Double)?
        for (i, b) in candidates.enumerated() {
            var score = shapeScore(b)
            guard score > 0 else { continue }
            if (counts[normalize(b.text)] ?? 0) > 1 { score += 4 }
            score -= Double(i) * 0.05
            if score > (best?.1 ?? 0) { best = (b.text, score) }
        }
        return best.map { stripSiteSuffix($0.0) }
    }

    /// How much a block looks like a headline: several words, no final period, few digits.
    static func shapeScore(_ b: Block) -> Double {
        if b.isBullet { return 0 }
        let words = b.wordCount
        guard words >= 3, words <= 30 else { return 0 }
        let t = b.text
        if t.contains(" > ") || t.contains(" » ") && t.count < 60 { return 0 }
        if let last = t.last, last == "." || last == ":" || last == "," { return 0 }
        let digits = t.filter(\.isNumber).count
        if Double(digits) > Double(t.count) * 0.15 { return 0 }
        if Byline.isByline(t) { return 0 }
        return min(Double(words), 16)
    }

    /// "Headline | Site" → "Headline".
    static func stripSiteSuffix(_ title: String) -> String {
        for sep in [" | ", " - ", " — ", " – ", " :: "] {
            if let r = title.range(of: sep, options: .backwards) {
                let head = title[..<r.lowerBound]
                let tail = title[r.upperBound...]
                if Shape.words(String(tail)).count <= 4, Shape.words(String(head)).count >= 4 { return String(head) }
            }
        }
        return title
    }
}

/// Bylines and datelines, kept as metadata rather than body.
enum Byline {
    static let prefixes = [
        "by ", "par ", "von ", "por ", "di ", "door ", "av ", "auteur:", "auteur :", "author:",
        "autor:", "autore:", "written by ", "écrit par ", "texte:", "texte :", "redacted by ",
    ]

    static func isByline(_ text: String) -> Bool {
        guard text.hasAtMost(160) else { return false }
        let l = text.prefix(16).lowercased()
        return prefixes.contains { l.hasPrefix($0) } && Shape.words(text).count <= 16
    }

    /// The name in a byline line ("By Jo Doe, Staff Writer" → "Jo Doe"), or the line as it is when no name
    /// can be told from it.
    static func name(in line: String) -> String {
        author(before: [line], after: []) ?? line
    }

    /// The author named in a byline before the body, or a lone name right after it.
    static func author(before: [String], after: [String]) -> String? {
        for line in before + after.prefix(4) where isByline(line) {
            let l = line.lowercased()
            guard let p = prefixes.first(where: { l.hasPrefix($0) }) else { continue }
            var rest = String(line.dropFirst(p.count)).trimmingCharacters(in: .whitespaces)
            if let cut = rest.firstIndex(where: { $0 == "," || $0 == "|" || $0 == "(" }) { rest = String(rest[..<cut]) }
            rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " .\u{00A0}"))
            if looksLikeName(rest) { return rest }
            // "Moritz Bachmann publiziert am 30. Juli 2018", "Jane Smith on May 3": the capitalized words it opens
            // with.
            let words = rest.split(separator: " ")
            var lead = Array(words.prefix { $0.first?.isUppercase == true })
            // A date right after ends the name before its month or preposition ("Regan September 12", "Gander On
            // 9/12").
            if lead.count < words.count, words[lead.count].first?.isNumber == true, let last = lead.last,
                last.count <= 3 || FeedDate.isMonthName(String(last))
            {
                lead.removeLast()
            }
            if lead.count >= 2, lead.count < words.count, case let name = lead.joined(separator: " "),
                looksLikeName(name)
            {
                return name
            }
        }
        for line in after.prefix(2) {
            let t = line.trimmingCharacters(in: CharacterSet(charactersIn: " .\u{00A0}"))
            // A line in capitals after the body is the next section's heading ("OTHER STORIES"), not a signature.
            if looksLikeName(t) && t.contains(where: \.isLowercase) { return t }
        }
        return nil
    }

    /// Two to four capitalized words, nothing else.
    static func looksLikeName(_ s: String) -> Bool {
        let parts = s.split(separator: " ")
        guard parts.count >= 2, parts.count <= 4 else { return false }
        return parts.allSatisfy { p in
            guard let f = p.first, f.isUppercase else { return false }
            return p.allSatisfy { $0.isLetter || $0 == "-" || $0 == "." || $0 == "'" || $0 == "’" }
        }
    }

    /// A short line that is mostly a date or time ("05 Oct", "November 12, 2018 | BY: Beachbody").
    static func isDateline(_ text: String) -> Bool {
        guard text.hasAtMost(60), text.containsNumber else { return false }
        let words = Shape.words(text)
        // A date has a day, a year, perhaps a time: more numbers than that is a table row or a score line.
        guard words.count <= 8, words.filter({ $0.allSatisfy(\.isNumber) }).count <= 4 else { return false }
        return FeedDate.parse(text) != nil
            || (words.count <= 3 && words.contains { $0.allSatisfy(\.isNumber) }
                && words.contains { w in FeedDate.parse("1 \(w) 2000") != nil })
    }

    /// The first date found in the given lines, read from the line's start or from a later word that opens with
    /// a digit or a capital ("publié le 19 juin 2024 à 16h00", "133 views Nov 7, 2012"), and plausible as a page's
    /// date. A year alone is no date here ("November 2012" in an archive list, "© 2012"): feeds may write one, but
    /// in a page's text it would claim the 1st of January.
    static func date(in lines: [String], monthFirst: Bool = false) -> Date? {
        func digitCount(_ s: Substring) -> Int { s.utf8.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) } }
        for line in lines where line.hasAtMost(80) {
            var digits = digitCount(line[...])
            var start = line.startIndex
            var first = true
            while digits >= 4 {
                let rest = line[start...]
                if first || rest.first.map({ $0.isNumber || $0.isUppercase }) == true, !isYear(rest),
                    let d = Article.plausible(FeedDate.parse(String(rest), monthFirst: monthFirst))
                {
                    return d
                }
                first = false
                guard let space = rest.firstIndex(of: " ") else { break }
                digits -= digitCount(rest[..<space])
                start = line.index(after: space)
            }
        }
        return nil
    }

    /// Whether the page writes numeric dates month first (11/06/2012 for 6 November): an English page, unless its
    /// language tag or its address names a country that writes the day first. On 40 of the 1 631 local eval pages
    /// the page's date came from such a date read day first, most of them American pages of November 2012 dated
    /// June.
    static func writesMonthFirst(language: String?, tag: String?, url: String?) -> Bool {
        guard language == "en" else { return false }
        let region = tag.flatMap { t in
            t.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).dropFirst().first.map(String.init)
        }
        if let region { return !dayFirstEnglish.contains(region) }
        let host = url.flatMap { URLComponents(string: $0)?.host?.lowercased() } ?? ""
        return !dayFirstEnglish.contains { host.hasSuffix(".\($0)") }
    }

    /// Countries (and their top-level domains) whose English writes the day first.
    static let dayFirstEnglish: Set<String> = [
        "gb", "uk", "ie", "au", "nz", "in", "za", "sg", "hk", "pk", "ng", "ke", "my", "mt",
    ]

    /// One run of four ASCII digits and nothing else but spaces and punctuation around it.
    private static func isYear(_ s: Substring) -> Bool {
        var run = 0
        var runs = 0
        var longest = 0
        for b in s.utf8 {
            if b >= 48 && b <= 57 {
                if run == 0 { runs += 1 }
                run += 1
                longest = max(longest, run)
            } else if b >= 0x80 || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) {
                return false
            } else {
                run = 0
            }
        }
        return runs == 1 && longest == 4
    }
}
