import Foundation
import TestSupport
import XCTest

func json(_ r: CommandResult, file: StaticString = #filePath, line: UInt = #line) throws -> Any {
    XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
    return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
}

func opmlFixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/opml/\(name)", withExtension: "opml")!.path
}

/// The feed URLs in an OPML document.
func opmlURLs(_ text: String) -> [String] {
    text.components(separatedBy: "xmlUrl=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}
