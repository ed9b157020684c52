import Extraction
import Foundation
import Lexicon
import Store
import Stories
import Synchronization

/// One batch's articles, extracted and ready for grouping and the store.
struct CommitJob: Sendable {
    /// The batch's new entries in publication order.
    var items: [WorkItem]
    /// Each entry's article (nil: it could not be had this cycle).
    var articles: [Article?]
    /// Each article's grouping features, made by the extraction workers.
    var prepared: [PreparedDocument?]
    /// The items whose page was left for the next cycle (a stop, or the batch's time for pages): not errors.
    var deferred: Set<Int> = []
    /// The batch's feeds as they were before the cycle (their old validators).
    var batch: [FeedRecord]
    /// The feeds read in this batch, with the state to save once their entries are stored.
    var pending: [Int64: FeedRecord]
    /// Fetch records and feed states from reading the batch, saved before its articles.
    var before: [DeferredWrite]
    /// What the template memories learned from the batch's pages.
    var templates: [(host: String, template: TemplateMemory.Host)]
}

/// What a committed batch adds to the cycle's report.
struct CommitOutcome: Sendable {
    var report = CycleReport()
}

/// A batch handed to the committer; `wait` blocks until it is stored.
final class CommitTicket: Sendable {
    private let outcome = Mutex(CommitOutcome())
    private let done = DispatchSemaphore(value: 0)

    func finish(_ o: CommitOutcome) {
        outcome.withLock { $0 = o }
        done.signal()
    }

    func wait() -> CommitOutcome {
        done.wait()
        return outcome.withLock { $0 }
    }
}

/// The grouping and storing stage: each article joins its story and is stored, then the batch's feeds get their new
/// validators and next poll. It runs on a serial queue of its own, so the story index and its connection are used by
/// one thread at a time (the pipeline waits for a batch before it hands over the next, and before the cycle ends).
/// That confinement, not a lock, is what makes it safe to send to its queue: hence `@unchecked`.
final class Committer: @unchecked Sendable {
    private let store: Store
    private let index: StoryIndex
    private let logger: Logger
    private let shouldStop: @Sendable () -> Bool
    private let onProgress: @Sendable () -> Void
    private let queue: DispatchQueue?
    /// The id the next stored article takes: grouping names an article by it before it is stored.
    private var nextArticleID: Int64

    init(
        store: Store, index: StoryIndex, logger: Logger, shouldStop: @escaping @Sendable () -> Bool,
        onProgress: @escaping @Sendable () -> Void, background: Bool
    ) {
        self.store = store
        self.index = index
        self.logger = logger
        self.shouldStop = shouldStop
        self.onProgress = onProgress
        queue = background ? DispatchQueue(label: "tidings.committer") : nil
        nextArticleID = (try? store.nextArticleID()) ?? 1
    }

    /// Starts storing `job` (or stores it now, when there is no queue).
    func submit(_ job: CommitJob) -> CommitTicket {
        let ticket = CommitTicket()
        if let queue {
            queue.async { ticket.finish(self.commit(job)) }
        } else {
            ticket.finish(commit(job))
        }
        return ticket
    }

    /// Groups and stores the batch's articles, then saves its feeds' state.
    private func commit(_ job: CommitJob) -> CommitOutcome {
        var report = CycleReport()
        inOneTransaction("the batch's fetch states") {
            for write in job.before { apply(write) }
        }
        let (failed, unstored, interrupted) = storeArticles(job, report: &report)
        // A fetched feed's next poll and new ETag/Last-Modified are saved only after its entries: a crash or a stop
        // before that leaves it due with the old validators, so the entries are read again. A failed page moves
        // the schedule on but keeps the old validators, so the next poll does not get a 304 and skip it.
        inOneTransaction("the batch's feed states and template memories") {
            for (id, done) in job.pending where !interrupted.contains(id) {
                var feed = done
                if let message = unstored[id] {
                    // The store refused an article: the feed says so in `feeds list`, not "healthy".
                    feed.lastError = "an article could not be stored: \(message)"
                }
                if failed.contains(id), let before = job.batch.first(where: { $0.id == id }) {
                    feed.etag = before.etag
                    feed.lastModified = before.lastModified
                }
                apply(.feed(feed))
            }
            for (host, t) in job.templates {
                do { try store.saveTemplate(host: host, pages: t.pages, counts: t.counts, seen: t.seen) } catch {
                    logger.warning("store: cannot save template memory for \(host): \(error)")
                }
            }
        }
        return CommitOutcome(report: report)
    }

    /// Runs `body` as one transaction; when none can be opened, its writes go one by one.
    private func inOneTransaction(_ what: String, _ body: () -> Void) {
        var ran = false
        do {
            try store.batch {
                ran = true
                body()
            }
        } catch {
            if ran { logger.error("store \(store.path): cannot commit \(what): \(error)") } else { body() }
        }
    }

    private func apply(_ write: DeferredWrite) {
        switch write {
        case .feed(let feed):
            do { try store.updateFeed(feed) } catch {
                logger.error("feed \(feed.url): cannot save fetch state: \(error)")
            }
        case .fetchLog(let feedID, let status, let bytes, let error, let duration):
            try? store.logFetch(feedID: feedID, status: status, bytes: bytes, error: error, duration: duration)
        }
    }

