import Foundation
import Lexicon

/// An article as story grouping sees it.
public struct ClusterDocument: Sendable {
    /// The caller's identifier.
    public var id: String
    /// The article's address, if any.
    public var url: String?
    /// The outlet (feed or site) it came from; one outlet rarely reports one event twice.
    public var source: String?
    /// Headline.
    public var title: String?
    /// Clean body text.
    public var text: String
    /// Publication time; grouping falls back to the latest time seen when absent.
    public var published: Date?

    /// Makes a document.
    public init(id: String, url: String? = nil, source: String? = nil, title: String? = nil, text: String, published: Date? = nil) {
        self.id = id
        self.url = url
        self.source = source
        self.title = title
        self.text = text
        self.published = published
    }
}

/// Why an article joined the story it joined.
public enum AssignmentReason: String, Sendable, Codable {
    case newStory = "new", sameURL = "same-url", sameText = "same-text", nearCopy = "near-copy", sameEvent = "same-event"
}

/// The decision for one article.
public struct StoryAssignment: Sendable, Equatable {
    /// The story the article belongs to.
    public var story: Int64
    /// Why.
    public var reason: AssignmentReason
    /// Similarity to the story that was chosen (1 for exact matches, 0 for a new story).
    public var similarity: Double
    /// True when this article is now the story's most representative one (its title names the story).
    public var representative: Bool
}

/// Thresholds for grouping; defaults suit news feeds.
public struct ClusterSettings: Sendable, Equatable {
    /// Cosine to a story's centroid above which an article from another outlet joins it.
    public var eventThreshold: Double = 0.30
    /// Cosine above which an article from an outlet already in the story joins it (an update, a rewrite).
    public var sameSourceThreshold: Double = 0.75
    /// Estimated Jaccard of word shingles above which an article is a copy.
    public var copyThreshold: Double = 0.5
    /// How long a story stays open to new articles, in hours.
    public var windowHours: Double = 72
    /// Makes settings.
    public init(eventThreshold: Double = 0.30, sameSourceThreshold: Double = 0.75, copyThreshold: Double = 0.5,
                windowHours: Double = 72) {
        self.eventThreshold = eventThreshold
        self.sameSourceThreshold = sameSourceThreshold
        self.copyThreshold = copyThreshold
        self.windowHours = windowHours
    }
}

/// Streaming single-pass story grouping: each article joins the best open story or starts one.
///
/// Exact duplicates are found by canonical URL and text hash, copies by MinHash with LSH banding, and
/// differently worded reports of one event by TF-IDF cosine to story centroids, with names also keyed
/// by a spelling-tolerant skeleton. Candidates come from inverted indexes, never from a scan of all
/// stories, and stories older than the time window leave every index, so memory follows the window.
public final class StoryIndex {
    /// The settings in force.
    public let settings: ClusterSettings
    private var nextStory: Int64 = 1
    private let preparer = DocumentPreparer()
    private var terms = TermSpace()

    private var stories: [Int64: Story] = [:]
    private var byURL: [String: Int64] = [:]
    private var byTextHash = KeyedIDs()
    private var bands = KeyedIDs()
    /// When each story's last article was published, to close it once that is older than the window.
    private var closing = Deadlines()
    /// Stories by key term id (an array: term ids are dense).
    private var postings: [[Int64]] = []
    private var clock = Date(timeIntervalSince1970: 0)
    private var lastEviction = Date(timeIntervalSince1970: 0)

    final class Story {
        var centroid = TermWeights()
        var norm: Float = 0
        var count = 0
        var first: Date
        var last: Date
        var sources = Set<String>()
        var bestSimilarity: Float = 0
        var shortest = Int.max
        var signatures: [[UInt32]] = []
        // Index keys, to unpost the story when it closes.
        var terms: [Int32] = []
        var urls: [String] = []
        var hashes: [UInt64] = []
        var bandKeys: [UInt64] = []
        init(at when: Date) { first = when; last = when }
    }

    /// Makes an empty index.
    public init(settings: ClusterSettings = ClusterSettings()) {
        self.settings = settings
    }

    /// Makes sure new stories get identifiers above `id` (story ids already used by the store).
    public func continueNumbering(after id: Int64) {
        nextStory = max(nextStory, id + 1)
    }

