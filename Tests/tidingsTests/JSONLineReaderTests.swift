import Foundation
import TestSupport
import Web
import XCTest

@testable import tidings

final class JSONLineReaderTests: XCTestCase {
    /// What the CLI writes is JSON any reader takes back to the same text, the JavaScript line separators
    /// escaped too.
    func testEscapedStringsReadBackExactly() throws {
        var rng = SeededGenerator(fallback: 7)
        let pieces = [
            "a", "bcdefgh", "\"", "\\", "\n", "\r", "\t", "/", "é", "東京", "😀", "\u{1}", "\u{1f}", "\u{7f}",
            "\u{2028}", "\u{2029}", "\u{2027}", "\u{e2}\u{80}", " ",
        ]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            var out = ""
            JSON.escape(text, into: &out)
            XCTAssertFalse(out.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" }, out)
            let back = try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed]) as? String
            XCTAssertEqual(back, text)
        }
    }

    /// Strings with quotes, backslashes, control characters, non-ASCII and surrogate pairs at every offset
    /// (the scanner looks eight bytes at a time) read back exactly as JSONSerialization wrote them.
    func testStringsReadBackExactly() throws {
        var rng = SeededGenerator(fallback: 8)
        let pieces = ["a", "bcdefgh", "\"", "\\", "\n", "\t", "/", "é", "東京", "😀", "\u{1}", " ", "12345678"]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            let line = try JSONSerialization.data(
                withJSONObject: ["id": 1, "text": text, "n": [1, [2]], "ok": true] as [String: Any])
            var bytes: [UInt8] = [9, 9]
            let values = try line.withUnsafeBytes {
                try JSONLineReader.members(
                    $0, ["text", "id", "ok", "n"].map { Array($0.utf8) }, utf8Member: [], into: &bytes)
            }
            XCTAssertEqual(values, [.string(text), .number("1"), .bool(true), .other])
            XCTAssertEqual(bytes, [], "no member read as bytes: the buffer is emptied")
            // The member read as bytes gives the same text, and the other members as before.
            let other = try line.withUnsafeBytes {
                try JSONLineReader.members(
                    $0, ["text", "id"].map { Array($0.utf8) }, utf8Member: Array("text".utf8), into: &bytes)
            }
            XCTAssertEqual(bytes, Array(text.utf8))
            XCTAssertEqual(other, [nil, .number("1")])
        }
        // Only the members asked for are read, by position; the others (strings with escapes, nested values)
        // are stepped over; a member name with escapes is matched decoded.
        let mixed = #"{"skip": "a\"b\\", "n": {"x": ["}", "\""]}, "t\u0069tle": "T", "text": "x\ny", "id": 7}"#
        var body: [UInt8] = [1]
        let values = try Data(mixed.utf8).withUnsafeBytes {
            try JSONLineReader.members(
                $0, [Array("id".utf8), Array("title".utf8), Array("url".utf8)], utf8Member: Array("text".utf8),
                into: &body)
        }
        XCTAssertEqual(values, [.number("7"), .string("T"), nil])
        XCTAssertEqual(body, Array("x\ny".utf8))
        _ = try Data(#"{"id": 1}"#.utf8).withUnsafeBytes {
            try JSONLineReader.members($0, [], utf8Member: Array("text".utf8), into: &body)
        }
        XCTAssertEqual(body, [], "no text member: the buffer is emptied")
        XCTAssertThrowsError(
            try Data(#"{"skip": "never closed}"#.utf8).withUnsafeBytes {
                try JSONLineReader.members($0, [], utf8Member: [], into: &body)
            })
        let escaped = #"{"t": "caf\u00e9 \ud83d\ude00 \"q\" a\\b"}"#
        XCTAssertEqual(
            try Data(escaped.utf8).withUnsafeBytes {
                try JSONLineReader.members($0, [Array("t".utf8)], utf8Member: [], into: &body)
            },
            [.string("café 😀 \"q\" a\\b")])
        XCTAssertThrowsError(
            try Data(#"{"t": "never closed"#.utf8).withUnsafeBytes {
                try JSONLineReader.members($0, [Array("t".utf8)], utf8Member: [], into: &body)
            })
    }
}
