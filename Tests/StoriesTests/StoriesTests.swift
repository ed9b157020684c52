import Foundation
import XCTest

@testable import Lexicon
@testable import Stories

struct Seed: Decodable {
    let file: String
    let title: String
    let body: String
}

func seeds() throws -> [Seed] {
    let url = Bundle.module.url(forResource: "Fixtures/seeds-expected", withExtension: "json")!
    return try JSONDecoder().decode([Seed].self, from: Data(contentsOf: url))
}

let june19 = Date(timeIntervalSince1970: 1_718_805_960)

final class CanonicalURLTests: XCTestCase {
    func testTrackingAndSpellingVariantsCollapse() {
        let c = URLCanonicalizer.canonical
        let base = c("https://example.com/news/story-1")
        XCTAssertEqual(c("HTTP://WWW.Example.com:80/news/story-1/?utm_source=rss&utm_medium=feed#comments"), base)
        XCTAssertEqual(c("https://example.com/news/story-1?fbclid=abc&gclid=def"), base)
        XCTAssertEqual(c("https://m.example.com/news/story-1/amp"), base)
        XCTAssertEqual(c("https://amp.example.com/news/story-1.amp"), base)
        XCTAssertEqual(c("https://example.com/news/story-1?b=2&a=1"), c("https://example.com/news/story-1?a=1&b=2"))
        XCTAssertNotEqual(c("https://example.com/news/story-1?id=7"), base, "meaningful parameters stay")
        XCTAssertNotEqual(c("https://example.com/news/story-2"), base)
    }
}

final class CanonicalURLFastPathTests: XCTestCase {
    /// Random addresses built from every part the canonical form touches: where the byte-level path answers,
    /// it answers exactly as Foundation's parser does; it answers for the common shapes.
    func testPlainAddressesMatchTheGeneralParser() {
        var rng = SystemRandomNumberGenerator()
        func pick(_ xs: [String]) -> String { xs.randomElement(using: &rng)! }
        var answered = 0
        for _ in 0..<20_000 {
            let scheme = pick(["http", "https", "HTTPS", "Http", "ftp", "htp"])
            let host =
                pick(["", "www.", "m.", "amp.", "WWW.", "www1.", "mobile."])
                + pick([
                    "example.com", "Example.COM", "a.io", "news.example.co.uk", "x.y", "exa_mple.com", "bücher.de",
                    "1.2.3.4",
                ])
                + pick(["", "", ".", ".."])
            let port = pick(["", "", ":80", ":443", ":8080", ":0443", ":", ":99999"])
            let path = pick([
                "", "/", "/news/story-1", "/news/story-1/", "/a//", "/amp/story", "/story/amp", "/story.amp",
                "/index.html",
                "/a/b/index.php", "/p;x=1", "/a:b", "/~user/(x)", "/100%25", "/a b", "/ü", "/a'b", "/@me",
                "/a+b,c*d!e$",
            ])
            var query = ""
            if Bool.random(using: &rng) {
                let items = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    pick([
                        "a=1", "b=2", "utm_source=rss", "fbclid=x", "id=7", "flag", "x=", "Z=9", "a=b=c", "q=a+b",
                        "q=%20", "=v", "", "r=a/b?c", "k=v;w",
                    ])
                }
                query = "?" + items.joined(separator: pick(["&", "&", "&&"]))
            }
            let fragment = pick(["", "", "#top", "#", "#a b", "#x?y"])
            let url = scheme + "://" + host + port + path + query + fragment
            guard let fast = URLCanonicalizer.plainCanonical(url) else { continue }
            answered += 1
            XCTAssertEqual(fast, URLCanonicalizer.general(url), url)
        }
        XCTAssertGreaterThan(answered, 2_000)
        XCTAssertNotNil(
            URLCanonicalizer.plainCanonical("https://www.example.com/news/2024/06/19/story-1?utm_source=rss&id=7#c"))
    }
}