    /// Number of stories currently open (inside the time window).
    public var openStories: Int { stories.count }


    /// Decides which story `doc` belongs to, and records it there.
    public func assign(_ doc: ClusterDocument) -> StoryAssignment {
        assign(preparer.prepare(doc))
    }

    /// Decides which story a prepared article belongs to, and records it there.
    public func assign(_ doc: PreparedDocument) -> StoryAssignment {
        let when = time(of: doc.published)
        let f = features(doc)
        let source = doc.source
        if let u = f.url, let s = byURL[u], let story = stories[s], agrees(f, with: story) {
            return join(story, id: s, f, source: source, at: when, reason: .sameURL, similarity: 1)
        }
        if f.textHash != 0, let s = byTextHash.first(f.textHash), let story = stories[s] {
            return join(story, id: s, f, source: source, at: when, reason: .sameText, similarity: 1)
        }
        if let (s, j) = nearCopy(f), j >= settings.copyThreshold, let story = stories[s] {
            return join(story, id: s, f, source: source, at: when, reason: .nearCopy, similarity: j)
        }
        if let (s, cos) = bestEvent(f, source: source, at: when), let story = stories[s] {
            return join(story, id: s, f, source: source, at: when, reason: .sameEvent, similarity: cos)
        }
        let id = nextStory
        nextStory += 1
        let story = Story(at: when)
        stories[id] = story
        add(f, to: story, id: id, source: source, at: when)
        story.bestSimilarity = 1
        return StoryAssignment(story: id, reason: .newStory, similarity: 0, representative: true)
    }

    /// Puts `doc` back into story `story` as it was decided before (rebuilding state after a restart).
    public func restore(_ doc: ClusterDocument, story id: Int64) {
        restore(preparer.prepare(doc), story: id)
    }

    /// Puts a prepared article back into story `story` as it was decided before.
    public func restore(_ doc: PreparedDocument, story id: Int64) {
        let when = time(of: doc.published)
        let story: Story
        if let s = stories[id] { story = s } else { story = Story(at: when); stories[id] = story }
        nextStory = max(nextStory, id + 1)
        add(features(doc), to: story, id: id, source: doc.source, at: when)
    }

    // MARK: - Decisions

    private func join(_ story: Story, id: Int64, _ f: DocumentFeatures, source: String?, at when: Date,
                      reason: AssignmentReason, similarity: Double) -> StoryAssignment {
        let cos = story.norm > 0 ? Float(cosine(f.vector, story)) : 0
        add(f, to: story, id: id, source: source, at: when)
        let representative = cos > story.bestSimilarity
        if representative { story.bestSimilarity = cos }
        return StoryAssignment(story: id, reason: reason, similarity: similarity, representative: representative)
    }

    /// Whether a story reached by URL says the same thing: one page can hold several entries (`#fragment`
    /// anchors), so two long texts that share neither shingles nor vocabulary are not one article.
    private func agrees(_ f: DocumentFeatures, with story: Story) -> Bool {
        guard f.words >= 40, story.shortest >= 40 else { return true }
        if let sig = f.signature, story.signatures.contains(where: { MinHash.similarity(sig, $0) >= 0.2 }) { return true }
        return cosine(f.vector, story) >= 0.3
    }

    private func nearCopy(_ f: DocumentFeatures) -> (Int64, Double)? {
        guard let sig = f.signature else { return nil }
        var best: (Int64, Double)?
        var seen: [Int64] = [] // a few stories at most
        for key in MinHash.bandKeys(sig) {
            bands.forEach(key) { s in
                guard !seen.contains(s) else { return }
                seen.append(s)
                guard let story = stories[s] else { return }
                for other in story.signatures {
                    let j = MinHash.similarity(sig, other)
                    if j > (best?.1 ?? 0) { best = (s, j) }
                }
            }
        }
        return best
    }

