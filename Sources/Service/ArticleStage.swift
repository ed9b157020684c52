import CMalloc
import Extraction
import Feeds
import Fetch
import Foundation
import Store
import Stories
import Synchronization

/// The article stage of a batch: fetch the pages its new entries need, extract every article on every core with
/// its site's template memory, and make each article's grouping features. Grouping and storing are the
/// committer's.
final class ArticleStage {
    private let store: Store
    private let logger: Logger
    /// Template memories in use by the batch being extracted, by host.
    private var templates: [String: TemplateMemory.Host] = [:]
    /// Hosts whose template memory learned something since it was last saved.
    private var dirtyTemplates = Set<String>()
    /// The previous batch's template memories (perhaps not saved yet).
    private var recentTemplates: [String: TemplateMemory.Host] = [:]

    /// Whether extraction runs on `BackgroundWorkers`, below the web server's priority (set while one serves).
    var yieldsToReaders = false

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// What one batch's entries became, in publication order.
    struct Prepared {
        var items: [WorkItem]
        var articles: [Article?]
        var prepared: [PreparedDocument?]
        /// The items whose page was left for the next cycle (a stop, or the batch's time for pages): not errors.
        var deferred: Set<Int>
    }

    /// Puts the batch's new entries in publication order, fetches the pages they need (within one transfer
    /// timeout, `limits.totalTimeout`) and extracts every article and its grouping features.
    func prepare(
        _ work: [WorkItem], client: HTTPClient, limits: FetchLimits, shouldStop: @escaping @Sendable () -> Bool,
        onProgress: @escaping @Sendable () -> Void, clock: inout PhaseClock
    ) -> Prepared {
        // Publication order, so stories grow the way they happened.
        let ordered = work.enumerated().sorted { a, b in
            let x = a.element.entry.published ?? a.element.estimatedTime ?? .distantFuture
            let y = b.element.entry.published ?? b.element.estimatedTime ?? .distantFuture
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let needPage = ordered.enumerated().filter { $0.element.fullContent == nil && $0.element.pageURL != nil }
        var articles = [Article?](repeating: nil, count: ordered.count)
        var prepared = [PreparedDocument?](repeating: nil, count: ordered.count)
        // Entries whose article is the feed's own text first: they need no page.
        let needed = Set(needPage.map(\.offset))
        extract(ordered, ordered.indices.filter { !needed.contains($0) }, pages: [:], into: &articles, &prepared)
        clock.lap("extracting")
        // A batch's pages get one transfer timeout: what a slow or stalling site has not sent by then waits for the
        // next cycle (its feed keeps its validators, its entries stay new), and a stop ends the transfers at once.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(1, limits.totalTimeout) * 1e9)
        var deferred = Set<Int>()
        // Pages are fetched and extracted a transfer slot's worth at a time, so that what is held at once is
        // bounded by the transfers in flight, not by the batch: 150 entries linking 15 MB pages held them all.
        let share = max(1, limits.maxConcurrent)
        for start in stride(from: 0, to: needPage.count, by: share) {
            let part = Array(needPage[start..<min(start + share, needPage.count)])
            let fetched = client.fetchAll(
                part.map { FetchRequest(url: $0.element.pageURL!) }, progress: onProgress,
                abandon: { shouldStop() || DispatchTime.now().uptimeNanoseconds > deadline })
            var pageFor: [Int: Result<FetchResponse, FetchError>] = [:]
            for (p, r) in zip(part, fetched) {
                pageFor[p.offset] = r
                if case .failure(let e) = r, e.kind == .abandoned { deferred.insert(p.offset) }
            }
            clock.lap("fetching pages")
            extract(ordered, part.map(\.offset), pages: pageFor, into: &articles, &prepared)
            clock.lap("extracting")
        }
        if !deferred.isEmpty {
            let feeds = Set(deferred.map { ordered[$0].feed.url }).sorted()
            let why = shouldStop() ? "stopping" : "the batch's time for pages ran out"
            let more = feeds.count > 3 ? " and \(feeds.count - 3) more feeds" : ""
            logger.notice(
                "\(deferred.count) pages left for the next cycle (\(why)): \(feeds.prefix(3).joined(separator: ", "))\(more)"
            )
        }
        return Prepared(items: ordered, articles: articles, prepared: prepared, deferred: deferred)
    }

    /// Extracts the articles of `items` at `indices` on every core, into the same places of `articles` and
    /// `prepared`. Pages of one site go through one task in order, because each page's template memory is what
    /// the site's earlier pages taught it; sites and feed contents run in parallel. Only extraction runs
    /// concurrently: the store is used by this thread alone.
    private func extract(
        _ items: [WorkItem], _ indices: [Int], pages: [Int: Result<FetchResponse, FetchError>],
        into articles: inout [Article?], _ prepared: inout [PreparedDocument?]
    ) {
        guard !indices.isEmpty else { return }
        var bySite: [String: [Int]] = [:]
        var independent: [Int] = []
        for i in indices {
            if items[i].fullContent == nil, case .success(let r)? = pages[i], r.isSuccess,
                let host = ArticleStage.templateHost(r.finalURL)
            {
                bySite[host, default: []].append(i)
            } else {
                independent.append(i)
            }
        }
        let tasks: [(host: String?, indices: [Int])] =
            bySite.map { ($0.key, $0.value) }
            + stride(from: 0, to: independent.count, by: ArticleStage.independentPerTask).map {
                (nil, Array(independent[$0..<min($0 + ArticleStage.independentPerTask, independent.count)]))
            }
        let learned = tasks.map { t in t.host.map(loadTemplate) }  // read here: the store is not shared with workers
        let results = ExtractionResults(count: items.count, tasks: tasks.count)
        let logger = self.logger
        let work: @Sendable (Int) -> Void = { t in
            var template = learned[t]
            let preparer = DocumentPreparer()
            for i in tasks[t].indices {
                let article = ArticleStage.article(for: items[i], page: pages[i], template: &template, logger: logger)
                results.set(i, article, article.map { preparer.prepare(ArticleStage.clusterDocument($0, items[i])) })
            }
            results.setTemplate(t, template)
        }
        if yieldsToReaders {
            BackgroundWorkers.shared.perform(iterations: tasks.count, work)
            // Two dedicated threads and an idle caller spread a batch over glibc's two arenas in a way that keeps
            // more freed memory (a batch of 4 MB pages: 290 MB instead of 247 MB); give it back after the batch.
            _ = malloc_trim(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: tasks.count, execute: work)
        }
        let done = results.take()
        for i in indices {
            articles[i] = done.articles[i]
            prepared[i] = done.prepared[i]
        }
        for (t, task) in tasks.enumerated() {
            if let host = task.host, let template = done.templates[t] {
                templates[host] = template
                dirtyTemplates.insert(host)
            }
        }
    }

    /// Entries without a site of their own (feed contents, summaries) go to the workers in groups of this many:
    /// enough to make a task worth handing out, few enough to spread over the cores.
    static let independentPerTask = 8

    /// What grouping sees of an article.
    static func clusterDocument(_ a: Article, _ item: WorkItem) -> ClusterDocument {
        ClusterDocument(
            id: item.key, url: item.pageURL, source: item.source, title: a.title, text: a.text,
            published: published(a, item) ?? item.estimatedTime)
    }

    /// When the article was published: the entry's date, else the page's, else the entry's last update.
    static func published(_ a: Article, _ item: WorkItem) -> Date? {
        item.entry.published ?? a.published ?? item.entry.updated
    }

    /// The longest text the feed carries for the entry (content, or a full-text description), when it is the whole
    /// article (so the page need not be fetched).
    static func fullContent(_ e: FeedEntry) -> String? {
        let candidates = (e.contents + [e.summaryHTML].compactMap { $0 }).map { ($0, FeedContent.wordCount($0)) }
        guard let (html, words) = candidates.max(by: { $0.1 < $1.1 }) else { return nil }
        return words >= fullContentWords || (e.link == nil && words > 0) ? html : nil
    }

    /// Words from which a feed's own content is taken for the whole article rather than a teaser.
    static let fullContentWords = 150

    /// One entry's article: the feed's full text, the fetched page (read with, and teaching, its site's template
    /// memory), or the summary; nil when the page could not be had.
    static func article(
        for item: WorkItem, page: Result<FetchResponse, FetchError>?, template: inout TemplateMemory.Host?,
        logger: Logger
    ) -> Article? {
        let entry = item.entry
        let hints = PageHints(url: item.pageURL, title: entry.title)
        if let html = item.fullContent {
            var a = FeedContent.article(html: html, hints: hints)
            a.title = entry.title ?? a.title
            return a
        }
        guard let page else {
            // No page to fetch: the summary is all there is.
            // (FeedIntake skipped entries with no text at all; a title-only entry, a status update, is its own text.)
            return entryArticle(entry)
        }
        switch page {
        case .failure(let e) where e.kind == .abandoned:
            return nil  // left for the next cycle (said once for the batch)
        case .failure(let e):
            logger.warning("feed \(item.feed.url): article \(e.description); will retry next cycle")
            return nil
        case .success(let r) where !r.isSuccess:
            logger.warning("feed \(item.feed.url): article \(r.requestedURL): HTTP \(r.status); will retry next cycle")
            return nil
        case .success(let r):
            if let kind = Extractor.nonTextKind(r.body, contentType: r.contentType) {
                // A PDF, a picture, random bytes: no page to read. The entry's own text stands for it, said once.
                logger.warning(
                    "feed \(item.feed.url): article \(r.requestedURL) is \(kind), not a page; stored with the entry's own text"
                )
                return entryArticle(entry)
            }
            var hintsWithCharset = hints
            hintsWithCharset.charset = r.charset
            var a: Article
            if var t = template {
                a = Extractor.extract(r.body, contentType: r.contentType, hints: hintsWithCharset, learningInto: &t)
                template = t
            } else {
                a = Extractor.extract(r.body, contentType: r.contentType, hints: hintsWithCharset)
            }
            if let wall = Extractor.wallKind(a) {
                // A consent wall or a paywall notice is not the article: said once, and the entry's own text.
                logger.warning(
                    "feed \(item.feed.url): article \(r.requestedURL) showed \(wall), not the article; stored with the entry's own text"
                )
                var own = entryArticle(entry)
                own.title = entry.title ?? a.title
                return own
            }
            // A page with no text of its own (or only a picture post's headline and byline): the entry's summary.
            if a.paragraphs.isEmpty || a.frameOnly, let summary = entry.summary, !summary.isEmpty {
                a.paragraphs = [summary]
                a.frameOnly = false
            }
            // The feed's own title for the entry is the outlet's headline for it; the page's fills in without one.
            if let title = entry.title, !title.isEmpty { a.title = title }
            return a
        }
    }

    /// An entry's own text as its article: its summary, else its title.
    static func entryArticle(_ entry: FeedEntry) -> Article {
        let text = [entry.summary, entry.title].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return Article(title: entry.title, author: entry.author, published: entry.published, paragraphs: [text])
    }

    /// What the template memories learned in this batch (saved by the committer, once a batch, not once a page).
    /// They stay at hand for one more batch, which is extracted while the committer saves them; then they go: with
    /// thousands of sites, only two batches' hosts are held.
    func learnedTemplates() -> [(host: String, template: TemplateMemory.Host)] {
        let learned = dirtyTemplates.compactMap { host in templates[host].map { (host: host, template: $0) } }
        dirtyTemplates.removeAll()
        recentTemplates = templates
        templates.removeAll()
        return learned
    }

    private func loadTemplate(_ host: String) -> TemplateMemory.Host {
        if let t = templates[host] { return t }
        if let t = recentTemplates[host] {
            templates[host] = t
            return t
        }
        let stored = (try? store.template(host: host)) ?? (pages: 0, counts: [:], seen: [])
        let t = TemplateMemory.Host(pages: stored.pages, counts: stored.counts, seen: stored.seen)
        templates[host] = t
        return t
    }

    /// The host whose template memory applies to `url` (none for local files).
    static func templateHost(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return nil }
        return c.host?.lowercased()
    }
}

/// Where the extraction workers leave their results: each index and each task is written by one worker only.
final class ExtractionResults: Sendable {
    struct Results {
        var articles: [Article?]
        var prepared: [PreparedDocument?]
        var templates: [TemplateMemory.Host?]
    }

    private let state: Mutex<Results>

    init(count: Int, tasks: Int) {
        state = Mutex(
            Results(
                articles: Array(repeating: nil, count: count), prepared: Array(repeating: nil, count: count),
                templates: Array(repeating: nil, count: tasks)))
    }

    func set(_ i: Int, _ a: Article?, _ p: PreparedDocument?) {
        state.withLock {
            $0.articles[i] = a
            $0.prepared[i] = p
        }
    }

    func setTemplate(_ t: Int, _ h: TemplateMemory.Host?) { state.withLock { $0.templates[t] = h } }

    /// Everything the workers left (once they are done).
    func take() -> Results { state.withLock { $0 } }
}
