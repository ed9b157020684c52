import Foundation
import Lexicon

/// An article as story grouping sees it.
public struct ClusterDocument: Sendable {
    /// The caller's identifier.
    public var id: String
    /// The article's address, if any.
    public var url: String?
    /// Headline.
    public var title: String?
    /// Clean body text.
    public var text: String
    /// Publication time; grouping falls back to the order of arrival when absent.
    public var published: Date?

    /// Makes a document.
    public init(id: String, url: String? = nil, title: String? = nil, text: String, published: Date? = nil) {
        self.id = id
        self.url = url
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
}

/// Thresholds for grouping; defaults suit news feeds.
public struct ClusterSettings: Sendable, Equatable {
    /// Cosine to a story's centroid above which an article joins it.
    public var eventThreshold: Double = 0.30
    /// Estimated Jaccard of word shingles above which an article is a copy.
    public var copyThreshold: Double = 0.5
    /// How long a story stays open to new articles, in hours.
    public var windowHours: Double = 72
    /// Makes settings.
    public init(eventThreshold: Double = 0.30, copyThreshold: Double = 0.5, windowHours: Double = 72) {
        self.eventThreshold = eventThreshold
        self.copyThreshold = copyThreshold
        self.windowHours = windowHours
    }
}

/// Streaming single-pass story grouping: each article joins the best open story or starts one.
///
/// Exact duplicates are found by canonical URL and text hash, copies by MinHash with LSH banding, and
/// differently worded reports of one event by TF-IDF cosine to story centroids, with names reduced to a
/// spelling-tolerant key. Candidates come from an inverted index, never from a scan of all stories,
/// and stories older than the time window leave the index.
public final class StoryIndex {
    /// The settings in force.
    public let settings: ClusterSettings
    private var nextStory: Int64 = 1

    // Exact keys → story.
    private var byURL: [String: Int64] = [:]
    private var byTextHash: [UInt64: Int64] = [:]
    // MinHash LSH: band key → stories.
    private var bands: [UInt64: [Int64]] = [:]
    private var signatures: [Int64: [[UInt32]]] = [:]
    // Event clustering state.
    private var documentFrequency: [String: Int] = [:]
    private var documents = 0
    private var stories: [Int64: StoryState] = [:]
    private var postings: [String: Set<Int64>] = [:]
    private var clock = Date(timeIntervalSince1970: 0)

    struct StoryState {
        var centroid: [String: Double]
        var count: Int
        var first: Date
        var last: Date
        var keys: [String] // terms under which the story is posted
        var urlKeys: [String] = []
        var hashKeys: [UInt64] = []
        var bandKeys: [UInt64] = []
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
        let features = Features(doc)
        advanceClock(to: doc.published)
        let when = doc.published ?? clock
        if let url = features.canonicalURL, let s = byURL[url], stories[s] != nil {
            add(features, to: s, at: when)
            return StoryAssignment(story: s, reason: .sameURL, similarity: 1)
        }
        if features.textHash != 0, let s = byTextHash[features.textHash], stories[s] != nil {
            add(features, to: s, at: when)
            return StoryAssignment(story: s, reason: .sameText, similarity: 1)
        }
        if let (s, j) = nearCopy(features), j >= settings.copyThreshold {
            add(features, to: s, at: when)
            return StoryAssignment(story: s, reason: .nearCopy, similarity: j)
        }
        let vector = weigh(features)
        if let (s, cos) = bestEvent(vector, at: when), cos >= settings.eventThreshold {
            add(features, vector: vector, to: s, at: when)
            return StoryAssignment(story: s, reason: .sameEvent, similarity: cos)
        }
        let s = nextStory
        nextStory += 1
        stories[s] = StoryState(centroid: [:], count: 0, first: when, last: when, keys: [])
        add(features, vector: vector, to: s, at: when)
        return StoryAssignment(story: s, reason: .newStory, similarity: 0)
    }

    /// Puts `doc` back into story `story` as it was decided before (rebuilding state after a restart).
    public func restore(_ doc: ClusterDocument, story: Int64) {
        let features = Features(doc)
        advanceClock(to: doc.published)
        let when = doc.published ?? clock
        if stories[story] == nil {
            stories[story] = StoryState(centroid: [:], count: 0, first: when, last: when, keys: [])
        }
        nextStory = max(nextStory, story + 1)
        add(features, to: story, at: when)
    }