    private func bestEvent(_ f: DocumentFeatures, source: String?, at when: Date) -> (Int64, Double)? {
        guard !f.vector.isEmpty else { return nil }
        var candidates: [Int64: Int] = [:]
        for (t, _) in f.vector.prefix(StoryIndex.keyTerms) {
            guard Int(t) < postings.count else { continue }
            let list = postings[Int(t)]
            guard list.count <= 2000 else { continue } // a term that common decides nothing
            for s in list { candidates[s, default: 0] += 1 }
        }
        let limit = when.addingTimeInterval(-settings.windowHours * 3600)
        var best: (Int64, Double)?
        // Score only the stories that share the most strong terms with the article.
        let shortlist = candidates.count <= 64 ? Array(candidates)
            : Array(candidates.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key > $1.key) }.prefix(64))
        for (s, _) in shortlist {
            guard let story = stories[s], story.last >= limit, story.first <= when.addingTimeInterval(settings.windowHours * 3600)
            else { continue }
            let cos = cosine(f.vector, story)
            let sameSource = source.map { story.sources.contains($0) } ?? false
            let threshold = sameSource ? settings.sameSourceThreshold : settings.eventThreshold
            if cos >= threshold, cos > (best?.1 ?? 0) { best = (s, cos) }
        }
        return best
    }

    // MARK: - State

    private func add(_ f: DocumentFeatures, to story: Story, id: Int64, source: String?, at when: Date) {
        terms.learn(f.termSet)
        for (t, w) in f.vector { story.centroid.add(t, w) }
        if story.centroid.count > 400 { story.centroid.keepStrongest(200) }
        story.norm = story.centroid.norm
        story.count += 1
        story.shortest = min(story.shortest, f.words)
        story.first = min(story.first, when)
        if story.count == 1 || when > story.last { // a new closing time for the story (the old entry goes stale)
            story.last = max(story.last, when)
            closing.push(story.last.timeIntervalSince1970, id)
        }
        if let source { story.sources.insert(source) }
        for (t, _) in f.vector.prefix(StoryIndex.keyTerms) where story.terms.count < 48 && !story.terms.contains(t) {
            if Int(t) >= postings.count { postings.append(contentsOf: repeatElement([], count: Int(t) + 1 - postings.count)) }
            postings[Int(t)].append(id)
            story.terms.append(t)
        }
        if let u = f.url, byURL[u] == nil { byURL[u] = id; story.urls.append(u) }
        if f.textHash != 0, byTextHash.first(f.textHash) == nil { byTextHash.insert(f.textHash, id); story.hashes.append(f.textHash) }
        if let sig = f.signature, story.signatures.count < 16 {
            story.signatures.append(sig)
            for key in MinHash.bandKeys(sig) { bands.insert(key, id); story.bandKeys.append(key) }
        }
    }

    /// The article's time: its publication date when plausible, else the latest time seen. Advances the clock.
    private func time(of published: Date?) -> Date {
        guard let p = published, p.timeIntervalSince1970 > 631_152_000 else { return clock } // before 1990: unknown
        if p > clock {
            clock = p
            if clock.timeIntervalSince(lastEviction) > settings.windowHours * 360 { evict(); lastEviction = clock }
        }
        return p
    }

    /// Closes the stories whose last article is older than the window: they leave every index.
    private func evict() {
        let limit = clock.addingTimeInterval(-settings.windowHours * 3600)
        // Stories in order of their last article; an entry is stale when the story took a later one since.
        while let (_, id) = closing.popBefore(limit.timeIntervalSince1970) {
            guard let s = stories[id], s.last < limit else { continue }
            for t in s.terms { postings[Int(t)].removeAll { $0 == id } }
            for u in s.urls where byURL[u] == id { byURL[u] = nil }
            for h in s.hashes { byTextHash.remove(h, id) }
            for b in s.bandKeys { bands.remove(b, id) }
            stories[id] = nil
        }
        if terms.vocabulary.count > max(StoryIndex.vocabularyFloor, 2 * vocabularyAfterCompaction) { compactVocabulary() }
    }

    /// Vocabulary size under which it is never compacted.
    public static let vocabularyFloor = 1 << 16
    private var vocabularyAfterCompaction = 0

    /// Forgets the terms that only closed stories used and that the stream no longer repeats (document
    /// frequencies decay by half at each compaction), so the vocabulary follows the window too.
    private func compactVocabulary() {
        var inUse = [Bool](repeating: false, count: terms.vocabulary.count)
        for story in stories.values {
            story.centroid.forEach { t, _ in inUse[Int(t)] = true }
            for t in story.terms { inUse[Int(t)] = true }
        }
        let remap = terms.compact(keeping: inUse)
        for story in stories.values {
            story.centroid = story.centroid.renumbered(remap)
            story.terms = story.terms.map { remap[Int($0)] }
        }
        var moved = [[Int64]](repeating: [], count: terms.vocabulary.count)
        for (t, list) in postings.enumerated() where !list.isEmpty { moved[Int(remap[t])] = list }
        postings = moved
        vocabularyAfterCompaction = terms.vocabulary.count
    }

    /// Number of terms the index currently knows (for benchmarks and tests).
    public var vocabularySize: Int { terms.vocabulary.count }

    private func cosine(_ v: [(Int32, Float)], _ story: Story) -> Double {
        guard story.norm > 0 else { return 0 }
        var dot: Float = 0
        for (t, w) in v { dot += w * story.centroid[t] }
        return Double(dot / story.norm) // v has unit length
    }

    // MARK: - Features

    struct DocumentFeatures {
        var url: String?
        var textHash: UInt64 = 0
        var signature: [UInt32]?
        /// The strongest `StoryIndex.keyTerms` terms first (in order), then the rest; unit length.
        var vector: [(Int32, Float)] = []
        var termSet: [Int32] = []
        var words = 0
    }

    static func source(of doc: ClusterDocument) -> String? {
        if let s = doc.source, !s.isEmpty { return s.lowercased() }
        guard let u = doc.url, let host = URLComponents(string: u)?.host?.lowercased() else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// An article's strongest terms, which key its story in the inverted index and find candidate stories.
    static let keyTerms = 12

    /// Words of the body that weigh in the term vector: an article's lead says what the event is.
    static let vectorWords = 400

    /// Words of the body read at all (text hash, shingles): a copy shows in its first pages as well as in the
    /// whole, and a 10 MB article then costs no more than a long one.
    static let scannedWords = 1000

    private func features(_ doc: PreparedDocument) -> DocumentFeatures {
        var f = DocumentFeatures(url: doc.url, textHash: doc.textHash, signature: doc.signature, words: doc.words)
        terms.vectorize(doc, into: &f)
        return f
    }

}

