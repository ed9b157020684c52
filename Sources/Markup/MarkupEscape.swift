/// Text made safe inside XML or HTML markup: the one escaping the web pages and the OPML export share.
public enum MarkupEscape {
    /// `s` for element text or a quoted attribute value: `& < > " '` become references, and the control
    /// characters XML 1.0 forbids (and HTML does not render) are dropped, so text from strangers can neither open
    /// markup nor make a document unreadable. `newlinesAsReferences` writes line feeds as `&#10;`, which an
    /// attribute value keeps (a literal one is read back as a space).
    public static func escape(_ s: String, newlinesAsReferences: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n" where newlinesAsReferences: out += "&#10;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}", "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