    /// Stores the articles; returns the feeds with an entry that failed and those with an entry not reached
    /// because of a stop.
    private func storeArticles(
        _ job: CommitJob, report: inout CycleReport
    )
        -> (failed: Set<Int64>, unstored: [Int64: String], interrupted: Set<Int64>)
    {
        let items = job.items
        var failed = Set<Int64>()
        var interrupted = Set<Int64>()
        var unstored: [Int64: String] = [:]  // feed → why the store refused one of its articles
        // Articles commit together, up to 200 or half a second's worth at a time: a commit per article spent more
        // time in commits and full-text index flushes than in grouping. A crash loses at most the chunk in hand,
        // whose feeds keep their old validators and are read again; a record that fails is undone alone.
        var start = 0
        chunks: while start < items.count {
            var end = min(start + 200, items.count)
            let began = Date()
            do {
                try store.batch {
                    for i in start..<end {
                        if i > start && Date().timeIntervalSince(began) > 0.5 {
                            end = i
                            return
                        }
                        if shouldStop() {
                            report.interrupted = true
                            interrupted.formUnion(items[i...].map(\.feed.id))
                            return
                        }
                        let item = items[i]
                        guard let article = job.articles[i], let prepared = job.prepared[i] else {
                            if !job.deferred.contains(i) { report.articleErrors += 1 }
                            failed.insert(item.feed.id)  // its feed keeps the old validators: the entry is read again
                            continue
                        }
                        switch store(article, prepared, item: item) {
                        case .stored(let joined):
                            report.newArticles += 1
                            if joined { report.joinedStories += 1 }
                        case .alreadyStored: break
                        case .failed(let message):
                            report.articleErrors += 1
                            failed.insert(item.feed.id)
                            unstored[item.feed.id] = message
                        }
                        onProgress()
                    }
                }
            } catch {
                logger.error("store \(store.path): cannot commit \(end - start) articles: \(error)")
                failed.formUnion(items[start..<end].map(\.feed.id))
            }
            if report.interrupted { break chunks }
            start = end
        }
        return (failed, unstored, interrupted)
    }

    /// What became of one article.
    enum StoreOutcome {
        case stored(joinedStory: Bool)
        case alreadyStored
        case failed(String)
    }

    /// Bytes of clean text below which two articles with the same text are not taken to be the same article.
    static let minimumTextForIdentity = 200

    /// Groups and stores one article.
    private func store(_ a: Article, _ prepared: PreparedDocument, item: WorkItem) -> StoreOutcome {
        let text = a.text
        let published = ArticleStage.published(a, item)
        let contentHash = String(FNV1a.hash(text.utf8), radix: 16)  // the stored content hash
        do {
            // Identical text says "the same article" only when there is text: pages that all came out empty (or
            // as one short line) are not one another.
            let sameText = text.utf8.count >= Committer.minimumTextForIdentity ? contentHash : nil
            if let stored = try store.storedCopy(
                canonicalURL: prepared.url, url: item.pageURL, title: a.title, contentHash: sameText,
                source: item.source)
            {
                try store.recordEntry(
                    feedID: item.feed.id, key: item.key, url: item.pageURL, title: a.title,
                    published: published, article: stored)
                logger.debug(
                    "feed \(item.feed.url): \(item.key) is article \(stored) again (same address or text); not stored twice"
                )
                return .alreadyStored
            }
        } catch {
            logger.error("feed \(item.feed.url): cannot store \(item.key): \(error)")
            return .failed("\(error)")
        }
        var prepared = prepared
        let articleID = nextArticleID
        nextArticleID += 1
        prepared.id = String(articleID)
        let assignment = index.assign(prepared)
        var record = NewArticle(
            feedID: item.feed.id, entryKey: item.key, url: item.pageURL,
            canonicalURL: prepared.url, title: a.title,
            author: a.author ?? item.entry.author, published: published, language: a.language, text: text,
            contentHash: contentHash, source: item.source, storyID: assignment.story,
            reason: assignment.reason.rawValue, similarity: assignment.similarity,
            groupedAt: published == nil ? item.estimatedTime : nil)
        record.id = articleID
        record.copyOf = assignment.copyOf.flatMap { Int64($0) }
        record.categories = item.entry.categories
        do {
            let id = try store.record(record, storyTitle: assignment.representative ? a.title : nil)
            guard id != nil else { return .alreadyStored }
            if !assignment.merged.isEmpty {
                try store.mergeStories(assignment.merged, into: assignment.story)
                logger.info(
                    "stories \(assignment.merged.map(String.init).joined(separator: ", ")) merged into story \(assignment.story): \"\(a.title ?? item.key)\" reports the same event"
                )
            }
            logger.info(
                "feed \(item.feed.url): stored \"\(a.title ?? item.key)\" in story \(assignment.story) (\(assignment.reason.rawValue))"
            )
            return .stored(joinedStory: assignment.reason != .newStory)
        } catch {
            logger.error("feed \(item.feed.url): cannot store \(item.key): \(error)")
            return .failed("\(error)")
        }
    }
}
