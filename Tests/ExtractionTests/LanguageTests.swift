import Foundation
import XCTest

@testable import Extraction
@testable import Markup

final class LanguageTests: XCTestCase {
    func testScriptsAndFunctionWords() {
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Le président russe est arrivé à Pyongyang pour une visite de deux jours avec les dirigeants."), "fr")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "The president arrived in the capital on Tuesday for a two-day visit with the leaders of the region."),
            "en")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Der Präsident ist am Dienstag in der Hauptstadt angekommen und wird mit den Führern sprechen."), "de")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "وصل الرئيس الروسي إلى بيونغ يانغ في زيارة تستغرق يومين لتعزيز العلاقات بين البلدين"), "ar")
        XCTAssertEqual(LanguageIdentifier.identify("俄罗斯总统普京抵达平壤，开始为期两天的国事访问，双方签署了全面战略伙伴关系条约。"), "zh")
        XCTAssertNil(LanguageIdentifier.identify("ok"))
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "Президент России прибыл в Пхеньян, и это уже не первый его визит, но он также был там раньше."), "ru")
        XCTAssertEqual(LanguageIdentifier.identify("ロシアの大統領は火曜日に平壌に到着し、二日間の訪問を始めました。"), "ja")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "رئیس جمهور روسیه برای یک سفر دو روزه به پیونگ یانگ رفت و گفتگو با چند رهبر گروه را آغاز کرد"), "fa")
        XCTAssertEqual(LanguageIdentifier.identify("대통령은 화요일에 평양에 도착하여 이틀간의 방문을 시작했습니다."), "ko")
        XCTAssertEqual(
            LanguageIdentifier.identify(
                "👍🏽 The president arrived 🇫🇷 in the capital on Tuesday for a visit with the leaders 𝔸."), "en")
        XCTAssertEqual(
            LanguageIdentifier.identify("Ο πρόεδρος έφτασε στην πρωτεύουσα την Τρίτη για επίσκεψη δύο ημερών."), "el")
    }

    /// The `<html lang>` the page declares was never read (the tree's root kept no attributes), so a short article
    /// was whatever its few words suggested. It is the page's language now, unless the text is long enough to
    /// tell and tells another (a CMS's default `lang="en"` on a German article).
    func testTheDeclaredLanguageUnlessTheTextSaysOtherwise() {
        func language(_ lang: String, _ text: String) -> String? {
            let html =
                "<html lang=\"\(lang)\"><head><title>T</title></head><body><article><p>\(text)</p></article></body></html>"
            return Extractor.extract(Data(html.utf8), contentType: "text/html").language
        }
        let short = "Ministro anuncia novo plano para a rede de transportes urbanos de Lisboa, com metro e autocarros."
        XCTAssertEqual(language("pt-PT", short), "pt")
        XCTAssertEqual(language("pt", "The minister announced a new plan for the city's trams and buses today."), "pt")
        let german = String(
            repeating: "Die Digitalisierung zieht sich bereits heute durch fast alle Branchen und Anwendungsgebiete, "
                + "sei es im Finanzbereich oder in der Industrie, und auch das Gesundheitswesen wird davon erfasst. ",
            count: 6)
        XCTAssertEqual(language("en", german), "de")
    }
}
