import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Rows of columns: an aligned table fitted to the terminal when stdout is one, tab-separated lines when piped.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// The column that gives up width when the terminal is narrow (usually the title).
    var flexible: Int

    /// Whether stdout is a terminal (and how wide it is).
    static var terminalWidth: Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }

    func print() {
        guard let width = Table.terminalWidth else {
            for r in rows { Swift.print(r.map { $0.replacingOccurrences(of: "\t", with: " ") }.joined(separator: "\t")) }
            return
        }
        var widths = headers.indices.map { i in max(headers[i].count, rows.map { $0[i].count }.max() ?? 0) }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        if total > width { widths[flexible] = max(8, widths[flexible] - (total - width)) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let fitted = c.count > widths[i] ? String(c.prefix(max(1, widths[i] - 1))) + "…" : c
                return i == cells.count - 1 ? fitted : fitted.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        Swift.print(line(headers))
        for r in rows { Swift.print(line(r)) }
    }
}
