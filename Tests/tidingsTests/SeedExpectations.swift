import Foundation
import TestSupport
import XCTest

/// One seed page's expectation, read from the founding example's expected.json.
struct SeedExpectation: Decodable {
    let file: String
    let title: String
    let body: String
    let not_body: [String]
    let story: String
}

/// White space folded (NBSP included) so a line compares the way a reader sees it.
func fold(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(separator: " ")
}

func seedExpectations() throws -> [SeedExpectation] {
    let url = Bundle.module.url(forResource: "Fixtures/seeds-expected", withExtension: "json")!
    return try JSONDecoder().decode([SeedExpectation].self, from: Data(contentsOf: url))
}

/// Checks a page's clean text against its expectation: every body line, in order; no chrome line.
func assertCleanBody(_ text: String, _ e: SeedExpectation, file: StaticString = #filePath, line: UInt = #line) {
    let lines = text.split(separator: "\n").map { fold(String($0)) }
    var position = 0
    for expected in e.body.split(separator: "\n").map({ fold(String($0)) }) {
        guard let i = lines[position...].firstIndex(of: expected) else {
            XCTFail("\(e.file): body line missing or out of order: \(expected.prefix(80))", file: file, line: line)
            return
        }
        position = i + 1
    }
    let bodyLines = Set(e.body.split(separator: "\n").map { fold(String($0)) })
    for chrome in e.not_body.map(fold) where !bodyLines.contains(chrome) {
        XCTAssertFalse(lines.contains(chrome), "\(e.file): chrome line kept: \(chrome)", file: file, line: line)
    }
}
