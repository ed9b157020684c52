import Foundation
import Lexicon

/// Per-site memory of blocks that recur across pages: whatever their shape, they are the site's chrome.
public enum TemplateMemory {
    /// Pages of one host on which a block must have appeared before it counts as template.
    public static let minimumPages = 3

    /// What one host's pages have shown so far.
    public struct Host: Sendable, Equatable {
        /// How many distinct pages were learned from.
        public var pages: Int
        /// For each block fingerprint, on how many pages it appeared.
        public var counts: [UInt64: Int]

        /// Makes a memory.
        public init(pages: Int = 0, counts: [UInt64: Int] = [:]) {
            self.pages = pages
            self.counts = counts
        }

        /// True when `text` appeared on enough of this host's pages to be template.
        public func isBoilerplate(_ text: String) -> Bool {
            (counts[TemplateMemory.fingerprint(text)] ?? 0) >= TemplateMemory.minimumPages
        }

        /// Records the blocks of one more page.
        public mutating func learn(blockTexts: [String]) {
            pages += 1
            for f in Set(blockTexts.map(TemplateMemory.fingerprint)) { counts[f, default: 0] += 1 }
        }
    }

    /// A stable 64-bit fingerprint of a block's text (case and white space folded; FNV-1a).
    public static func fingerprint(_ text: String) -> UInt64 {
        var h = FNV1a()
        var lastSpace = true
        for b in text.lowercased().utf8 {
            let isSpace = Lexicon.isXMLSpace(b)
            if isSpace {
                if lastSpace { continue }
                lastSpace = true
            } else {
                lastSpace = false
            }
            h.add(isSpace ? 32 : b)
        }
        return h.value
    }
}
