import Feeds
import Foundation
import Markup
import XCTest

final class FeedRepairTests: XCTestCase {
    /// An author is a name: Atom's name (not "name (email)"), RSS's "address (Name)" → Name, anything else as written.
    func testAuthorsAreNames() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><entry><id>1</id><title>t</title>
            <author><name>Mark Pilgrim</name><email>f8dy@example.com</email></author></entry></feed>
            """
        XCTAssertEqual(try FeedParser.parse(Data(atom.utf8)).entries[0].author, "Mark Pilgrim")
        for (written, expected) in [
            ("jbb@dallas.example.com (Joe Bob Briggs)", "Joe Bob Briggs"),
            ("jbb@dallas.example.com", "jbb@dallas.example.com"),
            ("The Desk (Paris)", "The Desk (Paris)"),
        ] {
            let rss =
                "<rss version=\"2.0\"><channel><title>r</title><item><title>t</title><author>\(written)</author></item></channel></rss>"
            XCTAssertEqual(try FeedParser.parse(Data(rss.utf8)).entries[0].author, expected, written)
        }
    }

    /// UTF-8 that went through Latin-1 on its way ("CinÃ©ma") is repaired field by field, as the feed contract
    /// has it; text holding Windows-1252's own characters ("donâ€™t": "€" and "™" are no Latin-1 bytes) was not
    /// made by a Latin-1 decoder and is kept as written, as is text that only looks alike or that no Latin-1
    /// mistake can make.
    func testUTF8ReadAsLatin1IsRepaired() throws {
        let rss = """
            <rss version="2.0"><channel><title>LE FIGARO - CinÃ©ma, thÃ©Ã¢tre</title>
            <item><title>KÃ¤ltewelle in Europa: FlÃ¼chtlinge</title><description>Il fait Â£30 ici.</description></item>
            <item><title>Café crème, vraiment</title></item>
            <item><title>Ã© and 日本</title></item>
            <item><title>FlÃ¼chtlinge â€“ donâ€™t</title></item></channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8))
        XCTAssertEqual(feed.title, "LE FIGARO - Cinéma, théâtre")
        XCTAssertEqual(feed.entries[0].title, "Kältewelle in Europa: Flüchtlinge")
        XCTAssertEqual(feed.entries[0].summary, "Il fait £30 ici.")
        XCTAssertEqual(feed.entries[1].title, "Café crème, vraiment")
        XCTAssertEqual(feed.entries[2].title, "Ã© and 日本")
        XCTAssertEqual(feed.entries[3].title, "FlÃ¼chtlinge â€“ donâ€™t")
    }

    /// A summary is repaired as the element the feed wrote: a character reference in its HTML ("&#8216;", read
    /// as U+2018, no Latin-1 character) does not keep the rest of its text as mojibake (the reference reads
    /// "gesê").
    func testSummaryIsRepairedAsItsElement() throws {
        let rss = """
            <rss version="2.0"><channel><title>Nuus</title>
            <item><title>t</title><description><![CDATA[<p>Moody&#8217;s het dit gesÃª in &#8216;n verklaring.</p>]]></description></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(rss.utf8))
        XCTAssertEqual(feed.entries[0].summary, "Moody\u{2019}s het dit gesê in \u{2018}n verklaring.")
    }
}