final class StoryIndexTests: XCTestCase {
    func doc(
        _ id: String, _ text: String, url: String? = nil, title: String? = nil, hours: Double = 0
    ) -> ClusterDocument {
        ClusterDocument(id: id, url: url, title: title, text: text, published: june19.addingTimeInterval(hours * 3600))
    }

    func testSeedPagesFormOneStory() throws {
        let index = StoryIndex()
        let stories = try seeds().enumerated().map { i, s in index.assign(doc(s.file, s.body, hours: Double(i))).story }
        XCTAssertEqual(Set(stories).count, 1, "five reports of one event are one story")
    }

    func testSameURLAndSameTextJoin() throws {
        let s = try seeds()[0]
        let index = StoryIndex()
        let first = index.assign(doc("a", s.body, url: "https://news.example/a?utm_source=x"))
        let byURL = index.assign(doc("b", "Completely different words here.", url: "https://www.news.example/a#top"))
        XCTAssertEqual(byURL.story, first.story)
        XCTAssertEqual(byURL.reason, .sameURL)
        let byText = index.assign(doc("c", s.body, url: "https://mirror.example/other"))
        XCTAssertEqual(byText.story, first.story)
        XCTAssertEqual(byText.reason, .sameText)
    }

    /// Past the words read, a long article's copy is the same text only if it is as long; a copy with another
    /// ending is still a copy.
    func testLongArticlesAreComparedOnTheirScannedWords() throws {
        let long = (0..<(3 * StoryIndex.scannedWords)).map { "mot\($0 % 997) terme\($0 / 7)" }.joined(separator: " ")
        let index = StoryIndex()
        let first = index.assign(doc("a", long, url: "https://one.example/a"))
        let same = index.assign(doc("b", long, url: "https://two.example/b"))
        XCTAssertEqual(same.story, first.story)
        XCTAssertEqual(same.reason, .sameText)
        let otherEnding = index.assign(
            doc("c", long + " Mise à jour : la préfecture a levé l'alerte.", url: "https://three.example/c"))
        XCTAssertEqual(otherEnding.story, first.story)
        XCTAssertEqual(otherEnding.reason, .nearCopy, "not the same text: it is longer")
    }

    func testCopyWithOtherChromeJoins() throws {
        let s = try seeds()[3]
        let index = StoryIndex()
        let first = index.assign(doc("orig", s.body))
        let copy =
            "Share this article. Advertisement. " + s.body
            + " Related: five things to know before you travel this summer. © 2024 Aggregator Inc."
        let a = index.assign(doc("copy", copy, url: "https://aggregator.example/x"))
        XCTAssertEqual(a.story, first.story)
    }

    func testUnrelatedStoriesStayApart() throws {
        let index = StoryIndex()
        let seed = index.assign(doc("seed", try seeds()[0].body))
        let other = index.assign(
            doc(
                "other",
                """
                La municipalité a annoncé mardi la fermeture de la piscine olympique pour des travaux de rénovation qui \
                dureront au moins dix-huit mois. Les clubs de natation seront accueillis dans les bassins des communes voisines, \
                et les horaires du public seront réduits pendant toute la durée du chantier, selon l'adjointe aux sports.
                """))
        XCTAssertNotEqual(seed.story, other.story)
        XCTAssertEqual(other.reason, .newStory)
    }

