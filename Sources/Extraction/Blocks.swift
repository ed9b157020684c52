import Foundation
import Lexicon
import Markup

/// A paragraph-sized piece of a page: one line of a text dump, or one block element of HTML.
struct Block {
    enum Kind { case paragraph, heading, listItem, quote, preformatted, caption, other }

    /// The block's text, white space collapsed.
    var text: String
    var kind: Kind
    /// Share of the text that sits inside links (HTML only).
    var linkDensity: Double = 0
    /// A prior from the markup: negative for chrome-looking containers, positive for article ones.
    var markupPrior: Double = 0
    /// Indentation in a text dump (a proxy for DOM depth).
    var indent: Int = 0
    /// True when written as a list item (bullet in text, `<li>` in HTML).
    var isBullet: Bool = false
    /// Index of the HTML container the block came from, if any.
    var container: Int = -1
    /// True when the block is a photo's caption (`<figcaption>`, a "caption" class), whatever else its markup says.
    var isCaption = false
    /// True when written as an `<h1>`.
    var isH1 = false

    // Derived shape.
    var wordCount = 0
    var charCount = 0
    var stopwordDensity = 0.0
    var endsSentence = false
    var sentencePunctuation = 0

    /// Final class after context smoothing.
    var label: Label = .bad

    enum Label { case good, nearGood, short, bad }
}

/// Shape measurements shared by both extraction paths.
enum Shape {
    static let sentenceEnders: Set<Character> = [
        ".", "!", "?", "…", "。", "！", "？", "؟", "।", "»", "\"", "”", "’", ")", "'", "»", "」", "』", ";",
    ]
    static let innerPunctuation: Set<Character> = [".", ",", ";", "!", "?", "、", "，", "。", "،", "؛", ":"]

    static func words(_ text: String) -> [Substring] { Lexicon.words(text) }
    static func isCJK(_ c: Character) -> Bool { Lexicon.isCJK(c) }

    /// Fills the derived measurements of `block` from its words (line `line` of the page's `words`), given the
    /// document's function words (as word hashes).
    static func measure(_ block: inout Block, functionWords: HashMap64, words: PageWords, line: Int) {
        let span = words.spans[line]
        var cjk = 0
        var hits = 0
        for k in span {
            if words.kinds[k] & PageWords.cjk != 0 { cjk += 1 }
            if functionWords.contains(words.hashes[k]) { hits += 1 }
        }
        block.wordCount = span.count - cjk + (cjk + 1) / 2
        block.charCount = block.text.characterCount
        if !span.isEmpty, functionWords.count > 0 { block.stopwordDensity = Double(hits) / Double(span.count) }
        var last = block.text.last
        if last == " " { last = block.text.trimmed.last }
        block.endsSentence = last.map { sentenceEnders.contains($0) } ?? false
        var punctuation = 0
        for u in block.text.unicodeScalars
        where u.value < 0x80
            ? (u == "." || u == "," || u == ";" || u == "!" || u == "?" || u == ":")
            : (u == "、" || u == "，" || u == "。" || u == "،" || u == "؛")
        { punctuation += 1 }
        block.sentencePunctuation = punctuation
    }
}

/// Classifies blocks as article or chrome from their own shape, then from their neighbours (jusText's idea).
enum BlockClassifier {
    /// Characters under which a block is "short" and decided by its context.
    static let shortLength = 70

    static func classify(_ blocks: inout [Block], hasStopwords: Bool) {
        for i in blocks.indices { blocks[i].label = initialLabel(blocks[i], hasStopwords: hasStopwords) }
        smooth(&blocks)
    }

    static func initialLabel(_ b: Block, hasStopwords: Bool) -> Block.Label {
        if b.linkDensity > 0.5 { return .bad }
        if b.markupPrior <= -2 { return .bad }
        if looksLikeBoilerplateLine(b.text) { return .bad }
        let cjkHeavy = b.wordCount > 0 && b.charCount < b.wordCount * 3
        let length = cjkHeavy ? b.charCount * 3 : b.charCount
        if length < shortLength {
            return b.linkDensity > 0.3 ? .bad : .short
        }
        // Long prose with inline links (a news paragraph citing its sources) is still prose; a list of links is not.
        let proseWithLinks = b.kind == .paragraph && length >= 200 && b.endsSentence && b.sentencePunctuation >= 2
        if b.linkDensity > (proseWithLinks ? 0.4 : 0.25) { return .bad }
        let sentenceLike = b.endsSentence || (b.sentencePunctuation >= 2 && b.wordCount >= 25)
        // Navigation runs: many words, no sentence punctuation at all.
        if b.sentencePunctuation == 0 && !b.endsSentence { return length > 300 ? .nearGood : .bad }
        if b.isBullet && !b.endsSentence && length < 200 { return .bad }
        let stopOK = !hasStopwords || cjkHeavy || b.stopwordDensity >= 0.12
        if sentenceLike && stopOK && (length >= 150 || b.wordCount >= 25) { return .good }
        if length >= 400 && stopOK && b.sentencePunctuation >= 3 { return .good }
        if sentenceLike && (stopOK || length >= 200) { return .nearGood }
        return length >= 250 && b.sentencePunctuation >= 2 ? .nearGood : .bad
    }

