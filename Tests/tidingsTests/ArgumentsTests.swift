import Foundation
import Service
import TestSupport
import XCTest
@testable import tidings

/// The command-line parser every command goes through.
final class ArgumentsTests: XCTestCase {
    private let spec = CommandSpec(name: "x", abstract: "test", parameters: [
        .flag("json", help: ""), .option("limit", value: "n", help: ""), .option("log-level", help: ""),
        .argument("first", help: ""), .argument("rest", optional: true, many: true, help: ""),
    ])

    private func parse(_ words: [String]) throws -> ParsedArguments? { try CommandLineRunner.parse(words, for: spec) }

    func testFlagsOptionsAndArgumentsInAnyOrder() throws {
        let a = try XCTUnwrap(parse(["--limit", "5", "one", "--json", "two", "--log-level=debug", "three"]))
        XCTAssertTrue(a.flag("json"))
        XCTAssertEqual(try a.integer(option: "limit", as: Int.self), 5)
        XCTAssertEqual(a.option("log-level"), "debug")
        XCTAssertEqual(a.argument("first"), "one")
        XCTAssertEqual(a.arguments("rest"), ["two", "three"])
        let b = try XCTUnwrap(parse(["only"]))
        XCTAssertFalse(b.flag("json"))
        XCTAssertNil(b.option("limit"))
        XCTAssertEqual(b.arguments("rest"), [])
    }

    func testDoubleDashEndsOptionsAndDashIsAnArgument() throws {
        let a = try XCTUnwrap(parse(["-", "--", "--json", "-x"]))
        XCTAssertFalse(a.flag("json"))
        XCTAssertEqual(a.argument("first"), "-")
        XCTAssertEqual(a.arguments("rest"), ["--json", "-x"])
    }

    func testHelpAnywhereAsksForHelp() throws {
        XCTAssertNil(try parse(["one", "--help"]))
        XCTAssertNil(try parse(["-h"]))
    }

    func testMistakesAreNamed() {
        func message(_ words: [String]) -> String {
            do { _ = try parse(words); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message([]), "missing <first>")
        XCTAssertEqual(message(["a", "--nope"]), "unknown option '--nope'")
        XCTAssertEqual(message(["a", "-j"]), "unknown option '-j'")
        XCTAssertEqual(message(["a", "--limit"]), "missing value for --limit")
        XCTAssertEqual(message(["a", "--json=yes"]), "--json takes no value")
        let single = CommandSpec(name: "y", abstract: "", parameters: [.argument("file", help: "")])
        XCTAssertThrowsError(try CommandLineRunner.parse(["a", "b"], for: single)) { XCTAssertEqual("\($0)", "unexpected argument 'b'") }
        XCTAssertThrowsError(try XCTUnwrap(parse(["a", "--limit", "ten"])).integer(option: "limit", as: Int.self)) {
            XCTAssertEqual("\($0)", "--limit expects a whole number; got 'ten'")
        }
    }

    func testEveryCommandIsDeclaredOnceWithHelpForEachParameter() {
        func walk(_ path: [CommandSpec]) {
            let c = path.last!
            XCTAssertFalse(c.abstract.isEmpty, c.name)
            XCTAssertEqual(Set(c.parameters.map(\.name)).count, c.parameters.count, "a parameter declared twice in \(c.name)")
            for p in c.parameters { XCTAssertFalse(p.help.isEmpty, "\(c.name) --\(p.name)") }
            XCTAssertEqual(Set(c.subcommands.map(\.name)).count, c.subcommands.count)
            XCTAssertTrue(c.run != nil || !c.subcommands.isEmpty, c.name)
            for s in c.subcommands { walk(path + [s]) }
            XCTAssertTrue(CommandLineRunner.help(path).contains(CommandLineRunner.usage(path)))
        }
        walk([Tidings.root])
    }

    func testUsageErrorsExit64AndSayWhatWasWrong() throws {
        let unknown = try runTidings(["stories", "--colour"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown option '--colour'"), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("USAGE: tidings stories"), unknown.stderr)
        let command = try runTidings(["frobnicate"])
        XCTAssertEqual(command.status, 64)
        XCTAssertTrue(command.stderr.contains("unknown command 'frobnicate'"), command.stderr)
        let help = try runTidings(["help", "feeds", "add"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: tidings feeds add"), help.stdout)
        XCTAssertEqual(try runTidings(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), Version.current)
    }
}