    /// One outlet rarely reports one event twice: its own unrelated short posts on one topic stay apart.
    func testSameSourceNeedsMoreThanTopicalOverlap() throws {
        let index = StoryIndex()
        let a = index.assign(
            ClusterDocument(
                id: "a", url: "https://blog.example/awesome#restic", source: "blog.example",
                title: "Restic",
                text:
                    "Restic is the tool you should be using for your backups: you can always restore, it deduplicates, it encrypts, and it works with every storage backend I have tried, from a USB disk to object storage. Snapshots are cheap, pruning is predictable, and the repository format is documented well enough that I trust I could read my data back even if the project disappeared tomorrow.",
                published: june19))
        let b = index.assign(
            ClusterDocument(
                id: "b", url: "https://blog.example/awesome#excalidraw", source: "blog.example",
                title: "Excalidraw",
                text:
                    "Excalidraw is amazing. It is very simple, it does not have all the features of other drawing tools, but the hand-drawn look makes every architecture diagram I draw with it friendlier to read. Collaboration works in the browser without an account, the files are plain JSON that live happily in a git repository, and the library of shapes people share covers most of what a whiteboard session needs.",
                published: june19))
        XCTAssertNotEqual(a.story, b.story, "a shared URL up to the #fragment is not enough when the texts disagree")
    }

    func testNameKeysAbsorbTransliterations() {
        XCTAssertEqual(Lexicon.nameSkeleton("Poutine"), Lexicon.nameSkeleton("Putin"))
        XCTAssertEqual(Lexicon.nameSkeleton("Zelensky"), Lexicon.nameSkeleton("Zelenskyy"))
        XCTAssertEqual(Lexicon.nameSkeleton("Corée"), Lexicon.nameSkeleton("Korea"))
        XCTAssertNotEqual(Lexicon.nameSkeleton("Moscou"), Lexicon.nameSkeleton("Madrid"))
    }

    /// Two games the same night, two stories about one team the same week: same topic, different events.
    func testSameTopicDifferentEventsStayApart() throws {
        struct Report: Decodable {
            let id: String
            let topic: String
            let url: String
            let published: String
            let text: String
        }
        let url = Bundle.module.url(forResource: "Fixtures/same-topic", withExtension: "json")!
        let reports = try JSONDecoder().decode([Report].self, from: Data(contentsOf: url))
        XCTAssertEqual(reports.count, 4)
        let index = StoryIndex()
        for r in try seeds() { _ = index.assign(doc(r.file, r.body)) }  // some history in the stream
        let iso = ISO8601DateFormatter()
        let stories = reports.map {
            index.assign(
                ClusterDocument(id: $0.id, url: $0.url, text: $0.text, published: iso.date(from: $0.published))
            ).story
        }
        XCTAssertEqual(Set(stories).count, 4, "each game and each Browns story is its own story")
    }

    func testStoriesCloseAfterTheWindow() throws {
        let s = try seeds()
        let index = StoryIndex(settings: ClusterSettings(windowHours: 48))
        let first = index.assign(doc("a", s[0].body))
        let later = index.assign(doc("b", s[4].body, hours: 24 * 30))
        XCTAssertNotEqual(first.story, later.story, "a month later, the same words are a new story")
    }

    func testRestoreContinuesNumberingAndMembership() throws {
        let s = try seeds()
        let index = StoryIndex()
        index.restore(doc("a", s[0].body), story: 41)
        index.continueNumbering(after: 41)
        XCTAssertEqual(index.assign(doc("b", s[1].body, hours: 1)).story, 41)
        let unrelated = index.assign(
            doc(
                "c",
                "Le conseil municipal a voté le budget de la piscine et des écoles pour l'année prochaine, avec une hausse des investissements dans les quartiers nord de la ville."
            ))
        XCTAssertEqual(unrelated.story, 42)
    }
}

