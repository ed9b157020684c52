import Foundation
import TestSupport
import XCTest

@testable import Markup

final class FeedDateTests: XCTestCase {
    func iso(_ s: String) -> String? { FeedDate.parse(s).map(FeedDate.rfc3339) }

    /// A time no RFC 3339 year can hold (a stored 1e308, NaN, -1e308) is written as the nearest representable
    /// one: `feeds list` trapped on every run once such a time was stored.
    func testTimesOutsideFourDigitYearsAreClampedNotATrap() {
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: 1e308)), "9999-12-31T23:59:59Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: -1e308)), "0001-01-01T00:00:00Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: .nan)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(FeedDate.rfc3339(Date(timeIntervalSince1970: 1_718_805_960)), "2024-06-19T14:06:00Z")
    }

    /// Zones feeds write without standard or daylight (AT, ET, CT, MT, PT) and the Middle European ones.
    func testRegionalZoneNames() {
        for (zone, hour) in [("AT", "20"), ("ET", "21"), ("CT", "22"), ("MT", "23")] {
            XCTAssertEqual(iso("Mon, 26 January 2004 16:31:00 \(zone)"), "2004-01-26T\(hour):31:00Z", zone)
        }
        XCTAssertEqual(iso("Mon, 26 January 2004 16:31:00 PT"), "2004-01-27T00:31:00Z")
        XCTAssertEqual(iso("Thu, 30 Apr 2015 08:57:00 MET"), "2015-04-30T07:57:00Z")
        XCTAssertEqual(iso("Thu, 30 Apr 2015 08:57:00 MEST"), "2015-04-30T06:57:00Z")
    }

    /// A numeric date whose second number cannot be a month is month first (11/23/2012 was no date at all); one
    /// whose first cannot be is day first; 11/06/2012 is day first unless the caller knows the writer puts the
    /// month first. Year first is year, month, day either way.
    func testNumericDatesInEitherOrder() {
        XCTAssertEqual(iso("11/23/2012"), "2012-11-23T00:00:00Z")
        XCTAssertEqual(iso("23/11/2012"), "2012-11-23T00:00:00Z")
        XCTAssertEqual(iso("11/06/2012"), "2012-06-11T00:00:00Z")
        XCTAssertEqual(FeedDate.parse("11/06/2012", monthFirst: true).map(FeedDate.rfc3339), "2012-11-06T00:00:00Z")
        XCTAssertEqual(FeedDate.parse("23/11/2012", monthFirst: true).map(FeedDate.rfc3339), "2012-11-23T00:00:00Z")
        XCTAssertEqual(FeedDate.parse("2012/11/06", monthFirst: true).map(FeedDate.rfc3339), "2012-11-06T00:00:00Z")
        XCTAssertEqual(FeedDate.parse("9/1/10", monthFirst: true).map(FeedDate.rfc3339), "2010-09-01T00:00:00Z")
        XCTAssertNil(iso("13/13/2012"))
    }

    func testRFC822AndItsBreakages() {
        XCTAssertEqual(iso("Wed, 19 Jun 2024 15:46:00 +0200"), "2024-06-19T13:46:00Z")
        XCTAssertEqual(iso("Wed, 19 Jun 2024 15:46:00 GMT"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("19 Jun 2024 15:46 EDT"), "2024-06-19T19:46:00Z")
        XCTAssertEqual(iso("Wed, 19 Jun 24 15:46:00 PST"), "2024-06-19T23:46:00Z")
        XCTAssertEqual(iso("Mercredi 19 Juin 2024 - 15:46"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("publié le 19 juin 2024 à 16h00"), "2024-06-19T16:00:00Z")
    }

    func testW3CDTF() {
        XCTAssertEqual(iso("2024-06-19T15:46:00Z"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("2024-06-19T15:46:00.250+02:00"), "2024-06-19T13:46:00Z")
        XCTAssertEqual(iso("2024-06-19"), "2024-06-19T00:00:00Z")
        XCTAssertEqual(iso("20240619T154600Z"), "2024-06-19T15:46:00Z")
        XCTAssertEqual(iso("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z")
        // A month written with three digits was read as January and the rest as its day: the 2nd.
        XCTAssertEqual(iso("2003-012-31T10:14:55+00:00"), "2003-12-31T10:14:55Z")
    }

    /// The byte-level reader of the common RFC 822 form answers exactly as the general one, or leaves the date to it.
    func testStrictRFC822AgreesWithTheGeneralReader() {
        var generator = SeededGenerator(fallback: 11)
        let days = ["", "Mon, ", "Sun,", "wed,  "]
        let months = ["Jan", "feb", "MAR", "Sep", "Dec"]
        let zones = ["", " +0000", " -0530", " GMT", " pdt", " CEST", " +2400", " XYZ", " Z"]
        var read = 0
        for _ in 0..<3000 {
            let day = Int.random(in: 0...32, using: &generator)
            let year = [Int.random(in: 0...99, using: &generator), Int.random(in: 1900...2100, using: &generator)]
                .randomElement()!
            let second = Bool.random() ? String(format: ":%02d", Int.random(in: 0...60, using: &generator)) : ""
            let text =
                days.randomElement()!
                + "\(day) \(months.randomElement()!) \(year < 100 ? String(format: "%02d", year) : String(year)) "
                + String(
                    format: "%d:%02d", Int.random(in: 0...24, using: &generator),
                    Int.random(in: 0...59, using: &generator))
                + second + zones.randomElement()!
            guard let strict = FeedDate.parseStrictRFC822(Array(text.utf8)) else { continue }
            read += 1
            XCTAssertEqual(strict, FeedDate.parseRFC822(text), text)
        }
        XCTAssertGreaterThan(read, 1000)
    }

    func testUnreadableDatesAreAbsentNotNow() {
        XCTAssertNil(FeedDate.parse("yesterday"))
        XCTAssertNil(FeedDate.parse("2024-13-45"))
        XCTAssertNil(FeedDate.parse("31 Feb 2024 10:00"))
        XCTAssertNil(FeedDate.parse(""))
    }

    /// Greek month names, and a year-first date after a weekday, as real feeds write them.
    func testGreekMonthsAndYearFirstDates() {
        XCTAssertEqual(FeedDate.parse("Κυρ, 11 Ιούλ 2004 12:00:00 EST").map(FeedDate.rfc3339), "2004-07-11T17:00:00Z")
        XCTAssertEqual(FeedDate.parse("Fri, 2006/09/15 08:19:53 EDT").map(FeedDate.rfc3339), "2006-09-15T12:19:53Z")
        XCTAssertEqual(FeedDate.parse("Tue, 19-Jun-2024 10:00:00 GMT").map(FeedDate.rfc3339), "2024-06-19T10:00:00Z")
    }
}
