import Extraction
import Foundation
import XCTest

/// Pages get the charset care feeds get.
final class PageCharsetTests: XCTestCase {
    private let sentence = "Президент России заявил в понедельник, что переговоры продолжатся на следующей неделе. "

    private func page(head: String) -> Data {
        let html =
            "<html><head>\(head)</head><body><article><h1>Новости дня</h1><p>"
            + String(repeating: sentence, count: 5) + "</p></article></body></html>"
        return html.data(using: .windowsCP1251)!
    }

    /// A Windows-1251 page that declares nothing, or declares UTF-8 and lies, is read as Windows-1251 (it was
    /// stored as Latin-1 mojibake, "Ïðåçèäåíò"); one that declares its charset is read in it.
    func testUndeclaredAndLyingCharsetsAreGuessed() {
        for head in ["", #"<meta charset="utf-8">"#, #"<meta charset="windows-1251">"#] {
            let a = Extractor.extract(page(head: head), contentType: "text/html")
            XCTAssertEqual(a.title, "Новости дня", head)
            XCTAssertTrue(a.text.hasPrefix("Президент России"), "\(head): \(a.text.prefix(40))")
        }
    }

    /// The server's charset is believed.
    func testTheHTTPCharsetIsBelieved() {
        var hints = PageHints()
        hints.charset = "windows-1251"
        XCTAssertEqual(Extractor.extract(page(head: ""), contentType: "text/html", hints: hints).title, "Новости дня")
    }
}
