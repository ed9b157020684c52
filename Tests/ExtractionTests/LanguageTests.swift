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
}
