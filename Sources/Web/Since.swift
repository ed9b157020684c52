import Foundation
import Markup

/// The `since` of a filter, as the CLI's `--since` and the API's `?since=` take it.
public enum Since {
    /// A time from a span back from `now` ("90m", "24h", "7d", "2w") or a date ("2026-11-20", RFC 3339); nil when
    /// `text` names neither.
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        // A span is at most a thousand years back (1e308h was taken, and a date that far is no date).
        if let u = text.last, let scale = units[u], let n = Double(text.dropLast()), n >= 0,
            n * scale <= 1000 * 366 * 86400
        {
            return now.addingTimeInterval(-n * scale)
        }
        if let u = text.last, units[u] != nil, Double(text.dropLast()) != nil { return nil }
        return FeedDate.parse(text.count == 10 ? text + "T00:00:00Z" : text)
    }

    /// What a valid value looks like, for error messages.
    public static let expected = "a span such as 90m, 24h or 7d, or a date such as 2026-11-20"
}