final class TokenizerTests: XCTestCase {
    /// Every word's hash, whichever path the tokenizer took (whole ASCII word, mixed word, accented letters),
    /// is the hash of the word folded the slow way.
    func testFastPathsHashLikeTheReference() {
        let words = [
            "a", "Go", "the", "Paris", "PYONGYANG", "abcdefgh", "Abcdefghi", "sixteenletterss1",
            "seventeenletters2", "2024", "x86", "café", "Corée", "Jong-un", "naïve", "Zürich", "Poutine",
            "l'accord", "Ångström", String(repeating: "long", count: 30),
        ]
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        for sentence in [words.joined(separator: " "), words.joined(separator: ", "), words.joined(separator: "\n")] {
            tokenizer.tokenize(sentence, into: &records, names: true)
            let expected = words.flatMap { Lexicon.words($0) }.map { Lexicon.hash(Lexicon.fold($0)) }
            XCTAssertEqual(records.map(\.hash), expected, sentence)
        }
        tokenizer.tokenize("Pyong\u{AD}yang Pyongyang", into: &records, names: true)
        XCTAssertEqual(
            records.map(\.hash), [Lexicon.hash("pyongyang"), Lexicon.hash("pyongyang")], "a soft hyphen is folded away")
        tokenizer.tokenize("Paris", into: &records, names: true)
        XCTAssertEqual(records.first?.flags, 1 | 2, "capitalized, opens the text")
        XCTAssertNotEqual(records.first?.nameKey, 0)
    }

