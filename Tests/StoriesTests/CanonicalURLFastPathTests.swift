import Foundation
import TestSupport
import XCTest

@testable import Lexicon
@testable import Stories

final class CanonicalURLFastPathTests: XCTestCase {
    /// Random addresses built from every part the canonical form touches: where the byte-level path answers,
    /// it answers exactly as Foundation's parser does; it answers for the common shapes.
    func testPlainAddressesMatchTheGeneralParser() {
        var rng = SeededGenerator(fallback: 6)
        func pick(_ xs: [String]) -> String { xs.randomElement(using: &rng)! }
        var answered = 0
        for _ in 0..<20_000 {
            let scheme = pick(["http", "https", "HTTPS", "Http", "ftp", "htp"])
            let host =
                pick(["", "www.", "m.", "amp.", "WWW.", "www1.", "mobile."])
                + pick([
                    "example.com", "Example.COM", "a.io", "news.example.co.uk", "x.y", "exa_mple.com", "bücher.de",
                    "1.2.3.4",
                ])
                + pick(["", "", ".", ".."])
            let port = pick(["", "", ":80", ":443", ":8080", ":0443", ":", ":99999"])
            let path = pick([
                "", "/", "/news/story-1", "/news/story-1/", "/a//", "/amp/story", "/story/amp", "/story.amp",
                "/index.html",
                "/a/b/index.php", "/p;x=1", "/a:b", "/~user/(x)", "/100%25", "/a b", "/ü", "/a'b", "/@me",
                "/a+b,c*d!e$",
            ])
            var query = ""
            if Bool.random(using: &rng) {
                let items = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    pick([
                        "a=1", "b=2", "utm_source=rss", "fbclid=x", "id=7", "flag", "x=", "Z=9", "a=b=c", "q=a+b",
                        "q=%20", "=v", "", "r=a/b?c", "k=v;w",
                    ])
                }
                query = "?" + items.joined(separator: pick(["&", "&", "&&"]))
            }
            let fragment = pick(["", "", "#top", "#", "#a b", "#x?y"])
            let url = scheme + "://" + host + port + path + query + fragment
            guard let fast = URLCanonicalizer.plainCanonical(url) else { continue }
            answered += 1
            XCTAssertEqual(fast, URLCanonicalizer.general(url), url)
        }
        XCTAssertGreaterThan(answered, 2_000)
        XCTAssertNotNil(
            URLCanonicalizer.plainCanonical("https://www.example.com/news/2024/06/19/story-1?utm_source=rss&id=7#c"))
    }
}
