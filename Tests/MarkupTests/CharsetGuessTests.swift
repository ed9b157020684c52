import Foundation
import TestSupport
import XCTest

@testable import Markup

/// A charset guess scores each candidate decoding; the score is read on bytes, skipping runs of ASCII, and must be
/// exactly the score read scalar by scalar.
final class CharsetGuessTests: XCTestCase {
    func testTheByteScoreIsTheScalarScore() {
        var random = SeededGenerator(fallback: 0xC4A5_E7)
        let pieces = [
            "<item><title>", "café ", "Привет мир ", "日本語のテキスト", "\u{301}", "e\u{301}", "Ã©", "â€™", "¡¿", "€",
            "ภาษาไทย", "שלום", "مرحبا", "αβγ", "\u{FFFD}", "\u{E000}", "╔═╗", "≤", " ", "\n", "plain ASCII words ",
            "x", "🙂",
        ]
        for round in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...30, using: &random) { text += pieces.randomElement(using: &random)! }
            XCTAssertEqual(Charset.plausibility(text), scalarScore(text), "round \(round): \(text)")
        }
    }

    /// A charset of one byte a character is scored from its table: exactly its decoding's score, and nil where
    /// iconv cannot decode the bytes.
    func testSingleByteTablesScoreAsTheirDecodings() {
        var random = SeededGenerator(fallback: 0x5B_7AB1E)
        XCTAssertEqual(Charset.singleByteTables.count, 6, "every single-byte candidate but windows-1255 has its table")
        let words = ["The ", "news ", "<p>", "</p>", "\n", "a", "Z"].map { Array($0.utf8) }
        for round in 0..<1500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                if Bool.random(using: &random) {
                    bytes.append(UInt8.random(in: 0x80...0xFF, using: &random))
                } else {
                    bytes += words.randomElement(using: &random)!
                }
            }
            let data = Data(bytes)
            for (charset, table) in Charset.singleByteTables {
                let expected = Charset.decode(data, from: charset).map { Charset.plausibility($0) }
                let scored = data.withUnsafeBytes { Charset.plausibility(bytes: $0, table: table) }
                XCTAssertEqual(scored, expected, "round \(round), \(charset)")
            }
        }
    }

    func testDecodingAndGuessingStillWork() {
        let latin1 = Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0xFC, 0x62, 0x65, 0x72, 0x20, 0x61, 0x6C, 0x6C, 0x65, 0x73])
        XCTAssertEqual(Charset.decode(latin1, from: "windows-1252"), "Café über alles")
        XCTAssertEqual(Charset.decode(Data(), from: "windows-1252"), "")
        XCTAssertNil(Charset.decode(latin1, from: "no-such-charset"))
        XCTAssertEqual(
            Charset.guess(Data("Привет, как дела? Это русский текст.".data(using: .windowsCP1251)!)), "windows-1251")
        XCTAssertNil(Charset.guess(Data("already UTF-8: café".utf8)))
    }

    /// The guess's score as it was first written, scalar by scalar through `unicodeScalars`: the reference.
    private func scalarScore(_ text: String) -> Double {
        var score = 0.0
        var letters = 0
        var count = 0
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            // A combining mark belongs to the character before it, as one character of the text.
            if v >= 0x300, Charset.isCombining(scalar) { continue }
            count += 1
            defer { previous = v }
            if v < 0x80 {
                if Charset.isASCIILetter(v), Charset.isAlphabeticScript(previous) {
                    score += Charset.isLatin(previous) ? 1 : -3
                }
                continue
            }
            // A letter inside a word of ASCII letters: an accent (café) in a Latin decoding, nonsense (cafй) in others.
            if Charset.isASCIILetter(previous), Charset.isAlphabeticScript(v) { score += Charset.isLatin(v) ? 1 : -3 }
            if Charset.frequentScalars.contains(v) { score += 2 }
            if Charset.isLetter(scalar) {
                letters += 1
                score += 0.5
            }
            if (0x80...0xBF).contains(v)
                || (0x2000...0x206F).contains(v) && v != 0x2026 && v != 0x2013 && v != 0x2014 && v != 0x2019
                    && v != 0x201C && v != 0x201D
            {
                score -= 2  // C1 controls, Latin-1 symbols (¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿) and stray punctuation
            }
            if (0xC0...0xDE).contains(v) && v != 0xD7 { score -= 0.5 }  // ÀÁÂÃÄÅ… in bulk means mojibake
            if (0xE000...0xF8FF).contains(v) || v == 0xFFFD { score -= 3 }  // private use, replacement
            if (0x2500...0x25FF).contains(v) || (0x2218...0x2265).contains(v) || (0x2320...0x2321).contains(v) {
                score -= 3  // box drawing and maths: what CJK bytes look like read as KOI8-R
            }
        }
        return letters == 0 ? score : score / Double(max(1, count)) * 100
    }
}
