import Feeds
import Fetch
import Foundation
import Store
import Synchronization

/// A feed's response, parsed (off the main thread) when it is a success.
struct FetchedFeed: Sendable {
    var result: Result<FetchResponse, FetchError>
    /// The parsed feed, or why it could not be parsed; nil when the response has no feed to parse.
    var parsed: Result<ParsedFeed, FeedParseFailure>?
    /// Each entry's full text in the feed, when it carries one (`ArticleStage.fullContent`).
    var fullContents: [String?] = []
}

/// Why a feed body could not be parsed.
struct FeedParseFailure: Error, Sendable { let message: String }

/// The cycle's due feeds, fetched and parsed on a thread of their own and handed out in batches as they complete.
final class FeedStream: Sendable {
    private struct State {
        var ready: [(Int, FetchedFeed)] = []
        var finished = false
        var cancelled = false
        var joined = false
    }

    private let state = Mutex(State())
    /// Signalled whenever `state` changes in a way the consumer may be waiting for (a response, the end).
    private let changed = DispatchSemaphore(value: 0)
    /// Signalled once the fetch thread has returned.
    private let exited = DispatchSemaphore(value: 0)
    private let capacity: Int
    private let shouldStop: @Sendable () -> Bool

    /// Starts fetching `feeds`; at most about `batchSize` responses (and those in flight) wait to be taken.
    init(
        client: HTTPClient, feeds: [FeedRecord], batchSize: Int, progress: @escaping @Sendable () -> Void,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        capacity = batchSize
        self.shouldStop = shouldStop
        let requests = feeds.map { FetchRequest(url: $0.url, etag: $0.etag, lastModified: $0.lastModified) }
        let thread = Thread { [self] in
            // A stop ends the transfers in flight at once: the daemon stops within a second, not when the slowest
            // feed times out (those feeds stay due).
            client.fetchEach(requests, admit: { self.admission() }, abandon: { self.isCancelled || self.shouldStop() })
            {
                index, result in
                let fetched = FeedStream.parse(result)
                progress()
                state.withLock { $0.ready.append((index, fetched)) }
                changed.signal()
            }
            state.withLock { $0.finished = true }
            changed.signal()
            exited.signal()
        }
        thread.stackSize = FeedStream.threadStack
        thread.start()
    }

    /// The fetch thread parses feeds too: libxml2's parser and the feed reader recurse with the document.
    static let threadStack = 16 << 20

    private var isCancelled: Bool { state.withLock { $0.cancelled } }

    private func admission() -> HTTPClient.Admission {
        state.withLock { s in
            if s.cancelled || shouldStop() { return .stop }
            return s.ready.count < capacity ? .go : .wait
        }
    }

    /// The next `count` responses (fewer once the last transfers are done) with their feeds' indices, in the order
    /// they completed; nil when every feed was handed out.
    func next(_ count: Int) -> [(Int, FetchedFeed)]? {
        while true {
            let taken: [(Int, FetchedFeed)]?? = state.withLock { s in
                guard s.ready.count >= count || s.finished else { return .none }
                if s.ready.isEmpty { return .some(nil) }
                let n = min(count, s.ready.count)
                let batch = Array(s.ready.prefix(n))
                s.ready.removeFirst(n)
                return .some(batch)
            }
            if let taken { return taken }
            changed.wait()
        }
    }

    /// Starts no more transfers and ends those in flight (their feeds stay due); returns once the fetch thread has.
    func cancel() {
        let wait = state.withLock { s in
            s.cancelled = true
            defer { s.joined = true }
            return !s.joined
        }
        if wait { exited.wait() }
    }

    static func parse(_ result: Result<FetchResponse, FetchError>) -> FetchedFeed {
        guard case .success(let r) = result, r.isSuccess else { return FetchedFeed(result: result) }
        do {
            let parsed = try FeedParser.parse(r.body, url: r.finalURL, charset: r.charset)
            return FetchedFeed(
                result: result, parsed: .success(parsed), fullContents: parsed.entries.map(ArticleStage.fullContent))
        } catch {
            return FetchedFeed(result: result, parsed: .failure(FeedParseFailure(message: "\(error)")))
        }
    }
}