/// An article reduced to what grouping compares: made by `DocumentPreparer` on any thread, then given
/// to `StoryIndex.assign` in publication order.
public struct PreparedDocument: Sendable {
    /// The canonical address, if any.
    public var url: String?
    /// The outlet, lower case.
    public var source: String?
    /// Publication time.
    public var published: Date?
    /// Hash of the scanned words, and of the body's length past the scan (0 for texts too short to compare).
    var textHash: UInt64 = 0
    /// MinHash signature of the scanned words' shingles (nil for texts too short).
    var signature: [UInt32]?
    /// Number of words in the body, counted up to `StoryIndex.scannedWords`.
    var words = 0
    /// The distinct terms of the body's first `StoryIndex.vectorWords` words and of the title (content words
    /// and name keys), in order of first use, each with its weighted count.
    var terms: [WeightedTerm] = []
}

/// A term (word or name key hash) and how much it counts in one article.
struct WeightedTerm: Sendable {
    var hash: UInt64
    var weight: Float
}

/// Turns articles into `PreparedDocument`s; one per thread (it keeps scratch space).
public final class DocumentPreparer {
    private let tokenizer = Tokenizer()
    private var wordHashes: [UInt64] = []
    private var body: [TokenRecord] = []
    private var title: [TokenRecord] = []
    private var counter = TermCounter()

    /// Makes a preparer.
    public init() {}

    /// The features of `doc` that do not depend on what the index has seen.
    public func prepare(_ doc: ClusterDocument) -> PreparedDocument {
        var text = doc.text
        return text.withUTF8 { prepare(doc, bodyUTF8: $0) }
    }