    /// Random text mixing every path (long and short ASCII words at every alignment, accented and CJK letters,
    /// digits, punctuation, text ends inside a word): each word's hash, shape and name key are the reference's.
    func testRandomTextMatchesTheReference() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "a", "Go", "the", "Paris", "PYONGYANG", "abcdefgh", "Abcdefghijklmnopq", "x86", "2024", "café",
            "Corée", "naïve", "Zürich", "東京", "ソウル", "Kim", "Jong", "un", "l", "Poutine", "ÉTÉ", "Ångström",
            String(repeating: "z", count: 70), "@", "[", "`", "{", "Πουτιν", "ΠΟΥΤΙΝ", "Путин", "ПУТИН", "بوتين",
            "פוטין", "ΕΛΛΑΔΑ",
        ]
        let separators = [
            " ", "  ", ", ", ". ", "\n", "-", "'", "’", "!", "? ", "\t", "/", ":", ";", "«", "»", "—", "… ", "“", "؟ ",
            "، ",
        ]
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                text += pieces.randomElement(using: &rng)!
                if Int.random(in: 0..<4, using: &rng) > 0 { text += separators.randomElement(using: &rng)! }
            }
            if Bool.random(using: &rng) { text += pieces.randomElement(using: &rng)! }  // ends inside a word
            tokenizer.tokenize(text, into: &records, names: true)
            let words = Lexicon.words(text).filter { !$0.contains("_") }
            XCTAssertEqual(records.map(\.hash), words.map { Lexicon.hash(Lexicon.fold($0)) }, text)
            guard records.count == words.count else { continue }
            // Sentence starts: the first word, and any word after . ! ? or a line break (CJK characters never).
            var opens = true
            var previousEnd = text.startIndex
            for (r, w) in zip(records, words) {
                if text[previousEnd..<w.startIndex].contains(where: { ".!?\n…؟".contains($0) }) { opens = true }
                XCTAssertEqual(r.sentenceInitial, opens && !r.isCJK, "\(w) in \(text)")
                opens = false
                previousEnd = w.endIndex
            }
            for (r, w) in zip(records, words) {
                let capitalized = w.first!.isUppercase
                XCTAssertEqual(r.capitalized, capitalized, "\(w) in \(text)")
                let folded = Lexicon.fold(w)
                let key =
                    capitalized && folded.utf8.count >= 3
                    ? Lexicon.hash(Lexicon.nameSkeleton(folded)) ^ 0x5bd1_e995_5bd1_e995 : 0
                // Keys see 64 bytes.
                if !r.isCJK && folded.utf8.count <= 64 { XCTAssertEqual(r.nameKey, key, "\(w) in \(text)") }
            }
        }
    }

    /// Splitting words scalar by scalar, where that is allowed, gives exactly the grapheme-based answer; text
    /// with combining marks, joiners, emoji or CJK goes the general way.
    func testPlainWordsAgreeWithGraphemeWords() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "word", "Ünïcödé", "x_y", "42", " ", "\r\n", "’", "—", "…", "\u{2060}", "e\u{301}", "\u{200D}", "👍🏽",
            "東京", "ß", "ǅ", "ª", "²", "½", "\u{AD}", "\t", "İ", "\u{2028}", "a\u{200C}b", "Ελλάδα", "Путин",
            "بوتين", "كِتَاب", "\u{600}١٢", "פוטין", "שָׁלוֹם", "\u{61C}", "،", "\u{670}",
        ]
        var plain = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            if let fast = Lexicon.plainWords(text) {
                plain += 1
                XCTAssertEqual(fast, Lexicon.graphemeWords(text), text.debugDescription)
            }
            XCTAssertEqual(Lexicon.words(text), Lexicon.graphemeWords(text), text.debugDescription)
        }
        XCTAssertGreaterThan(plain, 100)
    }

    /// The function-word hashes built by table at start-up are the hashes of the words' full folds, and the
    /// tokenizer gives the same hash for each word as it reads it from text.
    func testFunctionWordHashesAreTheFoldedWords() {
        XCTAssertEqual(Lexicon.functionWordHashes, Set(Lexicon.functionWords.map { Lexicon.hash(Lexicon.fold($0)) }))
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        tokenizer.tokenize(Lexicon.functionWords.sorted().joined(separator: " ").uppercased(), into: &records)
        XCTAssertEqual(Set(records.map(\.hash)), Lexicon.functionWordHashes)
    }
    /// The one-pass form gives every word's hash and the first words' details.
    func testDetailedPrefixAndAllHashes() {
        let text = (0..<1000).map { "Word\($0)" }.joined(separator: " ")
        var records: [TokenRecord] = []
        var hashes: [UInt64] = []
        Tokenizer().tokenize(text, into: &records, detailed: 400, hashes: &hashes)
        XCTAssertEqual(hashes.count, 1000)
        XCTAssertEqual(records.count, 400)
        XCTAssertEqual(records.map(\.hash), Array(hashes.prefix(400)))
        XCTAssertEqual(hashes[999], Lexicon.hash("word999"))
        // The densest texts (one-letter words, CJK between letters) still give every word.
        for (dense, count) in [
            (String(repeating: "a ", count: 999) + "a", 1000), (String(repeating: "a東", count: 1000), 2000),
            (String(repeating: "l'", count: 1000), 1000), ("x", 1), ("", 0),
        ] {
            Tokenizer().tokenize(dense, into: &records, detailed: 400, hashes: &hashes)
            XCTAssertEqual(hashes.count, count, String(dense.prefix(10)))
            XCTAssertEqual(records.count, min(count, 400))
        }
    }

    func testLimitStopsTheScan() {
        let text = (0..<1000).map { "Word\($0)" }.joined(separator: " ")
        var records: [TokenRecord] = []
        var hashes: [UInt64] = []
        text.utf8CString.withUnsafeBufferPointer { c in
            c.withMemoryRebound(to: UInt8.self) { bytes in
                Tokenizer().tokenize(
                    utf8: UnsafeBufferPointer(rebasing: bytes.dropLast()), into: &records, detailed: 400,
                    hashes: &hashes, limit: 250)
            }
        }
        XCTAssertEqual(hashes.count, 250)
        XCTAssertEqual(records.count, 250)
        XCTAssertEqual(hashes.last, Lexicon.hash("word249"))
    }
}

