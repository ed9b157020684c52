// libFuzzer entry point for tidings' parsers of untrusted input. Built only by Tests/Fuzz/run.sh
// (TIDINGS_FUZZ=1 adds this target to the package); TIDINGS_FUZZ_TARGET picks what one run exercises.
import Extraction
import Feeds
import Foundation
import Service

/// The parser a fuzz run feeds its inputs to.
enum FuzzTarget: String {
    case feed, html, text, config, opml
}

nonisolated(unsafe) private var target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TIDINGS_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(
            Data("TIDINGS_FUZZ_TARGET must be one of feed, html, text, config, opml (got '\(name)')\n".utf8))
        exit(64)
    }
    return t
}()

/// libFuzzer's driver, which parses its flags from the command line and calls `fuzzOneInput` for each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The program's entry point (SwiftPM links an executable target's main under this name).
@_cdecl("tidings_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}

/// Runs one input through the chosen parser; any crash, trap or sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    switch target {
    case .feed:
        _ = try? FeedParser.parse(data, url: "http://fuzz.invalid/feed.xml")
    case .html:
        _ = Extractor.extract(data, contentType: "text/html", hints: PageHints(url: "http://fuzz.invalid/a/page.html"))
    case .text:
        _ = Extractor.extract(data, contentType: "text/plain", hints: PageHints(url: "http://fuzz.invalid/a/page.txt"))
    case .config:
        _ = try? Config.parse(String(decoding: data, as: UTF8.self), path: "/fuzz.invalid/tidings.toml")
    case .opml:
        // What `feeds import` does with a file: read its outlines, then hold each address to what tidings fetches.
        for feed in (try? OPML.parse(data)) ?? [] {
            _ = Config.addressProblem(feed.url)
            _ = Config.feedURL(feed.url, base: URL(fileURLWithPath: "/fuzz.invalid/"))
        }
    }
    return 0
}
