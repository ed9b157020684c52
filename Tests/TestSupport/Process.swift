import Foundation
import Synchronization

/// What a finished command printed and returned.
public struct CommandResult: Sendable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// Exit status.
    public var status: Int32
}

/// The `tidings` executable built beside the test bundle (or $TIDINGS_EXECUTABLE, e.g. a release build for load
/// figures).
public func tidingsExecutable() -> URL {
    if let path = ProcessInfo.processInfo.environment["TIDINGS_EXECUTABLE"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("tidings")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir.deleteLastPathComponent()
    }
    // swift test's own layout: .build/<config>/tidingsPackageTests.xctest beside .build/<config>/tidings.
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/tidings")
}

/// The repository's root folder.
public func repositoryRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The longest a command run by a test may take: past it the command is killed (SIGKILL) and the test sees it
/// fail, instead of the suite hanging until CI gives up.
public let commandDeadline: TimeInterval = 300

/// Runs `tidings` with `arguments` in `directory` and waits for it, at most `deadline` seconds.
@discardableResult
public func runTidings(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    deadline: TimeInterval = commandDeadline
) throws -> CommandResult {
    try runProgram(tidingsExecutable(), arguments, in: directory, environment: environment, deadline: deadline)
}

/// Runs the program at `executable` with `arguments` and waits for it, at most `deadline` seconds (then SIGKILL).
@discardableResult
public func runProgram(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
    deadline: TimeInterval = commandDeadline
) throws -> CommandResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = directory }
    if let environment { p.environment = environment }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let pid = p.processIdentifier
    let finished = Handoff<Bool>(false)
    DispatchQueue.global().asyncAfter(deadline: .now() + deadline) {
        if !finished.done { kill(pid, SIGKILL) }
    }
    defer { finished.set(true) }
    // Read both pipes while the process runs, so neither can fill up and block it.
    let errData = Handoff<Data>(Data())
    let errThread = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let drained = Date().addingTimeInterval(deadline)
    while !errData.done, Date() < drained { Thread.sleep(forTimeInterval: 0.01) }
    return CommandResult(
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self), status: p.terminationStatus)
}

/// A value handed from one thread to another once.
final class Handoff<T: Sendable>: Sendable {
    private let state: Mutex<(value: T, done: Bool)>
    init(_ v: T) { state = Mutex((v, false)) }
    func set(_ v: T) { state.withLock { $0 = (v, true) } }
    var value: T { state.withLock { $0.value } }
    var done: Bool { state.withLock { $0.done } }
}

/// A value shared with a test server's threads.
public final class Shared<T: Sendable>: Sendable {
    private let stored: Mutex<T>
    /// Makes a shared value.
    public init(_ v: T) { stored = Mutex(v) }
    /// The value now.
    public var value: T { stored.withLock { $0 } }
    /// Replaces the value.
    public func set(_ v: T) { stored.withLock { $0 = v } }
}

/// Randomness a failing test can repeat: SplitMix64 from a seed that the test prints (`TIDINGS_TEST_SEED` sets it).
public struct SeededGenerator: RandomNumberGenerator {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: UInt64

    /// A generator from `TIDINGS_TEST_SEED` when set, else from `fallback`; says which seed on stdout.
    public init(fallback: UInt64, test: String = #function) {
        let fromEnvironment = ProcessInfo.processInfo.environment["TIDINGS_TEST_SEED"].flatMap { UInt64($0) }
        seed = fromEnvironment ?? fallback
        state = seed
        print("\(test): random seed \(seed) (TIDINGS_TEST_SEED=\(seed) repeats it)")
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Starts `tidings serve --config CONFIG` in the background (stderr dropped); the caller stops it.
public func startDaemon(config: URL, arguments: [String] = ["--log-level", "error"]) throws -> Process {
    let serve = Process()
    serve.executableURL = tidingsExecutable()
    serve.arguments = ["serve", "--config", config.path] + arguments
    serve.standardOutput = FileHandle.nullDevice
    serve.standardError = FileHandle.nullDevice
    try serve.run()
    return serve
}

extension Process {
    /// Ends the process (SIGTERM) if it still runs, and waits for it: a test's `defer`.
    public func stopIfRunning() {
        guard isRunning else { return }
        terminate()
        waitUntilExit()
    }
}
