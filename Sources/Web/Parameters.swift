import Foundation
import Hummingbird
import Store

/// A request the server refuses: the status and one line that says what was wrong.
struct Refusal: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// A request's query string, decoded (`+` is a space, as forms send it), checked against the names a route
/// takes: an unknown name is refused rather than silently ignored, so that `?lmit=5` says so.
struct Parameters {
    private var values: [String: String] = [:]

    /// Longest value of one parameter, in bytes.
    static let maxValueBytes = 1000

    init(_ query: String?, allowed: [String]) throws {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Parameters.decode(parts[0]) else {
                throw Refusal(.badRequest, "the query string is not valid percent-encoded UTF-8")
            }
            guard allowed.contains(name) else {
                let known = allowed.isEmpty ? "this address takes none" : "known: " + allowed.joined(separator: ", ")
                throw Refusal(.badRequest, "unknown parameter '\(Parameters.shown(name))' (\(known))")
            }
            guard let value = Parameters.decode(parts.count > 1 ? parts[1] : "") else {
                throw Refusal(.badRequest, "the value of '\(name)' is not valid percent-encoded UTF-8")
            }
            guard value.utf8.count <= Parameters.maxValueBytes else {
                throw Refusal(.badRequest, "the value of '\(name)' is longer than \(Parameters.maxValueBytes) bytes")
            }
            guard values[name] == nil else { throw Refusal(.badRequest, "'\(name)' is given twice") }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { values[name] = trimmed }  // an empty form field means "any"
        }
    }

    /// The value of `name`, if given and not empty.
    subscript(_ name: String) -> String? { values[name] }

    /// `limit`, from 1 to `max`; `fallback` when absent.
    func limit(fallback: Int, max: Int) throws -> Int {
        guard let text = values["limit"] else { return fallback }
        guard let n = Int(text), n >= 1, n <= max else {
            throw Refusal(.badRequest, "limit must be a whole number from 1 to \(max); got '\(Parameters.shown(text))'")
        }
        return n
    }

    /// `since` as a time.
    func since() throws -> Date? {
        guard let text = values["since"] else { return nil }
        guard let date = Since.parse(text) else {
            throw Refusal(.badRequest, "since expects \(Since.expected); got '\(Parameters.shown(text))'")
        }
        return date
    }

    /// `cursor`, the `next` of the page before.
    func cursor() throws -> PageCursor? {
        guard let text = values["cursor"] else { return nil }
        guard let cursor = PageCursor(text: text) else {
            throw Refusal(.badRequest, "cursor '\(Parameters.shown(text))' is not one this server gave (use `next`)")
        }
        return cursor
    }

    /// The filter these parameters describe; the feed is matched as the CLI's `--feed` matches it.
    func filter(_ store: Store, limit: Int) throws -> ArticleFilter {
        var f = ArticleFilter(language: values["lang"]?.lowercased(), category: values["category"], limit: limit)
        f.since = try since()
        f.after = try cursor()
        if let feed = values["feed"] {
            let feeds = try store.feeds(matching: feed)
            guard !feeds.isEmpty else { throw Refusal(.badRequest, "no feed matches '\(Parameters.shown(feed))'") }
            f.feedIDs = feeds.map(\.id)
        }
        return f
    }

    /// The names the list routes take.
    static let listNames = ["since", "feed", "lang", "category", "limit", "cursor"]

    /// An id from a path segment.
    static func id(_ text: String?, of what: String) throws -> Int64 {
        guard let text, let id = Int64(text), id > 0 else {
            throw Refusal(.badRequest, "\(what) id must be a positive whole number; got '\(shown(text ?? ""))'")
        }
        return id
    }

    /// A value as an error message may quote it: at most 80 characters.
    static func shown(_ s: String) -> String { s.count > 80 ? String(s.prefix(80)) + "…" : s }

    /// Percent-decoding with `+` as a space; nil for invalid escapes or bytes that are not UTF-8.
    static func decode(_ s: Substring) -> String? {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        guard spaced.contains("%") else { return spaced }
        return spaced.removingPercentEncoding
    }
}
