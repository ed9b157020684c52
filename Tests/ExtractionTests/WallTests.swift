import Extraction
import Foundation
import XCTest

/// A page whose only text is a consent wall or a paywall notice has no article.
final class WallTests: XCTestCase {
    private func article(_ body: String) -> Article {
        Extractor.extract(Data("<html><body>\(body)</body></html>".utf8), contentType: "text/html")
    }

    func testConsentWallsAndPaywallsAreWalls() {
        let consent = article(
            """
            <div class="dialog"><h2>We value your privacy</h2><p>We and our partners store and access information on \
            your device, such as cookies, and process personal data for personalised ads and content, ad and content \
            measurement, audience insights and product development. You may accept all, reject all, or manage \
            preferences, including your right to object where legitimate interest is used.</p>
            <p><a href="#">Accept all</a> <a href="#">Reject all</a> <a href="#">Manage preferences</a></p></div>
            """)
        XCTAssertEqual(Extractor.wallKind(consent), "a consent wall", consent.text)
        let paywall = article(
            """
            <article><h1>Harbour works</h1><p>This article is for subscribers only. Subscribe to continue reading, \
            or log in if you are already a subscriber.</p></article>
            """)
        XCTAssertEqual(Extractor.wallKind(paywall), "a paywall notice", paywall.text)
    }

    /// An article that speaks of cookies is an article.
    func testAnArticleAboutCookiesIsNoWall() {
        let recipe = article(
            "<article><h1>Grandmother's cookies</h1>"
                + String(
                    repeating: "<p>The cookie recipe calls for butter, brown sugar and oats, mixed by hand and baked "
                        + "for twelve minutes until the edges turn golden and the centres stay soft.</p>", count: 3)
                + "<p>Our privacy policy has nothing to do with baking, and neither does consent.</p></article>")
        XCTAssertNil(Extractor.wallKind(recipe), recipe.text)
    }
}