    /// Lines that are chrome whatever their neighbours: copyright notices and the like.
    static func looksLikeBoilerplateLine(_ text: String) -> Bool {
        let t = text.trimmed
        if t.hasPrefix("©") || t.hasPrefix("(c) ") || t.hasPrefix("Copyright") { return true }
        // "©" is C2 A9 in UTF-8.
        if t.utf8.count < 400, t.utf8.contains(0xA9), t.unicodeScalars.contains("©") { return true }
        if t.utf8.count < 500 {
            var t = t
            let notice = t.withUTF8 { bytes in
                // Every notice names the browser, JavaScript or how the page is best viewed: one pass looks for a
                // "b" or "j" that starts one of those, the phrases only where one is found.
                mentionsBrowser(bytes)
                    && browserNotices.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: bytes) != nil }
            }
            if notice { return true }
            if isCallToFollow(t) { return true }
            // A blog theme's canned line under every post (WordPress's default themes): "This entry was posted on
            // … and is filed under …. You can follow any responses to this entry through the RSS 2.0 feed."
            if t.hasPrefix("This entry was posted") || t.hasPrefix("You can follow any responses") {
                var t = t
                let canned = t.withUTF8 { bytes in
                    themeLines.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: bytes) != nil }
                }
                if canned { return true }
            }
        }
        return false
    }

    /// A line asking the reader to follow the site rather than telling the story: "Follow @desk for breaking
    /// news", "Sign up for free email updates…", "If you enjoyed this post, please consider … subscribing to the
    /// RSS feed", and WordPress.com's "Like this:" and "Share this:" headings. The call may follow a first short
    /// sentence ("Don't miss a post! Subscribe to our newsletter…", "Follow me on Twitter. Subscribe to new posts
    /// via RSS or email."). Read on bytes: this is asked of most short lines.
    static func isCallToFollow(_ t: String) -> Bool {
        if t == "Like this:" || t == "Share this:" { return true }
        if t.hasPrefix("Follow @") { return t.utf8.count < 200 }
        guard t.utf8.count < 300 else { return false }
        let enjoyed = t.hasPrefix("If you enjoyed this ") || t.hasPrefix("If you liked this ")
        var t = t
        return t.withUTF8 { bytes in
            // A sentence opens at the line's start and after ". ", "! " or "? ".
            var signUp = false
            var start = 0
            while !signUp {
                signUp = callOpenings.contains { Lexicon.matches(ignoringCase: $0, in: bytes, at: start) }
                var i = start
                while i + 1 < bytes.count
                    && !((bytes[i] == 0x2E || bytes[i] == 0x21 || bytes[i] == 0x3F) && bytes[i + 1] == 0x20)
                {
                    i += 1
                }
                guard i + 1 < bytes.count else { break }
                start = i + 2
            }
            guard signUp || enjoyed else { return false }
            return followChannels.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: bytes) != nil }
                || (enjoyed && Lexicon.firstIndex(ofIgnoringCase: subscribing, in: bytes) != nil)
        }
    }

    /// How a sentence asking the reader to sign up opens (lower case).
    private static let callOpenings = [
        "sign up for ", "subscribe to ", "subscribe for ", "follow me on ", "follow us on ",
    ].map { Array($0.utf8) }
    /// Where such a line sends the reader (lower case).
    private static let followChannels = [
        "newsletter", "email", "e-mail", "updates", "inbox", "rss", "feed", "twitter", "facebook",
    ].map { Array($0.utf8) }
    /// What "If you enjoyed this post" goes on to ask for.
    private static let subscribing = Array("subscrib".utf8)

    /// What a theme's line about a post's filing says, beside its opening (lower case).
    private static let themeLines = [
        "is filed under", "follow any responses to this entry", "bookmark the permalink",
    ].map { Array($0.utf8) }

    private static func mentionsBrowser(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let c = bytes[i] | 0x20
            if c == UInt8(ascii: "b") || c == UInt8(ascii: "j"),
                noticeWords.contains(where: { Lexicon.matches(ignoringCase: $0, in: bytes, at: i) })
            {
                return true
            }
            i += 1
        }
        return false
    }

    private static let noticeWords = ["browser", "javascript", "best viewed"].map { Array($0.utf8) }

    /// Notices about the reader's browser ("This page is best viewed in an up-to-date web browser with style
    /// sheets (CSS) enabled", "Please enable JavaScript"): the same on every page of a site, never its article.
    static let browserNotices: [[UInt8]] = [
        "best viewed in", "up-to-date web browser", "upgrade your browser", "outdated browser", "enable javascript",
        "javascript is disabled", "javascript enabled", "turn on javascript", "browser does not support",
    ].map { Array($0.utf8) }

    /// Context pass: short and near-good blocks take the class of their surroundings.
    static func smooth(_ blocks: inout [Block]) {
        let initial = blocks.map(\.label)
        // The nearest good-or-bad block on each side, with how many blocks and characters lie between.
        func neighbour(_ i: Int, step: Int, skipNearGood: Bool) -> (Block.Label, Int, Int) {
            var j = i + step
            var gap = 0
            var chars = 0
            while j >= 0 && j < blocks.count {
                let l = initial[j]
                if l == .good || l == .bad { return (l, gap, chars) }
                if l == .nearGood && !skipNearGood { return (l, gap, chars) }
                gap += 1
                chars += blocks[j].charCount
                j += step
            }
            return (.bad, gap, chars)
        }
        var result = initial
        for i in blocks.indices where initial[i] == .nearGood {
            let (p, pg, _) = neighbour(i, step: -1, skipNearGood: true)
            let (n, ng, _) = neighbour(i, step: 1, skipNearGood: true)
            // A near-good block needs a good neighbour close by (at most two short blocks between).
            let goodClose = (p == .good && pg <= 2) || (n == .good && ng <= 2)
            result[i] = goodClose ? .good : .bad
        }
        for i in blocks.indices where initial[i] == .short {
            let (p, _, _) = neighbour(i, step: -1, skipNearGood: true)
            let (n, _, _) = neighbour(i, step: 1, skipNearGood: true)
            if p == .good && n == .good {
                result[i] = .good
            } else if blocks[i].kind == .heading && n == .good && p != .bad {
                result[i] = .good
            } else {
                result[i] = .bad
            }
        }
        // A short block kept between good ones must itself have been between two kept blocks.
        for i in blocks.indices { blocks[i].label = result[i] }
    }
}

