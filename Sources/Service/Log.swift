import Foundation

/// Log levels, numbered as syslog and journald number them.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case error = 3, warning = 4, notice = 5, info = 6, debug = 7

    /// The level named `name` ("error", "warning", "notice", "info", "debug").
    public init?(name: String) {
        switch name.lowercased() {
        case "error", "err": self = .error
        case "warning", "warn": self = .warning
        case "notice": self = .notice
        case "info": self = .info
        case "debug": self = .debug
        default: return nil
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Writes one line per event to stderr with a `<N>` priority prefix, which journald reads as the line's level.
public struct Logger: Sendable {
    /// Lines above this level are dropped.
    public var level: LogLevel

    /// Makes a logger.
    public init(level: LogLevel = .info) { self.level = level }

    /// Logs `message` at `level`; newlines inside it are flattened so one event stays one line.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level <= self.level else { return }
        let line = "<\(level.rawValue)>" + message().replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Logs an error.
    public func error(_ m: @autoclosure () -> String) { log(.error, m()) }
    /// Logs a warning.
    public func warning(_ m: @autoclosure () -> String) { log(.warning, m()) }
    /// Logs a notice.
    public func notice(_ m: @autoclosure () -> String) { log(.notice, m()) }
    /// Logs information.
    public func info(_ m: @autoclosure () -> String) { log(.info, m()) }
    /// Logs debugging detail.
    public func debug(_ m: @autoclosure () -> String) { log(.debug, m()) }
}
