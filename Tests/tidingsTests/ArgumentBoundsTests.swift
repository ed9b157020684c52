import Foundation
import TestSupport
import XCTest

final class ArgumentBoundsTests: XCTestCase {
    /// A span no date can be (1e308 hours) is a usage error, not "since forever"; a database in a place that
    /// takes no files is not reported as a full disk.
    func testSpansAreBoundedAndOpenFailuresSayWhy() throws {
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("s.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db]).status, 0)
        for span in ["1e308h", "99999999999d"] {
            let r = try runTidings(["stories", "--since", span, "--db", db])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("Error: --since expects a span"), r.stderr)
        }
        XCTAssertEqual(try runTidings(["stories", "--since", "3650d", "--db", db]).status, 0)
        let proc = try runTidings(["stats", "--db", "/proc/self/none.db"])
        XCTAssertEqual(proc.status, 1)
        XCTAssertFalse(proc.stderr.contains("full"), proc.stderr)
        let missing = try runTidings(["demo", "--db", dir.appendingPathComponent("no/such/folder/x.db").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
    }
}
