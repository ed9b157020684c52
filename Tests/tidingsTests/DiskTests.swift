import Foundation
import TestSupport
import XCTest

/// A small tmpfs of our own, so the disk can really fill up and really turn read-only. Mounting needs root: the
/// README's commands run as root, and so does CI.
final class SmallDisk {
    let path: URL

    init(megabytes: Int) throws {
        path = temporaryDirectory("tidings-disk")
        let r = try runTool("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path.path])
        guard r.status == 0 else {
            throw StoreSetupError(
                "cannot mount a tmpfs at \(path.path) (\(r.output.trimmingCharacters(in: .whitespacesAndNewlines))); run the tests as root"
            )
        }
    }

    func remount(readOnly: Bool) throws {
        let r = try runTool("mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path.path])
        XCTAssertEqual(r.status, 0, r.output)
    }

    deinit { _ = try? runTool("umount", ["-l", path.path]) }
}

/// Why a disk test could not set up its file system.
struct StoreSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

final class DiskTests: XCTestCase {
    /// The disk fills up mid-cycle: clear errors, a sound database, and everything stored once space returns.
    func testDiskFullThenSpaceReturns() throws {
        let disk = try SmallDisk(megabytes: 4)
        let english = Bundle.module.url(forResource: "Fixtures/faults/full-text-b", withExtension: "xml")!.path
        let config = disk.path.appendingPathComponent("tidings.toml")
        try "database = \"store.db\"\n[[feed]]\nurl = \"\(repositoryRoot().path)/seeds/feed.xml\"\n"
            .write(to: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runTidings(["run", "--once", "--config", config.path]).status, 0)
        let db = disk.path.appendingPathComponent("store.db").path

        // Add a feed of ten long articles, then fill what is left of the disk.
        XCTAssertEqual(try runTidings(["feeds", "add", "--no-check", english, "--config", config.path]).status, 0)
        _ = try runTool("sh", ["-c", "dd if=/dev/zero of=\(disk.path.path)/filler bs=64k 2>/dev/null; sync"])
        let full = try runTidings(["run", "--once", "--config", config.path])
        XCTAssertNotEqual(full.status, 0, "a full disk is a failure")
        XCTAssertTrue(full.stderr.contains("full"), "the error says the disk is full: \(full.stderr)")
        XCTAssertFalse(full.stderr.contains("Fatal error"), full.stderr)
        let check = try runTidings(["check", "--db", db])
        XCTAssertTrue(
            check.status == 0 || check.stderr.contains("full"),
            "sound, or unreadable only for want of space: \(check.stderr)")

        // Space returns: the database is sound and the missing articles are stored, once.
        try FileManager.default.removeItem(at: disk.path.appendingPathComponent("filler"))
        XCTAssertEqual(try runTidings(["check", "--db", db]).status, 0, "no corruption")
        let again = try runTidings(["run", "--once", "--config", config.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        let stats = try XCTUnwrap(try json(runTidings(["stats", "--json", "--db", db])) as? [String: Any])
        XCTAssertEqual(stats["articles"] as? Int, 15)
        XCTAssertEqual(try runTidings(["check", "--db", db]).status, 0)
    }

    /// A read-only database is a one-line error, readers still read it, and writing resumes when it is writable.
    func testReadOnlyDatabase() throws {
        let disk = try SmallDisk(megabytes: 8)
        let config = disk.path.appendingPathComponent("tidings.toml")
        try "database = \"store.db\"\n[[feed]]\nurl = \"\(repositoryRoot().path)/seeds/feed.xml\"\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let db = disk.path.appendingPathComponent("store.db").path
        XCTAssertEqual(try runTidings(["demo", "--db", db]).status, 0)
        try disk.remount(readOnly: true)
        defer { try? disk.remount(readOnly: false) }
        let run = try runTidings(["run", "--once", "--config", config.path])
        XCTAssertEqual(run.status, 1)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, run.stderr)
        // Which refuses first, SQLite ("readonly database") or the writer lock ("Read-only file system"), depends
        // on what the last run left beside the database; either line names it and says why.
        XCTAssertTrue(
            lines.first?.contains(db) == true && lines.first?.lowercased().contains("read") == true, run.stderr)
        let stories = try runTidings(["stories", "--json", "--db", db])
        XCTAssertEqual(stories.status, 0, "readers still read: \(stories.stderr)")
        try disk.remount(readOnly: false)
        XCTAssertEqual(try runTidings(["run", "--once", "--config", config.path]).status, 0)
        XCTAssertEqual(try runTidings(["check", "--db", db]).status, 0)
    }
}