    // MARK: - Internals

    private func advanceClock(to date: Date?) {
        guard let date, date > clock else { return }
        clock = date
        evict()
    }

    /// Closes stories whose last article is older than the window.
    private func evict() {
        let limit = clock.addingTimeInterval(-settings.windowHours * 3600)
        for (id, s) in stories where s.last < limit {
            for k in s.keys { postings[k]?.remove(id); if postings[k]?.isEmpty == true { postings[k] = nil } }
            for u in s.urlKeys where byURL[u] == id { byURL[u] = nil }
            for h in s.hashKeys where byTextHash[h] == id { byTextHash[h] = nil }
            for b in s.bandKeys { bands[b]?.removeAll { $0 == id }; if bands[b]?.isEmpty == true { bands[b] = nil } }
            signatures[id] = nil
            stories[id] = nil
        }
    }

    private func add(_ f: Features, vector: [String: Double]? = nil, to story: Int64, at when: Date) {
        guard var s = stories[story] else { return }
        documents += 1
        for t in Set(f.terms.keys) { documentFrequency[t, default: 0] += 1 }
        let v = vector ?? weigh(f)
        // Centroid: running mean, kept to its strongest terms.
        let n = Double(s.count)
        var c = s.centroid.mapValues { $0 * n / (n + 1) }
        for (t, w) in v { c[t, default: 0] += w / (n + 1) }
        if c.count > 150 {
            c = Dictionary(uniqueKeysWithValues: c.sorted { $0.value > $1.value }.prefix(150).map { ($0.key, $0.value) })
        }
        s.centroid = c
        s.count += 1
        s.first = min(s.first, when)
        s.last = max(s.last, when)
        // Post the story under the document's strongest terms.
        for (t, _) in v.sorted(by: { $0.value > $1.value }).prefix(12) where !s.keys.contains(t) {
            postings[t, default: []].insert(story)
            s.keys.append(t)
        }
        if let u = f.canonicalURL, byURL[u] == nil { byURL[u] = story; s.urlKeys.append(u) }
        if f.textHash != 0, byTextHash[f.textHash] == nil { byTextHash[f.textHash] = story; s.hashKeys.append(f.textHash) }
        if let sig = f.signature {
            signatures[story, default: []].append(sig)
            for key in Features.bandKeys(sig) { bands[key, default: []].append(story); s.bandKeys.append(key) }
        }
        stories[story] = s
    }

    private func nearCopy(_ f: Features) -> (Int64, Double)? {
        guard let sig = f.signature else { return nil }
        var best: (Int64, Double)?
        var seen = Set<Int64>()
        for key in Features.bandKeys(sig) {
            for s in bands[key] ?? [] where seen.insert(s).inserted {
                for other in signatures[s] ?? [] {
                    let j = Features.jaccard(sig, other)
                    if j > (best?.1 ?? 0) { best = (s, j) }
                }
            }
        }
        return best
    }

    private func bestEvent(_ v: [String: Double], at when: Date) -> (Int64, Double)? {
        var candidates = Set<Int64>()
        for (t, _) in v.sorted(by: { $0.value > $1.value }).prefix(20) {
            if let p = postings[t] { candidates.formUnion(p) }
        }
        let limit = when.addingTimeInterval(-settings.windowHours * 3600)
        var best: (Int64, Double)?
        for s in candidates {
            guard let state = stories[s], state.last >= limit else { continue }
            let cos = Features.cosine(v, state.centroid)
            if cos > (best?.1 ?? 0) { best = (s, cos) }
        }
        return best
    }

    /// TF-IDF weights, unit length; idf learned from the stream with a prior so early articles are not all alike.
    private func weigh(_ f: Features) -> [String: Double] {
        let n = Double(documents) + 50
        var v: [String: Double] = [:]
        for (t, tf) in f.terms {
            let df = Double(documentFrequency[t] ?? 0)
            v[t] = (1 + log(tf)) * log((n + 1) / (df + 1))
        }
        let norm = sqrt(v.values.reduce(0) { $0 + $1 * $1 })
        return norm > 0 ? v.mapValues { $0 / norm } : v
    }
}

/// The features of one document for every grouping method.
struct Features {
    var canonicalURL: String?
    var textHash: UInt64 = 0
    var signature: [UInt32]?
    /// Term → weighted count (title and name terms boosted).
    var terms: [String: Double] = [:]

