import Foundation
import XCTest

@testable import Lexicon
@testable import Stories

final class VocabularyTests: XCTestCase {
    /// Months of articles with words of their own: the vocabulary stays bounded, and a story still open when
    /// the vocabulary is compacted keeps its articles' later copies.
    func testVocabularyFollowsTheWindow() {
        let index = StoryIndex(settings: ClusterSettings(windowHours: 24))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var peak = 0
        for day in 0..<120 {
            for n in 0..<40 {
                // Each article has 60 words nobody else uses, so only compaction can bound the vocabulary.
                let own = (0..<60).map { "w\(day)x\(n)y\($0)" }.joined(separator: " ")
                let text = "Officials in Region\(day) reported event number \(n) today. " + own
                _ = index.assign(
                    ClusterDocument(
                        id: "\(day)-\(n)", title: "Event \(n) of day \(day)", text: text,
                        published: start.addingTimeInterval(Double(day) * 86_400 + Double(n) * 60)))
            }
            peak = max(peak, index.vocabularySize)
        }
        XCTAssertLessThan(
            peak, 2 * StoryIndex.vocabularyFloor + 20_000, "120 days × 2 400 new words would be 288 000 terms")
        let last = Date(timeIntervalSince1970: 1_700_000_000 + 119 * 86_400 + 39 * 60)
        let text =
            "Officials in Region119 reported event number 39 today. "
            + (0..<60).map { "w119x39y\($0)" }.joined(separator: " ")
        let copy = index.assign(ClusterDocument(id: "again", title: "Event 39 of day 119", text: text, published: last))
        XCTAssertEqual(copy.reason, .sameText, "the open story still matches after compactions")
        // The same words in another order share no shingle: only the (remapped) term vectors can match them.
        let reordered = (0..<60).reversed().map { "w119x39y\($0)" }.joined(separator: " ")
        let rewrite = index.assign(
            ClusterDocument(id: "rewrite", title: "Day 119: event 39", text: reordered, published: last))
        XCTAssertEqual(rewrite.story, copy.story)
        XCTAssertEqual(rewrite.reason, .sameEvent)
    }
}
