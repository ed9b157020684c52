import Foundation
import Markup

/// The extraction stage: any page (HTML or text) in, an `Article` out.
public enum Extractor {
    /// The article in `data`, whose kind is sniffed from its bytes and `contentType`.
    public static func extract(
        _ data: Data, contentType: String? = nil, hints: PageHints = PageHints(),
        template: TemplateMemory.Host? = nil
    ) -> Article {
        if isHTML(data, contentType: contentType) {
            return HTMLExtractor.extract(data, hints: withPageCharset(hints, data), template: template)
        }
        let text = decodeText(data, charset: hints.charset)
        return TextExtractor.extract(text, hints: hints, template: template)
    }

    /// The article in `data`, read with the site's template memory, which then learns this page's blocks:
    /// one parse serves both.
    public static func extract(
        _ data: Data, contentType: String? = nil, hints: PageHints = PageHints(),
        learningInto template: inout TemplateMemory.Host
    ) -> Article {
        let (article, blocks): (Article, [String])
        if isHTML(data, contentType: contentType) {
            let hints = withPageCharset(hints, data)
            (article, blocks) = HTMLExtractor.extractWithBlocks(
                HTMLDocument(data: data, url: hints.url, encoding: hints.charset, reading: .text),
                hints: hints, template: template)
        } else {
            (article, blocks) = TextExtractor.extractWithBlocks(
                decodeText(data, charset: hints.charset), hints: hints,
                template: template)
        }
        template.learn(
            blockTexts: blocks, page: TemplateMemory.pageIdentity(articleText: article.text, blockTexts: blocks))
        return article
    }

    /// What the article is when all a page showed was a wall: "a consent wall" (cookies and partners to accept)
    /// or "a paywall notice"; nil for an article. A wall is short and made of the wall's own words; an article
    /// that mentions cookies or subscriptions is long, or says other things.
    public static func wallKind(_ article: Article) -> String? {
        let text = article.text.lowercased()
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        guard words > 0, words <= wallWords else { return nil }
        func hits(_ markers: [String]) -> Int { markers.reduce(0) { $0 + (text.contains($1) ? 1 : 0) } }
        // Words of cookies and partners, and a button to press: an article about cookies has no "accept all".
        if hits(consentMarkers) >= 2, hits(consentActions) >= 1 { return "a consent wall" }
        if hits(paywallMarkers) >= 2 { return "a paywall notice" }
        return nil
    }

    /// The longest text that can be all wall: a consent dialog with its purposes listed runs to a few hundred
    /// words; an article is rarely that short and then has words of its own.
    static let wallWords = 300

    /// Phrases of consent dialogs, in the languages the dialogs of European sites use most.
    static let consentMarkers = [
        "cookie", "consent", "our partners", "accept all", "reject all", "manage preferences", "manage options",
        "legitimate interest", "personalised ads", "personalized ads", "privacy settings", "privacy policy",
        "datenschutz", "zustimmen", "akzeptieren", "einwilligung", "consentement", "accepter", "nos partenaires",
        "aceptar", "consentimiento", "acconsenti", "accetta", "toestemming", "accepteren",
    ]

    /// What a consent dialog asks the reader to do.
    static let consentActions = [
        "accept all", "reject all", "manage preferences", "manage options", "i agree", "alle akzeptieren",
        "zustimmen", "tout accepter", "accepter et fermer", "aceptar todo", "accetta tutto", "alles accepteren",
    ]

    /// Phrases of subscription walls.
    static let paywallMarkers = [
        "subscribe to continue", "to continue reading", "already a subscriber", "for subscribers only",
        "subscriber-only", "start your subscription", "sign in to read", "log in to continue", "unlock this article",
        "abonnez-vous", "réservé aux abonnés", "jetzt abonnieren", "nur für abonnenten", "suscríbete",
    ]

    /// What a response body is when it is no text page at all (a PDF, a picture, an archive, random bytes),
    /// whatever type it was served as; nil for text. Such a body has no article: read as text it made a garbage
    /// title and body. Sniffed from the declared type and from the first bytes (magic numbers, then a share of
    /// bytes that no text has: NUL and other C0 controls).
    public static func nonTextKind(_ data: Data, contentType: String?) -> String? {
        let head = [UInt8](data.prefix(1024))
        let magic: [([UInt8], String)] = [
            (Array("%PDF-".utf8), "a PDF document"), ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            (Array("GIF8".utf8), "a GIF image"), ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
            ([0x1F, 0x8B], "gzip data"),
            (Array("RIFF".utf8), "a RIFF file (WebP, WAV, AVI)"), (Array("ID3".utf8), "an MP3 file"),
            ([0x00, 0x00, 0x00], "binary data"),
        ]
        for (prefix, kind) in magic where head.starts(with: prefix) { return kind }
        // A declared media type counts unless the bytes are plainly markup (a misconfigured server's HTML page).
        if let ct = contentType?.lowercased().split(separator: ";").first?.trimmingCharacters(in: .whitespaces),
            !isHTML(data, contentType: nil)
        {
            for family in ["image/", "audio/", "video/", "font/"] where ct.hasPrefix(family) {
                return "\(family.dropLast()) data (\(ct))"
            }
            if ["application/pdf", "application/zip", "application/gzip"].contains(ct) { return "\(ct) data" }
        }
        guard !head.isEmpty else { return nil }
        // UTF-16 text has NULs in every other byte: it starts with its BOM, or is read by the caller as text.
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return nil }
        let odd = head.filter {
            $0 == 0 || ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B)
        }.count
        return odd * 10 > head.count ? "binary data" : nil
    }

    /// True when the bytes are HTML: the content type says so, or the document starts like markup.
    public static func isHTML(_ data: Data, contentType: String?) -> Bool {
        if let ct = contentType?.lowercased() {
            if ct.contains("html") || ct.contains("xml") { return true }
            if ct.hasPrefix("text/plain") { return false }
        }
        let head = String(decoding: data.prefix(1024), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<?xml") {
            return true
        }
        return trimmed.hasPrefix("<")
            && (head.contains("<body") || head.contains("<head") || head.contains("<div") || head.contains("<p>"))
    }

    /// Text from bytes: UTF-8 when valid, else the declared charset, else Windows-1252.
    /// `hints` with the charset a page needs when neither the server nor the page names a usable one: bytes that
    /// are not UTF-8 in a page that declares no charset, or declares UTF-8 and lies, are read in the charset they
    /// read best in (`Charset.guess`, as feeds are): a Windows-1251 page was stored as Latin-1 mojibake. A page
    /// that declares another charset is read in it.
    static func withPageCharset(_ hints: PageHints, _ data: Data) -> PageHints {
        guard hints.charset == nil else { return hints }
        if let declared = Charset.declaredInHTML(data),
            !declared.lowercased().filter({ $0 != "-" && $0 != "_" }).hasPrefix("utf8")
        {
            return hints
        }
        guard let guessed = Charset.guess(data) else { return hints }
        var h = hints
        h.charset = guessed
        return h
    }

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
