import Foundation
import XCTest

@testable import Markup

/// The quick character count agrees with `String.count` everywhere.
final class CharacterCountTests: XCTestCase {
    func testBoundsAndNumbersAgreeWithCharacters() {
        for (text, n) in [
            ("", 0), ("abc", 3), ("abc", 2), ("e\u{301}e\u{301}", 2), ("e\u{301}e\u{301}", 1), ("👨‍👩‍👧x", 2), ("日本語", 3),
        ] {
            XCTAssertEqual(text.hasAtMost(n), text.count <= n, "\(text) \(n)")
        }
        for text in ["no digits here", "year 2024", "٣ أيام", "½ cup", "Ⅻ", "plain café"] {
            XCTAssertEqual(text.containsNumber, text.contains(where: \.isNumber), text)
        }
    }

    func testAgreesWithCount() throws {
        var samples = [
            "", "plain ASCII text", "café crème, Größe, ñandú", "line\r\nbreak\n\r", "Привет, мир", "שלום עולם",
            "مرحبا بالعالم", "مَرْحَبًا", "日本語のテキスト、カタカナ", "한국어 텍스트", "한", "e\u{301}", "👍🏽 family 👨‍👩‍👧",
            "🇫🇷", "ภาษาไทย", "हिन्दी", "ﾃｽﾄﾞ", "™\u{FE0F}", "soft\u{AD}hyphen", "a\u{200D}b",
        ]
        // Every line of the evaluation's page text dumps (many languages), when the shared data is beside us.
        let dumps = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/eval/extraction/data/text")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: dumps.path)) ?? [] {
            let text = try String(contentsOf: dumps.appendingPathComponent(file), encoding: .utf8)
            samples += text.split(separator: "\n").map(String.init)
        }
        for s in samples { XCTAssertEqual(s.characterCount, s.count, s.debugDescription) }
    }
}
