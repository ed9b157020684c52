import Foundation
import XCTest

@testable import Markup

final class XMLReaderOpeningTests: XCTestCase {
    /// A document libxml2 cannot even open (no bytes at all) is an error, not a crash: the reader's parser was
    /// freed twice when its initializer threw (`feeds import` of an empty file died with SIGSEGV).
    func testAnEmptyDocumentIsAnErrorNotACrash() throws {
        for _ in 0..<3 {
            XCTAssertThrowsError(try XMLReader.read(data: Data(), url: nil) { _ in () }) { e in
                XCTAssertTrue("\(e)".contains("could not open"), "\(e)")
            }
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).xml")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        for _ in 0..<3 {  // an empty file opens, and holds nothing
            XCTAssertEqual(try XMLReader.read(file: empty.path, url: nil) { r in try r.read() }, false)
        }
    }
}
