import Foundation
import TestSupport
import XCTest

@testable import Lexicon
@testable import Stories

final class TermSelectionTests: XCTestCase {
    /// The quickselect that keeps an article's strongest terms keeps exactly the k largest, ties and all.
    func testSelectLargestKeepsTheKLargest() {
        var rng = SeededGenerator(fallback: 2)
        for trial in 0..<500 {
            let n = Int.random(in: 1...400, using: &rng)
            let range: ClosedRange<UInt64> = trial % 3 == 0 ? 0...20 : 0...UInt64.max  // small ranges: many ties
            var keys = (0..<n).map { _ in UInt64.random(in: range, using: &rng) }
            let k = Int.random(in: 0...n + 2, using: &rng)
            let expected = Array(keys.sorted(by: >).prefix(k))
            keys.withUnsafeMutableBufferPointer { TermSpace.selectLargest(min(k, n), in: $0) }
            XCTAssertEqual(Array(keys.prefix(min(k, n))).sorted(by: >), expected, "n \(n) k \(k)")
        }
    }
}
