import Foundation
import TestSupport
import XCTest

final class ClusterCommandTests: XCTestCase {
    /// The dedup contract: JSON Lines in, {"id", "cluster"} a line out, in file order, ids kept as given.
    func testClusterPrintsOneLinePerArticle() throws {
        let dir = temporaryDirectory()
        var lines: [String] = []
        for (i, e) in try seedExpectations().enumerated() {
            let object: [String: Any] = [
                "id": i == 0 ? 7 as Any : "seed-\(i)" as Any, "source": "site\(i)", "url": "https://site\(i).example/a",
                "title": NSNull(), "text": e.body, "published": "2024-06-19T1\(i):00:00Z", "lang": "fr",
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        lines.append(
            #"{"id": "other", "text": "Le conseil municipal a voté mardi le budget des écoles et de la piscine, avec une hausse des investissements dans les quartiers nord.", "published": "2024-06-19T18:00:00Z"}"#
        )
        let file = dir.appendingPathComponent("articles.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try runTidings(["cluster", "--jsonl", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = r.stdout.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(out.count, 6)
        XCTAssertEqual(out[0]["id"] as? Int, 7)
        XCTAssertEqual(out[1]["id"] as? String, "seed-1")
        let clusters = out.map { $0["cluster"] as! Int }
        XCTAssertEqual(Set(clusters.prefix(5)).count, 1, "the seed pages are one story")
        XCTAssertNotEqual(clusters[5], clusters[0])
    }

    func testClusterRejectsALineThatIsNotJSON() throws {
        let file = temporaryDirectory().appendingPathComponent("bad.jsonl")
        try "{\"id\": 1, \"text\": \"ok\"}\nnot json\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try runTidings(["cluster", "--jsonl", file.path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(file.path):2"), r.stderr)
    }
}
