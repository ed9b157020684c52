import Foundation
import TestSupport
import XCTest

final class CheckCommandTests: XCTestCase {
    /// Real damage is "unsound" (exit 3, the README's monitoring contract), with the path named once; a missing
    /// database or a file that is none is "could not run" (exit 1).
    func testDamagedDatabasesExitThree() throws {
        let dir = temporaryDirectory()
        let good = dir.appendingPathComponent("good.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", good]).status, 0)
        XCTAssertEqual(try runTidings(["vacuum", "--db", good]).status, 0)  // folds the WAL into the file
        let original = try Data(contentsOf: URL(fileURLWithPath: good))
        XCTAssertGreaterThan(original.count, 6 * 4096)
        var overwritten = original
        overwritten.replaceSubrange(2 * 4096..<4 * 4096, with: Data(repeating: 0xA5, count: 2 * 4096))
        let damaged: [(String, Data)] = [
            ("overwritten", overwritten),
            ("truncated", original.prefix(3 * 4096)),
        ]
        for (name, bytes) in damaged {
            let path = dir.appendingPathComponent("\(name).db").path
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try runTidings(["check", "--db", path])
            XCTAssertEqual(r.status, 3, "\(name): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, name)
            for line in r.stderr.split(separator: "\n") {
                XCTAssertEqual(line.components(separatedBy: path).count, 2, "\(name): the path once: \(line)")
            }
        }
        let missing = try runTidings(["check", "--db", dir.appendingPathComponent("missing.db").path])
        XCTAssertEqual(missing.status, 1)
        let random = dir.appendingPathComponent("random.db")
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: random)
        XCTAssertEqual(try runTidings(["check", "--db", random.path]).status, 1, "not a database at all")
        XCTAssertEqual(try runTidings(["check", "--db", good]).status, 0)
    }
}