    /// The same, with the body given as UTF-8 bytes (`doc.text` is not read): for callers that hold the bytes.
    public func prepare(_ doc: ClusterDocument, bodyUTF8: UnsafeBufferPointer<UInt8>) -> PreparedDocument {
        var p = PreparedDocument()
        if let u = doc.url, !u.isEmpty { p.url = URLCanonicalizer.canonical(u) }
        p.source = StoryIndex.source(of: doc)
        p.published = doc.published
        tokenizer.tokenize(utf8: bodyUTF8, into: &body, detailed: StoryIndex.vectorWords, hashes: &wordHashes,
                           limit: StoryIndex.scannedWords)
        title.removeAll(keepingCapacity: true)
        if let t = doc.title { tokenizer.tokenize(t, into: &title, names: true) }
        p.terms = counter.terms(body: body, title: title)
        p.words = wordHashes.count
        if wordHashes.count >= 8 {
            // In a text longer than the scan, its length in bytes stands for the words left unread.
            var h: UInt64 = 0xcbf29ce484222325 ^ (wordHashes.count < StoryIndex.scannedWords ? 0 : UInt64(bodyUTF8.count))
            for w in wordHashes { h = (h ^ w) &* 0x100000001b3 }
            p.textHash = h == 0 ? 1 : h
        }
        if wordHashes.count >= 12 { p.signature = MinHash.signature(wordHashes) }
        return p
    }
}

/// The term vocabulary and its statistics, as one value so the per-word work runs without dynamic
/// exclusivity checks.
struct TermSpace {
    var vocabulary = HashMap64(capacity: 1 << 12)
    var documentFrequency: [Int32] = []
    var documents = 0
    // Per-document scratch, reused: the terms as sortable keys, and the idf of small document frequencies.
    var keys: [UInt64] = []
    var idfCache = [Float](repeating: -1, count: 64)

    /// Each term id's word hash.
    var hashes: [UInt64] = []

    mutating func termID(_ hash: UInt64) -> Int32 {
        let (id, inserted) = vocabulary.value(for: hash, inserting: Int32(vocabulary.count))
        if inserted {
            documentFrequency.append(0)
            hashes.append(hash)
        }
        return id
    }

    /// Halves every document frequency and keeps the terms still counted or marked in `keep`, under new ids;
    /// returns each old id's new id (-1 for a forgotten term).
    mutating func compact(keeping keep: [Bool]) -> [Int32] {
        var remap = [Int32](repeating: -1, count: hashes.count)
        var kept = HashMap64(capacity: hashes.count / 2)
        var frequencies: [Int32] = [], keptHashes: [UInt64] = []
        for id in hashes.indices {
            let df = documentFrequency[id] / 2
            guard df > 0 || keep[id] else { continue }
            remap[id] = Int32(keptHashes.count)
            kept.set(hashes[id], Int32(keptHashes.count))
            keptHashes.append(hashes[id])
            frequencies.append(df)
        }
        vocabulary = kept
        hashes = keptHashes
        documentFrequency = frequencies
        documents /= 2
        return remap
    }

    /// Fills the document's TF-IDF vector (idf learned from the stream; a prior of 50
    /// documents keeps early articles apart): at most 80 terms, the strongest `StoryIndex.keyTerms` first and in
    /// order, unit length.
    mutating func vectorize(_ doc: PreparedDocument, into f: inout StoryIndex.DocumentFeatures) {
        let count = doc.terms.count
        let n = Float(documents) + 50
        // Most terms are rare: the idf of small document frequencies is computed once per article.
        for i in idfCache.indices { idfCache[i] = -1 }
        let ids = [Int32](unsafeUninitializedCapacity: count) { out, c in
            for (i, term) in doc.terms.enumerated() { (out.baseAddress! + i).initialize(to: termID(term.hash)) }
            c = count
        }
        f.termSet = ids
        if keys.count < count { keys = [UInt64](repeating: 0, count: max(count, 2 * keys.count)) }
        // Each term as one sortable key: the weight's bits above (positive floats order as their bits), the id below.
        for i in 0..<count {
            let t = ids[i], tf = doc.terms[i].weight
            let df = Int(documentFrequency[Int(t)])
            var idf: Float
            if df < idfCache.count && idfCache[df] >= 0 { idf = idfCache[df] } else {
                idf = log((n + 1) / (Float(df) + 1))
                if df < idfCache.count { idfCache[df] = idf }
            }
            let w = max(0, (tf == 1 ? 1 : 1 + log(tf)) * idf)
            keys[i] = UInt64(w.bitPattern) << 32 | UInt64(UInt32(bitPattern: t))
        }
        let kept = min(count, 80)
        // Only the strongest few need their order (they key the story in the index): select, then sort those.
        keys.withUnsafeMutableBufferPointer { all in
            let keys = UnsafeMutableBufferPointer(rebasing: all[..<count])
            TermSpace.selectLargest(kept, in: keys)
            let top = min(kept, StoryIndex.keyTerms)
            TermSpace.selectLargest(top, in: UnsafeMutableBufferPointer(rebasing: keys[..<kept]))
            for i in 1..<max(top, 1) { // insertion sort, largest first
                let k = keys[i]
                var j = i
                while j > 0 && keys[j - 1] < k { keys[j] = keys[j - 1]; j -= 1 }
                keys[j] = k
            }
        }
        var norm: Float = 0
        for k in keys[..<kept] { let w = Float(bitPattern: UInt32(k >> 32)); norm += w * w }
        norm = norm.squareRoot()
        guard norm > 0 else { return }
        f.vector = keys[..<kept].map { (Int32(bitPattern: UInt32(truncatingIfNeeded: $0)), Float(bitPattern: UInt32($0 >> 32)) / norm) }
    }