final class VocabularyTests: XCTestCase {
    /// Months of articles with words of their own: the vocabulary stays bounded, and a story still open when
    /// the vocabulary is compacted keeps its articles' later copies.
    func testVocabularyFollowsTheWindow() {
        let index = StoryIndex(settings: ClusterSettings(windowHours: 24))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var peak = 0
        for day in 0..<120 {
            for n in 0..<40 {
                // Each article has 60 words nobody else uses, so only compaction can bound the vocabulary.
                let own = (0..<60).map { "w\(day)x\(n)y\($0)" }.joined(separator: " ")
                let text = "Officials in Region\(day) reported event number \(n) today. " + own
                _ = index.assign(
                    ClusterDocument(
                        id: "\(day)-\(n)", title: "Event \(n) of day \(day)", text: text,
                        published: start.addingTimeInterval(Double(day) * 86_400 + Double(n) * 60)))
            }
            peak = max(peak, index.vocabularySize)
        }
        XCTAssertLessThan(
            peak, 2 * StoryIndex.vocabularyFloor + 20_000, "120 days × 2 400 new words would be 288 000 terms")
        let last = Date(timeIntervalSince1970: 1_700_000_000 + 119 * 86_400 + 39 * 60)
        let text =
            "Officials in Region119 reported event number 39 today. "
            + (0..<60).map { "w119x39y\($0)" }.joined(separator: " ")
        let copy = index.assign(ClusterDocument(id: "again", title: "Event 39 of day 119", text: text, published: last))
        XCTAssertEqual(copy.reason, .sameText, "the open story still matches after compactions")
        // The same words in another order share no shingle: only the (remapped) term vectors can match them.
        let reordered = (0..<60).reversed().map { "w119x39y\($0)" }.joined(separator: " ")
        let rewrite = index.assign(
            ClusterDocument(id: "rewrite", title: "Day 119: event 39", text: reordered, published: last))
        XCTAssertEqual(rewrite.story, copy.story)
        XCTAssertEqual(rewrite.reason, .sameEvent)
    }
}

final class TermSelectionTests: XCTestCase {
    /// The quickselect that keeps an article's strongest terms keeps exactly the k largest, ties and all.
    func testSelectLargestKeepsTheKLargest() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<500 {
            let n = Int.random(in: 1...400, using: &rng)
            let range: ClosedRange<UInt64> = trial % 3 == 0 ? 0...20 : 0...UInt64.max  // small ranges: many ties
            var keys = (0..<n).map { _ in UInt64.random(in: range, using: &rng) }
            let k = Int.random(in: 0...n + 2, using: &rng)
            let expected = Array(keys.sorted(by: >).prefix(k))
            keys.withUnsafeMutableBufferPointer { TermSpace.selectLargest(min(k, n), in: $0) }
            XCTAssertEqual(Array(keys.prefix(min(k, n))).sorted(by: >), expected, "n \(n) k \(k)")
        }
    }
}

final class TermTableTests: XCTestCase {
    /// A centroid table answers like a dictionary through growth, pruning and renumbering.
    func testTermWeightsAgreeWithADictionary() {
        var rng = SystemRandomNumberGenerator()
        var table = TermWeights()
        var reference: [Int32: Float] = [:]
        for _ in 0..<5000 {
            let t = Int32.random(in: 0..<3000, using: &rng)
            let w = Float.random(in: 0..<1, using: &rng)
            table.add(t, w)
            reference[t, default: 0] += w
        }
        XCTAssertEqual(table.count, reference.count)
        for t in Int32(0)..<3100 { XCTAssertEqual(table[t], reference[t] ?? 0, accuracy: 1e-4) }
        table.keepStrongest(200)
        let strongest = reference.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(
            200)
        XCTAssertEqual(table.count, 200)
        for (t, w) in strongest { XCTAssertEqual(table[t], w, accuracy: 1e-4) }
        let remap = (0..<3100).map { Int32(3099 - $0) }
        let renumbered = table.renumbered(remap)
        for (t, w) in strongest { XCTAssertEqual(renumbered[remap[Int(t)]], w, accuracy: 1e-4) }
        var sum: Float = 0
        renumbered.forEach { _, w in sum += w * w }
        XCTAssertEqual(renumbered.norm, sum.squareRoot(), accuracy: 1e-4)
    }

