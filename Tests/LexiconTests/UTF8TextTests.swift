import TestSupport
import XCTest

@testable import Lexicon

/// `String(utf8:)` skips the standard library's validation only where its own check proved the bytes well-formed:
/// it must make exactly the String `String(decoding:as:)` makes, on every input.
final class UTF8TextTests: XCTestCase {
    private func assertSame(_ bytes: [UInt8], _ message: String = "", line: UInt = #line) {
        let expected = String(decoding: bytes, as: UTF8.self)
        let made = String(utf8: bytes)
        XCTAssertEqual(made, expected, message, line: line)
        XCTAssertEqual(Array(made.utf8), Array(expected.utf8), message, line: line)
        XCTAssertEqual(made.count, expected.count, message, line: line)
        let wellFormed = Array(expected.utf8) == bytes
        let form = bytes.withUnsafeBufferPointer { UTF8Text.form(of: $0) }
        XCTAssertEqual(form != .illFormed, wellFormed, "\(message) \(bytes)", line: line)
        XCTAssertEqual(form == .ascii, bytes.allSatisfy { $0 < 0x80 }, message, line: line)
    }

    func testBoundariesOfEveryWellFormedRange() {
        // Table 3-7's edges, each alone, after 15 ASCII bytes (inside a 16-byte step) and at a word's end.
        let sequences: [[UInt8]] = [
            [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0xBF, 0xBF], [0xE1, 0x80, 0x80],
            [0xEC, 0xBF, 0xBF], [0xED, 0x80, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF0, 0xBF, 0xBF, 0xBF], [0xF1, 0x80, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF],
            [0xF4, 0x80, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
        ]
        for s in sequences {
            for pad in [0, 7, 15, 16] {
                let bytes = Array(repeating: UInt8(ascii: "a"), count: pad) + s + Array("tail".utf8)
                assertSame(bytes, "pad \(pad)")
                XCTAssertNotEqual(bytes.withUnsafeBufferPointer { UTF8Text.form(of: $0) }, .illFormed)
            }
        }
    }

    func testIllFormedSequencesAreReplacedAsTheStandardLibraryDoes() {
        let bad: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE1, 0x80], [0xE1, 0x80, 0x41], [0xF0, 0x80, 0x80, 0x80],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE],
            [0xF1, 0x80, 0x80], [0xF1, 0x80, 0x80, 0x41],
        ]
        for s in bad {
            for pad in [0, 3, 8, 16, 17] {
                let bytes = Array(repeating: UInt8(ascii: "b"), count: pad) + s
                assertSame(bytes, "pad \(pad)")
                assertSame(bytes + Array(" and after".utf8), "pad \(pad), text after")
                XCTAssertEqual(bytes.withUnsafeBufferPointer { UTF8Text.form(of: $0) }, .illFormed)
            }
        }
    }

    func testRandomTextMatchesTheStandardLibrary() {
        var random = SeededGenerator(fallback: 0x5EED_0008)
        // Mostly text-like: ASCII runs, real characters of several scripts, and now and then a random byte.
        let pieces = ["a", "plain words ", "é", "€", "日本", "Привет", "🙂", "\u{10FFFF}", "\u{D7FF}", "\u{E000}"]
            .map { Array($0.utf8) }
        for round in 0..<4000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...24, using: &random) {
                if Int.random(in: 0..<20, using: &random) == 0 {
                    bytes.append(UInt8.random(in: 0...255, using: &random))
                } else {
                    bytes += pieces.randomElement(using: &random)!
                }
            }
            assertSame(bytes, "round \(round)")
        }
        for round in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            assertSame(bytes, "random bytes, round \(round)")
        }
    }

    func testEmpty() {
        XCTAssertEqual(String(utf8: []), "")
        XCTAssertEqual(String(utf8: UnsafeBufferPointer(start: nil, count: 0)), "")
    }
}
