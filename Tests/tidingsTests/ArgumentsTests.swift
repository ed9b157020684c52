import Foundation
import Service
import TestSupport
import XCTest

/// The command line as a user meets it: usage errors, help, version and the declarations help is made from.
final class ArgumentsTests: XCTestCase {
    func testUsageErrorsExit64AndSayWhatWasWrong() throws {
        let unknown = try runTidings(["stories", "--colour"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("Unknown option '--colour'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("Usage: tidings stories"), unknown.stderr)
        let command = try runTidings(["frobnicate"])
        XCTAssertEqual(command.status, 64)
        XCTAssertTrue(command.stderr.contains("'frobnicate'"), command.stderr)
        let notANumber = try runTidings(["stories", "--limit", "ten"])
        XCTAssertEqual(notANumber.status, 64)
        XCTAssertTrue(notANumber.stderr.contains("'ten'"), notANumber.stderr)
        let format = try runTidings(["export", "--format", "xml"])
        XCTAssertEqual(format.status, 64)
        XCTAssertTrue(format.stderr.contains("'xml'"), format.stderr)
        let level = try runTidings(["run", "--once", "--log-level", "loud"])
        XCTAssertEqual(level.status, 64)
        XCTAssertTrue(level.stderr.contains("unknown log level 'loud'"), level.stderr)
        let missing = try runTidings(["extract"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("<paths>"), missing.stderr)
    }

    func testHelpAndVersion() throws {
        let help = try runTidings(["help", "feeds", "add"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: tidings feeds add"), help.stdout)
        let bare = try runTidings([])
        XCTAssertEqual(bare.status, 0)
        XCTAssertTrue(bare.stdout.contains("SUBCOMMANDS"), bare.stdout)
        XCTAssertEqual(
            try runTidings(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), Version.current)
    }

    /// Help is made from the declarations: every command and every parameter says what it is for.
    func testEveryCommandAndParameterHasHelp() throws {
        let dump = try runTidings(["--experimental-dump-help"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var commands = 0
        func walk(_ c: [String: Any], _ path: String) {
            commands += 1
            let name = path + " " + (c["commandName"] as? String ?? "?")
            XCTAssertFalse((c["abstract"] as? String ?? "").isEmpty, name)
            for a in c["arguments"] as? [[String: Any]] ?? [] {
                let label =
                    (a["preferredName"] as? [String: Any])?["name"] as? String ?? a["valueName"] as? String ?? "?"
                XCTAssertFalse((a["abstract"] as? String ?? "").isEmpty, "\(name) \(label)")
            }
            // `help` is swift-argument-parser's own command, not declared here.
            for s in c["subcommands"] as? [[String: Any]] ?? [] where s["commandName"] as? String != "help" {
                walk(s, name)
            }
        }
        walk(try XCTUnwrap(root["command"] as? [String: Any]), "")
        XCTAssertGreaterThan(commands, 20)
    }
}