    /// The id multimap answers like a dictionary of arrays through growth and removals: every key's ids, in
    /// the order added. Few distinct keys with many collisions, so runs are long and backward shifts cross
    /// the table's end.
    func testKeyedIDsAgreeWithADictionaryOfArrays() {
        var rng = SystemRandomNumberGenerator()
        var table = KeyedIDs()
        var reference: [UInt64: [Int64]] = [:]
        let keys = (0..<300).map { _ in UInt64.random(in: 1...UInt64.max, using: &rng) }
        for step in 0..<20000 {
            let key = keys.randomElement(using: &rng)!
            if Bool.random(using: &rng) || reference[key, default: []].isEmpty {
                let id = Int64(step + 1)
                table.insert(key, id)
                reference[key, default: []].append(id)
            } else {
                let id = reference[key]!.randomElement(using: &rng)!
                table.remove(key, id)
                reference[key]!.removeAll { $0 == id }
            }
            if step % 997 == 0 {
                for k in keys {
                    var got: [Int64] = []
                    table.forEach(k) { got.append($0) }
                    XCTAssertEqual(got, reference[k] ?? [])
                    XCTAssertEqual(table.first(k), reference[k]?.first)
                }
            }
        }
        XCTAssertEqual(table.count, reference.values.map(\.count).reduce(0, +))
        table.remove(12345, 1)  // absent: nothing happens
        XCTAssertEqual(table.count, reference.values.map(\.count).reduce(0, +))
    }

    /// Deadlines come out earliest first, only those before the limit.
    func testDeadlinesPopInTimeOrder() {
        var rng = SystemRandomNumberGenerator()
        var d = Deadlines()
        let times = (0..<2000).map { _ in Double.random(in: 0..<1000, using: &rng) }
        for (i, t) in times.enumerated() { d.push(t, Int64(i + 1)) }
        var popped: [Double] = []
        while let (t, _) = d.popBefore(500) { popped.append(t) }
        XCTAssertEqual(popped, times.filter { $0 < 500 }.sorted())
        XCTAssertEqual(d.count, times.filter { $0 >= 500 }.count)
    }

    /// An article's terms: content words once each (as their six-letter stems) in order of first use with summed
    /// weights, function words and short words left out, a name inside a sentence also counted by its key at half
    /// weight; the counter starts afresh.
    func testTermCounterSumsByTermInFirstUseOrder() {
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        tokenizer.tokenize(
            "The summit in Pyongyang. Talks in Pyongyang went on, said Putin", into: &records, names: true)
        var counter = TermCounter()
        let terms = counter.terms(body: records, title: [])
        let h = { (w: String) in Lexicon.hash(Lexicon.fold(String(w.prefix(TokenView.stemCharacters)))) }
        let key = { (w: String) in Lexicon.hash(Lexicon.nameSkeleton(w)) ^ 0x5bd1_e995_5bd1_e995 }
        let expected: [(UInt64, Float)] = [
            (h("summit"), 1), (h("pyongyang"), 2), (key("pyongyang"), 1), (h("talks"), 1),
            (h("went"), 1), (h("putin"), 1), (key("putin"), 0.5),
        ]
        XCTAssertEqual(terms.map(\.hash), expected.map(\.0))
        XCTAssertEqual(terms.map(\.weight), expected.map(\.1))
        // The counter starts afresh; a title word counts three times and its name key wherever it stands.
        XCTAssertEqual(counter.terms(body: [], title: [records[1]]).map(\.weight), [3])
        XCTAssertEqual(counter.terms(body: [records[3]], title: [records[3]]).map(\.weight), [1 + 3, 0.5 + 1.5])
        // Many distinct terms: the counter grows and keeps them all.
        tokenizer.tokenize((0..<3000).map { "term\($0)" }.joined(separator: " "), into: &records)
        XCTAssertEqual(counter.terms(body: records, title: []).count, 3000)
    }
}
