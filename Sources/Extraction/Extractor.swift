import Foundation
import Markup

/// The extraction stage: any page (HTML or text) in, an `Article` out.
public enum Extractor {
    /// The article in `data`, whose kind is sniffed from its bytes and `contentType`.
    public static func extract(_ data: Data, contentType: String? = nil, hints: PageHints = PageHints(),
                               template: TemplateMemory.Host? = nil) -> Article {
        if isHTML(data, contentType: contentType) {
            return HTMLExtractor.extract(data, hints: hints, template: template)
        }
        let text = decodeText(data, charset: hints.charset)
        return TextExtractor.extract(text, hints: hints, template: template)
    }

    /// The article in `data`, read with the site's template memory, which then learns this page's blocks:
    /// one parse serves both.
    public static func extract(_ data: Data, contentType: String? = nil, hints: PageHints = PageHints(),
                               learningInto template: inout TemplateMemory.Host) -> Article {
        let (article, blocks): (Article, [String])
        if isHTML(data, contentType: contentType) {
            (article, blocks) = HTMLExtractor.extractWithBlocks(HTMLDocument(data: data, url: hints.url, encoding: hints.charset, reading: .text),
                                                                hints: hints, template: template)
        } else {
            (article, blocks) = TextExtractor.extractWithBlocks(decodeText(data, charset: hints.charset), hints: hints,
                                                                template: template)
        }
        template.learn(blockTexts: blocks)
        return article
    }

    /// True when the bytes are HTML: the content type says so, or the document starts like markup.
    public static func isHTML(_ data: Data, contentType: String?) -> Bool {
        if let ct = contentType?.lowercased() {
            if ct.contains("html") || ct.contains("xml") { return true }
            if ct.hasPrefix("text/plain") { return false }
        }
        let head = String(decoding: data.prefix(1024), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<?xml") { return true }
        return trimmed.hasPrefix("<") && (head.contains("<body") || head.contains("<head") || head.contains("<div") || head.contains("<p>"))
    }

    /// Text from bytes: UTF-8 when valid, else the declared charset, else Windows-1252.
    public static func decodeText(_ data: Data, charset: String?) -> String {
        if let s = String(data: data, encoding: .utf8) { return s }
        switch charset?.lowercased() {
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
            // Labelled Latin-1 is Windows-1252 in practice (curly quotes in 0x80–0x9F).
            if let s = String(data: data, encoding: .windowsCP1252) { return s }
        case "iso-8859-2", "latin2": if let s = String(data: data, encoding: .isoLatin2) { return s }
        case "utf-16", "utf-16le", "utf-16be": if let s = String(data: data, encoding: .utf16) { return s }
        case "shift_jis", "shift-jis", "sjis": if let s = String(data: data, encoding: .shiftJIS) { return s }
        case "euc-jp": if let s = String(data: data, encoding: .japaneseEUC) { return s }
        default: break
        }
        return String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
    }
}