    /// Moves the `k` largest keys of `keys` to its front, in no particular order (quickselect).
    static func selectLargest(_ k: Int, in keys: UnsafeMutableBufferPointer<UInt64>) {
        var lo = 0, hi = keys.count - 1
        guard k > 0, k < keys.count else { return }
        while lo < hi {
            // Median of three as the pivot; partition into larger | smaller.
            let mid = lo + (hi - lo) / 2
            let a = keys[lo], b = keys[mid], c = keys[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo, j = hi
            while i <= j {
                while keys[i] > pivot { i += 1 }
                while keys[j] < pivot { j -= 1 }
                if i <= j { keys.swapAt(i, j); i += 1; j -= 1 }
            }
            if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { return }
        }
    }

    /// Counts a stored document's terms in the document frequencies.
    mutating func learn(_ termSet: [Int32]) {
        documents += 1
        for t in termSet where Int(t) < documentFrequency.count { documentFrequency[Int(t)] += 1 }
    }
}

extension UInt64 {
    @inline(__always) func rotated(_ k: UInt64) -> UInt64 { self << k | self >> (64 - k) }
}

/// MinHash signatures over 4-word shingles, with LSH banding.
enum MinHash {
    static let count = 60
    static let rows = 3

    /// One-permutation MinHash over 4-word shingles: one hash per shingle, binned, the minimum kept per bin.
    static func signature(_ words: [UInt64]) -> [UInt32] {
        var sig = [UInt32](repeating: .max, count: count)
        let n = 4
        guard words.count >= n else { return sig }
        for i in 0...(words.count - n) {
            // Word hashes are already mixed: rotations keep the order, one multiply spreads the sum.
            var h = words[i] &+ words[i + 1].rotated(13) &+ words[i + 2].rotated(29) &+ words[i + 3].rotated(43)
            h ^= h >> 32; h = h &* 0xd6e8feb86659fd93; h ^= h >> 32
            let bin = Int((h >> 32) % UInt64(count))
            let v = UInt32(truncatingIfNeeded: h)
            sig[bin] = min(sig[bin], v) // branch-free: which bin wins is random
        }
        // Densify: an empty bin borrows the next filled one, so short texts still compare.
        if sig.contains(.max), let filled = sig.firstIndex(where: { $0 != .max }) {
            for k in 0..<count where sig[k] == .max {
                var j = (k + 1) % count
                while sig[j] == .max && j != filled { j = (j + 1) % count }
                sig[k] = sig[j] &+ UInt32(k)
            }
        }
        return sig
    }

    static func bandKeys(_ sig: [UInt32]) -> [UInt64] {
        stride(from: 0, to: sig.count, by: rows).map { start in
            var h: UInt64 = UInt64(start) &* 0x9E3779B97F4A7C15
            for v in sig[start..<min(start + rows, sig.count)] { h = (h ^ UInt64(v)) &* 0x100000001b3 }
            return h
        }
    }

    /// Share of bins that agree: an estimate of the shingle sets' Jaccard similarity.
    static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        var same = 0
        for i in 0..<min(a.count, b.count) where a[i] == b[i] { same += 1 }
        return Double(same) / Double(max(1, min(a.count, b.count)))
    }
}