    static let minhashCount = 60
    static let bandRows = 3

    init(_ doc: ClusterDocument) {
        if let u = doc.url, !u.isEmpty { canonicalURL = URLCanonicalizer.canonical(u) }
        let words = Lexicon.words(doc.text)
        let folded = words.map { Lexicon.fold($0) }
        if folded.count >= 8 {
            textHash = Features.hash(folded.joined(separator: " "))
        }
        if folded.count >= 12 { signature = Features.minhash(folded) }
        Features.addTerms(words, weight: 1, into: &terms)
        if let t = doc.title {
            Features.addTerms(Lexicon.words(t), weight: 3, into: &terms, titleCase: true)
        }
    }

    /// Content words and spelling-tolerant name keys.
    static func addTerms(_ words: [Substring], weight: Double, into terms: inout [String: Double], titleCase: Bool = false) {
        for (i, w) in words.enumerated() {
            let f = Lexicon.fold(w)
            if Lexicon.functionWords.contains(f) { continue }
            if f.count < 3 && !(w.first.map(Lexicon.isCJK) ?? false) && !(w.first?.isNumber ?? false) { continue }
            terms["w:" + f, default: 0] += weight
            // A capitalized word inside a sentence is a name: key it by its consonant skeleton too,
            // so Poutine/Putin and Kim Jong-un/Kim Jong Un meet.
            if let c = w.first, c.isUppercase, (i > 0 || titleCase), f.count >= 3 {
                terms["n:" + skeleton(f), default: 0] += weight * 1.5
            }
        }
    }

    /// First letter, then consonants with doubles collapsed: "poutine" and "putin" → "ptn".
    static func skeleton(_ folded: String) -> String {
        var out = ""
        var last: Character = " "
        for (i, c) in folded.enumerated() {
            if i > 0 && ("aeiouy".contains(c) || c == "h" || c == "w") { continue }
            let mapped: Character = c == "k" || c == "q" ? "c" : (c == "z" ? "s" : c)
            if mapped == last { continue }
            out.append(mapped)
            last = mapped
        }
        return out
    }

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
        return h == 0 ? 1 : h
    }

    /// MinHash over 4-word shingles.
    static func minhash(_ words: [String]) -> [UInt32] {
        var sig = [UInt32](repeating: .max, count: minhashCount)
        let n = 4
        guard words.count >= n else { return sig }
        for i in 0...(words.count - n) {
            var h: UInt64 = 0xcbf29ce484222325
            for j in i..<(i + n) {
                for b in words[j].utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
                h ^= 0x20; h = h &* 0x100000001b3
            }
            for k in 0..<minhashCount {
                // One strong hash, many cheap permutations (Kirsch–Mitzenmacher style mixing).
                var x = h &+ UInt64(k) &* 0x9E3779B97F4A7C15
                x ^= x >> 33; x = x &* 0xff51afd7ed558ccd; x ^= x >> 33
                let v = UInt32(truncatingIfNeeded: x)
                if v < sig[k] { sig[k] = v }
            }
        }
        return sig
    }

    static func bandKeys(_ sig: [UInt32]) -> [UInt64] {
        stride(from: 0, to: sig.count, by: bandRows).map { start in
            var h: UInt64 = UInt64(start) &* 0x9E3779B97F4A7C15
            for v in sig[start..<min(start + bandRows, sig.count)] { h = (h ^ UInt64(v)) &* 0x100000001b3 }
            return h
        }
    }

    static func jaccard(_ a: [UInt32], _ b: [UInt32]) -> Double {
        var same = 0
        for i in 0..<min(a.count, b.count) where a[i] == b[i] { same += 1 }
        return Double(same) / Double(max(1, min(a.count, b.count)))
    }

    static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let (small, large) = a.count < b.count ? (a, b) : (b, a)
        var dot = 0.0
        for (t, w) in small { if let x = large[t] { dot += w * x } }
        let nb = sqrt(b.values.reduce(0) { $0 + $1 * $1 })
        let na = sqrt(a.values.reduce(0) { $0 + $1 * $1 })
        return na > 0 && nb > 0 ? dot / (na * nb) : 0
    }
}
