import Foundation
import Lexicon
import Markup

/// A feed's own HTML content (already the article, give or take a "read more" line) turned into an `Article`.
public enum FeedContent {
    /// Words of text in an HTML fragment.
    public static func wordCount(_ html: String) -> Int {
        var records: [TokenRecord] = []
        Tokenizer().tokenize(HTMLText.plainText(fromHTML: html), into: &records)
        return records.count
    }

    /// The article in a feed entry's HTML: its block texts, minus link lists and boilerplate lines.
    public static func article(html: String, hints: PageHints) -> Article {
        let doc = HTMLDocument(fragment: html, reading: .text)
        var walker = BlockWalker(bodyLength: 0)
        walker.walk(doc.body, prior: 0, parent: -1)
        walker.flush()
        var paragraphs: [String] = []
        for b in walker.blocks {
            if b.linkDensity > 0.6 && b.text.count < 200 { continue }
            if BlockClassifier.looksLikeBoilerplateLine(b.text) { continue }
            paragraphs.append(b.text)
        }
        let text = paragraphs.joined(separator: " ")
        return Article(title: hints.title, language: LanguageIdentifier.identify(text), paragraphs: paragraphs)
    }
}
