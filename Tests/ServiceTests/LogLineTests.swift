import Foundation
import Service
import TestSupport
import XCTest

@testable import Store

final class LogLineTests: XCTestCase {
    /// One event is one bounded line, whatever a remote feed put in its title.
    func testLinesAreBoundedAndOneLineEach() {
        let huge = String(repeating: "é", count: 3_000_000)  // 6 MB
        let line = Logger.line(.info, "feed x: stored \"" + huge + "\"")
        XCTAssertLessThanOrEqual(line.utf8.count, Logger.maxMessageBytes + 64)
        XCTAssertTrue(line.hasPrefix("<6>feed x: stored \"éé"))
        XCTAssertTrue(line.hasSuffix(" more bytes)\n"), String(line.suffix(40)))
        let forged = Logger.line(.warning, "feed http://a.example/\n<3>forged row\r\u{2028}x\u{0}y")
        XCTAssertEqual(forged, "<4>feed http://a.example/ <3>forged row  x y\n")
        XCTAssertEqual(forged.filter { $0 == "\n" }.count, 1)
    }
}