/// Every word of a page's blocks as the shape measures read it: its hash and two marks, 9 bytes a word where a
/// token record takes 32 (a forum page of 4 MB holds half a million words: 34 MB of records at its peak).
struct PageWords {
    /// Each word's hash (`TokenRecord.hash`), block after block.
    var hashes: [UInt64] = []
    /// Each word's marks: `cjk`, `short`.
    var kinds: [UInt8] = []
    /// Where each block's words lie in `hashes` and `kinds`.
    var spans: [Range<Int>] = []

    /// A CJK ideograph, kana or hangul syllable.
    static let cjk: UInt8 = 1
    /// Four bytes or fewer, not opening with a digit: a word that can be a function word.
    static let short: UInt8 = 2

    /// Adds the next block's words.
    mutating func append(_ records: [TokenRecord]) {
        spans.append(hashes.count..<(hashes.count + records.count))
        for r in records {
            hashes.append(r.hash)
            kinds.append((r.isCJK ? PageWords.cjk : 0) | (r.length <= 4 && !r.startsWithDigit ? PageWords.short : 0))
        }
    }
}

/// Function words learned from the text itself, backed by short built-in lists for common languages.
enum FunctionWords {
    /// The function words of a page whose blocks hold `words`: the built-in lists plus short words that recur
    /// across many blocks of this page.
    static func learn(from words: PageWords) -> HashMap64 {
        // Per short word: the lines it was seen on, and the last of them (so a line counts once).
        // Sized for the page: at most one entry per short word (a fixed 4096 meant zeroing 200 KB per page).
        let shortWords = words.kinds.reduce(0) { $0 + ($1 & PageWords.short != 0 ? 1 : 0) }
        var lineFrequency = HashMap64(capacity: min(4096, shortWords))
        var lastLine = HashMap64(capacity: min(4096, shortWords))
        for (n, line) in words.spans.enumerated() {
            let lineNumber = Int32(truncatingIfNeeded: n + 1)
            for k in line where words.kinds[k] & PageWords.short != 0 {
                let hash = words.hashes[k]
                let (last, inserted) = lastLine.value(for: hash, inserting: lineNumber)
                guard inserted || last != lineNumber else { continue }
                if !inserted { lastLine.set(hash, lineNumber) }
                lineFrequency.set(hash, (lineFrequency.get(hash) ?? 0) + 1)
            }
        }
        let threshold = max(4, words.spans.count / 6)
        var table = Lexicon.functionWordTable
        lineFrequency.forEach { w, n in if n >= threshold { table.set(w, 1) } }
        return table
    }

    /// True when the document's words are mostly in a script whose function words we know (Latin).
    static func applies(to lines: [String]) -> Bool {
        var latin = 0
        var other = 0
        var seen = 0
        let table = alphabeticBelow300
        // The first 4000 characters of the text (lines joined by a newline, which is no letter) decide.
        lines: for line in lines {
            for s in line.unicodeScalars {
                if seen == 4000 { break lines }
                seen += 1
                if s.value < 0x300 ? table[Int(s.value)] : s.properties.isAlphabetic {
                    if s.value < 0x250 { latin += 1 } else { other += 1 }
                }
            }
            seen += 1
        }
        return latin > other * 2
    }

    /// `isAlphabetic` of the scalars below U+0300, looked up once.
    private static let alphabeticBelow300: [Bool] = (UInt32(0)..<0x300).map {
        Unicode.Scalar($0)!.properties.isAlphabetic
    }
}
