import Feeds
import Foundation
import Markup
import XCTest

/// The feed-conformance corpus (feedparser's own 914 test cases and the 37 real feeds under 150 KB, mapped to
/// the contract's schema; the 16 larger real feeds are scored by score.py only), compared with
/// the rules of ../shared/eval/feeds/score.py: text with white space collapsed, links ignoring one trailing
/// slash, dates to the second, summary and content as word sets at least 90 % alike, enclosures by URL.
final class ConformanceTests: XCTestCase {
    func testCorpusPassesAtReferenceQuality() throws {
        let dir = Bundle.module.url(forResource: "Fixtures/conformance", withExtension: nil)!
        let cases = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".xml") }
            .sorted()
        XCTAssertGreaterThan(cases.count, 940)
        var passed = 0
        var fieldsGood = 0
        var fieldsTotal = 0
        var failures: [String] = []
        for name in cases {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let expected =
                try JSONSerialization.jsonObject(
                    with: Data(
                        contentsOf: dir.appendingPathComponent(
                            String(name.dropLast(4)) + ".json"))) as! [String: Any]
            let feed = try? FeedParser.parse(data)
            var ok = true
            func check(_ field: String, _ want: Any, _ got: Any?) {
                fieldsTotal += 1
                if Self.same(field, want, got) {
                    fieldsGood += 1
                } else {
                    if ok { failures.append("\(name): \(field) want \(want) got \(got ?? "nil")") }
                    ok = false
                }
            }
            let wantFeed = expected["feed"] as? [String: Any] ?? [:]
            for (k, v) in wantFeed {
                switch k {
                case "title": check("title", v, feed?.title)
                case "link": check("link", v, feed?.link)
                case "language": check("language", v, feed?.language)
                case "updated": check("updated", v, feed?.updated.map(FeedDate.rfc3339))
                default: break
                }
            }
            let wantEntries = expected["entries"] as? [[String: Any]] ?? []
            // This retired corpus's mapping left out entries with none of its fields (an item with only a
            // category, a contributor, a content src); the shared corpus that replaced it keeps them, as the
            // parser does. Such entries are left out here too.
            let got = (feed?.entries ?? []).filter { e in
                e.id != nil || e.title != nil || e.link != nil || e.published != nil || e.updated != nil
                    || e.author != nil || e.summaryHTML != nil || e.content != nil || !e.enclosures.isEmpty
            }
            fieldsTotal += 1
            if wantEntries.count == got.count {
                fieldsGood += 1
            } else {
                if ok { failures.append("\(name): \(wantEntries.count) entries wanted, \(got.count) read") }
                ok = false
            }
            for (i, we) in wantEntries.enumerated() {
                let e = i < got.count ? got[i] : FeedEntry()
                for (k, v) in we {
                    switch k {
                    case "id": check(k, v, e.id)
                    case "title": check(k, v, e.title)
                    case "link": check(k, v, e.link)
                    case "published": check(k, v, e.published.map(FeedDate.rfc3339))
                    case "updated": check(k, v, e.updated.map(FeedDate.rfc3339))
                    case "author":
                        // This retired corpus wrote an author as feedparser's "name (email)"; the current contract
                        // (../shared/eval/feeds) asks for the name alone: either form of the same person passes.
                        let parts = ConformanceTests.authorParts("\(v)")
                        check(k, parts.contains(e.author ?? "") ? (e.author ?? "") : v, e.author)
                    case "summary": check(k, v, e.summary)
                    case "content": check(k, v, e.content)
                    case "enclosures": check(k, v, e.enclosures.map(\.url))
                    default: break
                    }
                }
            }
            if ok { passed += 1 }
        }
        let caseRate = Double(passed) / Double(cases.count)
        let fieldRate = Double(fieldsGood) / Double(fieldsTotal)
        print("conformance: \(passed)/\(cases.count) cases, fields \(fieldsGood)/\(fieldsTotal)")
        XCTAssertGreaterThanOrEqual(
            caseRate, 0.98, "cases \(caseRate); first failures:\n" + failures.prefix(15).joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(fieldRate, 0.99, "fields \(fieldRate)")
    }

    /// An author as the retired corpus wrote it ("Jo Doe (jo@x.org)", "jo@x.org (Jo Doe)") and the parts either
    /// contract accepts: the whole, the part outside the parentheses and the part inside.
    static func authorParts(_ v: String) -> [String] {
        guard v.hasSuffix(")"), let open = v.lastIndex(of: "(") else { return [v] }
        let inner = String(v[v.index(after: open)..<v.index(before: v.endIndex)]).trimmingCharacters(in: .whitespaces)
        let outer = String(v[..<open]).trimmingCharacters(in: .whitespaces)
        return [v, outer, inner].filter { !$0.isEmpty }
    }

    static func text(_ v: Any) -> String {
        decodeEntities("\(v)").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func words(_ v: Any) -> Set<String> {
        let plain = HTMLText.plainText(fromHTML: "\(v)").lowercased()
        return Set(plain.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
    }

    static func same(_ field: String, _ want: Any, _ got: Any?) -> Bool {
        guard let got else { return false }
        switch field {
        case "published", "updated":
            return FeedDate.parse("\(want)").map(FeedDate.rfc3339) == FeedDate.parse("\(got)").map(FeedDate.rfc3339)
        case "link":
            func trim(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }
            return trim(text(want)) == trim(text(got))
        case "summary", "content":
            let a = words(want)
            let b = words(got)
            return (a.isEmpty && b.isEmpty)
                || (!a.union(b).isEmpty && Double(a.intersection(b).count) / Double(a.union(b).count) >= 0.9)
        case "enclosures":
            let wantURLs = (want as? [[String: Any]] ?? []).map { "\($0["url"] ?? "")" }
            let gotURLs = got as? [String] ?? []
            return wantURLs.count == gotURLs.count && zip(wantURLs, gotURLs).allSatisfy { text($0) == text($1) }
        default:
            return text(want) == text(got)
        }
    }
}
