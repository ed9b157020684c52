import Foundation
import Markup

/// What a response means to a feed reader, kept with the response (as Miniflux keeps it in its fetcher's response
/// handler): which statuses carry a feed, which say "unchanged" or "gone", and how long the server asks to be left
/// alone. The daemon's scheduler and feed states read these; none of them re-reads a status code.
extension FetchResponse {
    /// What a feed's response tells the reader to do.
    public enum FeedVerdict: Sendable, Equatable {
        /// 2xx: a body to parse.
        case content
        /// 304: unchanged since the validators sent.
        case notModified
        /// 410: gone for good; polling stops.
        case gone
        /// Any other status: an error, retried later.
        case failed
    }

    /// The verdict for a feed fetched with this response.
    public var feedVerdict: FeedVerdict {
        switch status {
        case 200..<300: return .content
        case 304: return .notModified
        case 410: return .gone
        default: return .failed
        }
    }

    /// Whether the status is a success (2xx): the body is what was asked for.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The validators to send next time (If-None-Match, If-Modified-Since).
    public var etag: String? { headers["etag"] }
    public var lastModified: String? { headers["last-modified"] }

    /// Seconds the response may be cached (Cache-Control max-age, else Expires).
    public func cacheLifetime(now: Date) -> Double? {
        if let cc = headers["cache-control"]?.lowercased() {
            for part in cc.split(separator: ",") {
                let p = part.trimmingCharacters(in: .whitespaces)
                if p.hasPrefix("max-age="), let v = Double(p.dropFirst(8)), v >= 0 { return v }
            }
        }
        if let e = headers["expires"], let d = FeedDate.parse(e) { return max(0, d.timeIntervalSince(now)) }
        return nil
    }

    /// The longest a server's Retry-After is obeyed: a server's mistake must not silence a feed for good.
    public static let longestRetryAfter: TimeInterval = 7 * 86400

    /// The time named by Retry-After on a 429 or 503 (seconds or an HTTP date), at most a week away.
    public func retryAfter(now: Date) -> Date? {
        guard status == 429 || status == 503,
            let v = headers["retry-after"]?.trimmingCharacters(in: .whitespaces)
        else { return nil }
        if let s = Double(v) { return now.addingTimeInterval(min(max(0, s), FetchResponse.longestRetryAfter)) }
        return FeedDate.parse(v).map { min($0, now.addingTimeInterval(FetchResponse.longestRetryAfter)) }
    }
}
