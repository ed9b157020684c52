import XCTest

@testable import Lexicon

/// Byte searches the markup readers share.
final class ByteSearchTests: XCTestCase {
    func testCaseInsensitiveFind() {
        let bytes = Array("class=\"Post-AUTHOR box\"".utf8)
        XCTAssertEqual(Lexicon.firstIndex(ofIgnoringCase: Array("author".utf8), in: bytes), 12)
        XCTAssertNil(Lexicon.firstIndex(ofIgnoringCase: Array("byline".utf8), in: bytes))
        XCTAssertNil(Lexicon.firstIndex(ofIgnoringCase: Array("author".utf8), in: bytes, from: 13))
        XCTAssertTrue(Lexicon.matches(ignoringCase: Array("author".utf8), in: bytes, at: 12))
        XCTAssertFalse(Lexicon.matches(ignoringCase: Array("author".utf8), in: bytes, at: 11))
        XCTAssertFalse(Lexicon.matches(ignoringCase: Array("box\"x".utf8), in: bytes, at: 19), "past the end")
    }

    func testDeclaredValues() {
        func value(_ key: String, _ text: String) -> String? { Lexicon.declaredValue(of: key, in: Array(text.utf8)) }
        XCTAssertEqual(value("encoding", #"<?xml version="1.0" ENCODING = 'KOI8-R'?"#), "KOI8-R")
        XCTAssertEqual(
            value("charset", #"<meta http-equiv="Content-Type" content="text/html; charset=utf-8">"#), "utf-8")
        XCTAssertEqual(
            value("charset", #"<meta name="charset-note" content="x"><meta charset="windows-1251">"#), "windows-1251")
        XCTAssertNil(value("charset", "<meta charset=>"))
        XCTAssertNil(value("encoding", #"<?xml version="1.0"?"#))
    }
}
