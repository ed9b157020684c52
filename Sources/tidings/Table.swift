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

    /// A cell as one line: a line break, tab or other control character in it (a remote feed's title, an
    /// address from an OPML file) would otherwise start a forged row or column.
    static func flat(_ cell: String) -> String {
        guard
            cell.unicodeScalars.contains(where: {
                $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}"
            })
        else { return cell }
        return String(
            String.UnicodeScalarView(
                cell.unicodeScalars.map {
                    $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
                }))
    }

    func print() {
        let rows = self.rows.map { $0.map(Table.flat) }
        guard let width = Table.terminalWidth else {
            for r in rows { Swift.print(r.joined(separator: "\t")) }
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
