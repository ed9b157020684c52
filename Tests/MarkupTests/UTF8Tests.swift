import Foundation
import XCTest

@testable import Markup

final class UTF8Tests: XCTestCase {
    func testFilesAreValidatedAcrossPieces() throws {
        let dir = FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("utf8-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // "é" split across the 1 MB pieces the validator reads, then a four-byte character at the very end.
        var valid = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) - 1) + Data("\u{e9}x\u{1F600}".utf8)
        try valid.write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(Charset.isValidUTF8(file: path))
        valid.removeLast()  // a sequence cut short at the end
        try valid.write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        try (Data("ok ".utf8) + Data([0xE9]) + Data(" no".utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        try Data([0xED, 0xA0, 0x80]).write(to: URL(fileURLWithPath: path))  // a surrogate, encoded
        XCTAssertFalse(Charset.isValidUTF8(file: path))
        XCTAssertFalse(Charset.isValidUTF8(file: path + ".missing"))
    }

    func testMixedDocumentsKeepTheirUTF8() {
        let mixed = Data("na\u{ef}ve ".utf8) + Data([0x93, 0x71, 0x94, 0x20, 0xE9])
        XCTAssertEqual(
            Charset.repairingMixedUTF8(mixed).map { String(decoding: $0, as: UTF8.self) },
            "na\u{ef}ve \u{201C}q\u{201D} \u{e9}")
        XCTAssertNil(Charset.repairingMixedUTF8(Data("valid \u{e9}".utf8)), "valid UTF-8 needs no repair")
        XCTAssertNil(
            Charset.repairingMixedUTF8(Data([0x63, 0x61, 0x66, 0xE9])), "no UTF-8 at all: a legacy charset, not a mix")
    }

    /// Read eight bytes at a time: a non-ASCII byte is found in the words and in the tail after them.
    func testASCIIIsFoundWordByWordAndInTheTail() {
        for length in [0, 1, 7, 8, 9, 16, 23] {
            let ascii = Data(repeating: UInt8(ascii: "a"), count: length)
            XCTAssertTrue(Charset.isASCII(ascii), "\(length)")
            for at in 0..<length {
                var d = ascii
                d[at] = 0xC3
                XCTAssertFalse(Charset.isASCII(d), "\(length) at \(at)")
            }
        }
        XCTAssertFalse(Charset.isASCII(Data("caf\u{e9}".utf8).dropFirst()))  // a slice, not at index 0
    }
}
