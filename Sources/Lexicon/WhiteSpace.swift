/// White space at the byte level, as each standard defines it, written once: the XML and feed readers use XML's,
/// the HTML readers HTML's, and text trimming C's.
extension Lexicon {
    /// XML's white space (the S production): space, tab, line feed, carriage return.
    @inlinable
    public static func isXMLSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// HTML's ASCII white space: XML's and form feed.
    @inlinable
    public static func isHTMLSpace(_ b: UInt8) -> Bool { isXMLSpace(b) || b == 0x0C }

    /// C's `isspace` in the C locale: HTML's and vertical tab.
    @inlinable
    public static func isCSpace(_ b: UInt8) -> Bool { isHTMLSpace(b) || b == 0x0B }
}
