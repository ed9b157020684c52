import Foundation
// swift-tools-version:6.0
import PackageDescription

/// Release builds carry the Swift runtime and Foundation inside the binary: it runs on a machine without a Swift
/// toolchain, and each command starts in half the time (no dynamic loading and binding of ~20 libraries). Every
/// module is compiled for it too, so that each links the static libraries its imports need.
/// Fuzzing builds (release, with sanitizers; see the end of this file) keep the shared runtime.
let fuzzing = ProcessInfo.processInfo.environment["TIDINGS_FUZZ"] != nil
let staticRuntime: [SwiftSetting] = fuzzing ? [] : [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
let staticRuntimeLink: [LinkerSetting] =
    fuzzing ? [] : [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
/// The text stages (parsing, extraction, tokenizing) run without the run-time exclusivity checks in release: a
/// class's stored property costs a check on every access there (per node and per token), and the compiler still
/// proves exclusivity statically. Debug builds and the tests keep them, so a violation still fails there.
let textStage: [SwiftSetting] =
    staticRuntime + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

/// tidings: a news-feed aggregator daemon. One folder per pipeline stage (see README, "Design").
let package = Package(
    name: "tidings",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidings", targets: ["tidings"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // C libraries: module maps (and a small shim where the C API is variadic).
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("dl")]  // libcurl itself is opened on first use (see shim.c)
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's <malloc.h> (mallopt), which the Glibc module leaves out.
        .systemLibrary(name: "CMalloc"),

        // Pipeline stages.
        .target(name: "Markup", dependencies: ["CLibXML2", "CZlib", "Lexicon"], swiftSettings: textStage),
        .target(name: "Feeds", dependencies: ["Markup", "Lexicon"], swiftSettings: textStage),
        .target(name: "Lexicon", swiftSettings: textStage),
        .target(name: "Extraction", dependencies: ["Markup", "Lexicon"], swiftSettings: textStage),
        .target(name: "Stories", dependencies: ["Lexicon"], swiftSettings: textStage),
        .target(name: "Store", dependencies: ["CSQLite"], swiftSettings: staticRuntime),
        .target(name: "Fetch", dependencies: ["CCurl", "Markup"], swiftSettings: staticRuntime),
        .target(
            name: "Web",
            dependencies: [
                "Store", "Markup", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: staticRuntime),
        .target(
            name: "Service",
            dependencies: ["Feeds", "Extraction", "Stories", "Store", "Fetch", "Lexicon", "Web", "CMalloc"],
            swiftSettings: staticRuntime),
        .executableTarget(
            name: "tidings",
            dependencies: [
                "Service", "Markup", "Feeds", "Extraction", "Stories", "Store", "Fetch", "CMalloc", "Web",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime, linkerSettings: staticRuntimeLink
        ),

        // Benchmarks of the pure stages (and peers.py, which runs the Python peers on the same files).
        .executableTarget(
            name: "tidings-bench",
            dependencies: ["Feeds", "Extraction", "Stories", "Markup", "Store", "Lexicon"],
            exclude: ["peers.py"],
            swiftSettings: staticRuntime, linkerSettings: staticRuntimeLink
        ),

        // Tests: one target per module, plus the end-to-end CLI tests; TestSupport holds a real local HTTP server.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MarkupTests", dependencies: ["Markup", "TestSupport"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Markup"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Markup"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LexiconTests", dependencies: ["Lexicon", "TestSupport"]),
        .testTarget(
            name: "StoriesTests", dependencies: ["Stories", "Lexicon", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "TestSupport"]),
        .testTarget(
            name: "ServiceTests", dependencies: ["Service", "Extraction", "Feeds", "Store", "Stories", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "tidingsTests", dependencies: ["tidings", "Service", "Store", "Web", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "WebTests", dependencies: ["Web", "Store"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer target has no main of its own (libFuzzer brings it), so it exists only in fuzzing builds:
// Tests/Fuzz/run.sh sets TIDINGS_FUZZ=1 and builds with --sanitize=fuzzer --sanitize=address.
if fuzzing {
    package.targets.append(
        .executableTarget(
            name: "tidings-fuzz",
            dependencies: ["Feeds", "Extraction", "Service"],
            path: "Tests/Fuzz",
            exclude: ["run.sh", "README.md"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
    package.products.append(.executable(name: "tidings-fuzz", targets: ["tidings-fuzz"]))
}
