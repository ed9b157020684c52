import Foundation

/// Log levels, numbered as syslog and journald number them.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

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

    /// Longest message a line carries, in bytes: a feed's 50 MB title became a 50 MB log line; journald keeps
    /// lines whole up to 48 KB, and what names the feed and the event comes first.
    public static let maxMessageBytes = 4096

    /// Logs `message` at `level` as one line (see `line`).
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level <= self.level else { return }
        FileHandle.standardError.write(Data(Logger.line(level, message()).utf8))
    }

    /// The line `message` is logged as: its priority prefix, control characters (line breaks among them) as
    /// spaces so one event stays one line whatever a remote feed put in it, cut at `maxMessageBytes` on a
    /// character boundary with the number of bytes left out.
    public static func line(_ level: LogLevel, _ message: String) -> String {
        var out = "<\(level.rawValue)>"
        var kept = 0
        for scalar in message.unicodeScalars {
            let size = UTF8.width(scalar)
            if kept + size > maxMessageBytes {
                out += "… (\(message.utf8.count - kept) more bytes)"
                break
            }
            kept += size
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out.unicodeScalars.append(" ")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\n"
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
