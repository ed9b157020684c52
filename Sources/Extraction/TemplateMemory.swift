import Foundation
import Lexicon

/// Per-site memory of blocks that recur across pages: whatever their shape, they are the site's chrome.
public enum TemplateMemory {
    /// Pages of one host on which a block must have appeared before it counts as template.
    public static let minimumPages = 3

    /// Pages remembered per host as already learned from: more than a busy site's articles of a few days, which
    /// is when the same article comes back through another feed.
    public static let rememberedPages = 512

    /// A page's identity for learning: its article text, else all its text. The same article fetched again
    /// (other feed, new GUID, another query string) has the same text while its rotating chrome differs.
    public static func pageIdentity(articleText: String, blockTexts: [String]) -> UInt64 {
        var h = FNV1a()
        if articleText.isEmpty {
            for t in blockTexts {
                for b in t.utf8 { h.add(b) }
                h.add(0x0A)
            }
        } else {
            for b in articleText.utf8 { h.add(b) }
        }
        return h.value
    }

    /// What one host's pages have shown so far.
    public struct Host: Sendable, Equatable {
        /// How many distinct pages were learned from.
        public var pages: Int
        /// For each block fingerprint, on how many pages it appeared.
        public var counts: [UInt64: Int]
        /// The pages learned from lately, by the fingerprint of their article text (oldest first): a page met
        /// again (in another feed, under a new GUID, with another query string) teaches nothing new.
        public var seen: [UInt64]

        /// Makes a memory.
        public init(pages: Int = 0, counts: [UInt64: Int] = [:], seen: [UInt64] = []) {
            self.pages = pages
            self.counts = counts
            self.seen = seen
        }

        /// True when `text` appeared on enough of this host's pages to be template.
        public func isBoilerplate(_ text: String) -> Bool {
            (counts[TemplateMemory.fingerprint(text)] ?? 0) >= TemplateMemory.minimumPages
        }

        /// Records the blocks of one more page, unless the page (`page`: its identity, see `pageIdentity`) was
        /// learned from already: otherwise the fourth fetch of one article found its own text on "three pages"
        /// of the site and dropped it as template.
        public mutating func learn(blockTexts: [String], page: UInt64? = nil) {
            if let page {
                if seen.contains(page) { return }
                seen.append(page)
                if seen.count > TemplateMemory.rememberedPages {
                    seen.removeFirst(seen.count - TemplateMemory.rememberedPages)
                }
            }
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
