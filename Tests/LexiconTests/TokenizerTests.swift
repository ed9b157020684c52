import Foundation
import TestSupport
import XCTest

@testable import Lexicon

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
        var rng = SeededGenerator(fallback: 9)
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
        var rng = SeededGenerator(fallback: 10)
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
