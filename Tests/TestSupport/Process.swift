import Foundation

/// What a finished command printed and returned.
public struct CommandResult: Sendable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// Exit status.
    public var status: Int32
}

/// The `tidings` executable built beside the test bundle (or $TIDINGS_EXECUTABLE, e.g. a release build for load figures).
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

/// Runs `tidings` with `arguments` in `directory` and waits for it.
@discardableResult
public func runTidings(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
) throws -> CommandResult {
    let p = Process()
    p.executableURL = tidingsExecutable()
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = directory }
    if let environment { p.environment = environment }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes while the process runs, so neither can fill up and block it.
    let errData = Handoff<Data>(Data())
    let errThread = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !errData.done { Thread.sleep(forTimeInterval: 0.01) }
    return CommandResult(
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self), status: p.terminationStatus)
}

/// A value handed from one thread to another once.
final class Handoff<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    private var finished = false
    init(_ v: T) { stored = v }
    func set(_ v: T) {
        lock.lock()
        stored = v
        finished = true
        lock.unlock()
    }
    var value: T {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    var done: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }
}

/// A value shared with a test server's threads.
public final class Shared<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    /// Makes a shared value.
    public init(_ v: T) { stored = v }
    /// The value now.
    public var value: T {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    /// Replaces the value.
    public func set(_ v: T) {
        lock.lock()
        stored = v
        lock.unlock()
    }
}

/// Starts `tidings serve --config CONFIG` in the background (stderr dropped); the caller stops it.
public func startDaemon(config: URL, arguments: [String] = ["--log-level", "error"]) throws -> Process {
    let serve = Process()
    serve.executableURL = tidingsExecutable()
    serve.arguments = ["serve", "--config", config.path] + arguments
    serve.standardError = FileHandle.nullDevice
    try serve.run()
    return serve
}
