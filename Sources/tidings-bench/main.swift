import Extraction
import Feeds
import Foundation
// tidings-bench: in-process throughput of the pure stages, for BENCHMARKS.md. Speed is measured here,
// never in unit tests. `peers.py` beside this file measures the Python peers on the same files.
//
//   tidings-bench feeds FILE...        parse throughput (MB/s), single thread, best and median of 5 passes
//   tidings-bench xml-events FILE...   the XML reader alone (every node read, nothing done with it), MB/s
//   tidings-bench plaintext FILE...    plain text of the feeds' summaries and contents alone, MB/s of HTML
//   tidings-bench feed-memory MB       peak RSS while parsing a synthetic feed of MB megabytes
//   tidings-bench extract FILE...      extraction throughput (pages/s)
//   tidings-bench tokenize FILE        tokenizer throughput (MB/s) over the "text" of a JSON Lines file
//   tidings-bench cluster FILE [N]     grouping throughput (articles/s) on a JSON Lines file, repeated to N articles
//   tidings-bench cluster-synthetic N DEV.jsonl GROUND-TRUTH.json
//                                      N synthetic articles built from real text: time per 10 000, memory, open stories
//   tidings-bench store N DB DEV.jsonl  fills DB with N articles built from real text (once), then times search and
//                                      stories --since queries: median and p99 over fresh read-only connections
import Lexicon
import Markup
import Store
import Stories

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func peakRSSKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
    }
    return 0
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else {
    print("usage: tidings-bench feeds|xml-events|plaintext|feed-memory|extract|cluster ...")
    exit(2)
}
switch command {
case "feeds":
    let files = args.dropFirst().map { try! FileReader.read($0) }
    let bytes = files.reduce(0) { $0 + $1.count }
    var entries = 0
    var passes: [Double] = []
    for _ in 0..<5 {
        entries = 0
        passes.append(seconds { for f in files { entries += (try? FeedParser.parse(f))?.entries.count ?? 0 } })
    }
    let mb = Double(bytes) / 1e6
    print(
        String(
            format: "feeds: %d files, %.1f MB, %d entries; median %.1f MB/s, best %.1f MB/s",
            files.count, mb, entries, mb / median(passes), mb / passes.min()!))
case "xml-events":
    // The floor under "feeds": libxml2's parser plus the reader's event buffer, every node visited.
    let files = args.dropFirst().map { try! FileReader.read($0) }
    let bytes = files.reduce(0) { $0 + $1.count }
    var nodes = 0
    var passes: [Double] = []
    for _ in 0..<5 {
        nodes = 0
        passes.append(
            seconds {
                for f in files { try? XMLReader.read(data: f, url: nil) { r in while try r.read() { nodes += 1 } } }
            })
    }
    let mb = Double(bytes) / 1e6
    print(
        String(
            format: "xml-events: %d files, %.1f MB, %d nodes; median %.1f MB/s, best %.1f MB/s",
            files.count, mb, nodes, mb / median(passes), mb / passes.min()!))
case "plaintext":
    // What "feeds" spends turning HTML summaries and contents into plain text, measured alone.
    var fragments: [String] = []
    for path in args.dropFirst() {
        guard let feed = try? FeedParser.parse(try! FileReader.read(path)) else { continue }
        for e in feed.entries { fragments += [e.summaryHTML, e.title].compactMap { $0 } + e.contents }
    }
    let bytes = fragments.reduce(0) { $0 + $1.utf8.count }
    var kept = 0
    var passes: [Double] = []
    for _ in 0..<5 {
        kept = 0
        passes.append(seconds { for f in fragments { kept += HTMLText.plainText(fromHTML: f).utf8.count } })
    }
    let mb = Double(bytes) / 1e6
    print(
        String(
            format: "plaintext: %d fragments, %.1f MB of HTML, %.1f MB of text; median %.1f MB/s, best %.1f MB/s",
            fragments.count, mb, Double(kept) / 1e6, mb / median(passes), mb / passes.min()!))
case "feed-memory":
    // Written to a file in pieces, then parsed from the file with entries handed over one by one.
    let megabytes = Int(args.dropFirst().first ?? "50") ?? 50
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-feed-\(megabytes)MB.xml").path
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let out = FileHandle(forWritingAtPath: path)!
    out.write(
        Data(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>synthetic</title>\n".utf8)
    )
    let paragraph = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 20)
    var written = 0
    var i = 0
    while written < megabytes << 20 {
        var piece = ""
        for _ in 0..<100 {
            piece += "<item><title>Item \(i)</title><link>https://example.com/\(i)</link><guid>id-\(i)</guid>"
            piece +=
                "<pubDate>Wed, 19 Jun 2024 15:46:00 GMT</pubDate><description><![CDATA[<p>\(paragraph)</p>]]></description></item>\n"
            i += 1
        }
        let bytes = Data(piece.utf8)
        out.write(bytes)
        written += bytes.count
    }
    out.write(Data("</channel></rss>\n".utf8))
    try? out.close()
    let before = peakRSSKilobytes()
    var count = 0
    let t = seconds { _ = try? FeedParser.parse(file: path) { _ in count += 1 } }
    try? FileManager.default.removeItem(atPath: path)
    print(
        String(
            format: "feed-memory: %d MB feed from a file, %d entries, %.2f s; peak RSS %d MB (%d MB before parsing)",
            megabytes, count, t, peakRSSKilobytes() / 1024, before / 1024))
case "extract":
    let pages = args.dropFirst().map { path -> (Data, String?) in
        (try! FileReader.read(path), path.contains(".htm") ? "text/html" : "text/plain")
    }
    var passes: [Double] = []
    for _ in 0..<3 {
        passes.append(seconds { for (d, type) in pages { _ = Extractor.extract(d, contentType: type) } })
    }
    print(
        String(
            format: "extract: %d pages; median %.0f pages/s, best %.0f pages/s",
            pages.count, Double(pages.count) / median(passes), Double(pages.count) / passes.min()!))
case "tokenize":
    var texts: [String] = []
    for line in try! String(contentsOfFile: args[1], encoding: .utf8).split(separator: "\n") {
        if let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let t = o["text"] as? String
        {
            texts.append(t)
        }
    }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    let tokenizer = Tokenizer()
    var records: [TokenRecord] = []
    var hashes: [UInt64] = []
    var passes: [Double] = []
    var words = 0
    let detailed = Int(ProcessInfo.processInfo.environment["DETAILED"] ?? "400") ?? 400
    for _ in 0..<5 {
        passes.append(
            seconds {
                for t in texts {
                    tokenizer.tokenize(t, into: &records, detailed: detailed, hashes: &hashes)
                    words += hashes.count
                }
            })
    }
    print(
        String(
            format: "tokenize: %.1f MB, %d words a pass; median %.0f MB/s, best %.0f MB/s", Double(bytes) / 1e6,
            words / 5,
            Double(bytes) / 1e6 / median(passes), Double(bytes) / 1e6 / passes.min()!))
case "cluster":
    let path = args.dropFirst().first!
    let target = Int(args.dropFirst(2).first ?? "0") ?? 0
    var docs: [ClusterDocument] = []
    for line in try! String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
        docs.append(
            ClusterDocument(
                id: "\(o["id"] ?? "")", url: o["url"] as? String, source: o["source"] as? String,
                title: o["title"] as? String, text: o["text"] as? String ?? "",
                published: (o["published"] as? String).flatMap(FeedDate.parse)))
    }
    let n = max(target, docs.count)
    let index = StoryIndex()
    let t = seconds { for i in 0..<n { _ = index.assign(docs[i % docs.count]) } }
    print(String(format: "cluster: %d articles, %.0f articles/s, %d open stories", n, Double(n) / t, index.openStories))
case "cluster-synthetic":
    let n = Int(args.dropFirst().first ?? "200000") ?? 200_000
    var texts: [String] = []
    for line in try! String(contentsOfFile: args[2], encoding: .utf8).split(separator: "\n") {
        if let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let t = o["text"] as? String,
            t.count > 400
        {
            texts.append(t)
        }
    }
    if let truth = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: args[3])))
        as? [String: [String: Any]]
    {
        // In key order, and the vocabulary sorted: a dictionary's and a set's order change from run to run.
        for key in truth.keys.sorted() {
            if let t = truth[key]?["articleBody"] as? String, t.count > 400 { texts.append(t) }
        }
    }
    let vocabulary = Set(
        texts.flatMap {
            $0.split(separator: " ").filter { $0.count >= 5 && $0.allSatisfy(\.isLetter) }.map(String.init)
        }
    ).sorted()
    let pool = texts.flatMap {
        $0.split(whereSeparator: { $0 == "." || $0 == "\n" }).map(String.init).filter { $0.count > 40 }
    }
    // Deterministic generator, so runs compare.
    var seed: UInt64 = 42
    func random(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(bound))
    }
    let names = [
        "Alvarez", "Okonkwo", "Lindqvist", "Nakamura", "Petrov", "Haddad", "Moreau", "Kowalski", "Singh", "Oliveira",
        "Brennan", "Tanaka", "Rahman", "Fischer", "Costa", "Ivanova", "Mensah", "Dubois", "Novak", "Yilmaz",
    ]
    let places = [
        "Valparaiso", "Tromso", "Kisumu", "Sapporo", "Gdansk", "Tabriz", "Rosario", "Lyon", "Izmir", "Accra",
        "Cork", "Brno", "Da Nang", "Mombasa", "Leipzig", "Porto", "Cusco", "Bergen", "Sfax", "Hobart",
    ]
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let index = StoryIndex()
    var produced = 0
    var event = 0
    var chunk = DispatchTime.now().uptimeNanoseconds
    // Scoring kept as small as the index's own state, so the RSS column measures the index: an event's stories are
    // known once its reports are out; a story's event is forgotten once the story is far outside the window.
    var splitEvents = 0
    var stories = 0
    var mixedStories = 0
    var eventOfStory: [Int64: Int] = [:]  // -1 once the story mixed events
    print("articles  ms/10k  open stories  vocabulary  peak RSS MB")
    while produced < n {
        // One event: eight real sentences drawn from the whole pool, its own names and place; 1 to 4 outlets,
        // each keeping about 70 % of the event's sentences in its own order.
        let base = (0..<8).map { _ -> String in
            pool[random(pool.count)].split(separator: " ").map { w -> String in
                w.count >= 5 && random(10) < 4 ? vocabulary[random(vocabulary.count)] : String(w)
            }.joined(separator: " ")
        }
        let who = names[random(names.count)] + " " + names[random(names.count)]
        let place = places[random(places.count)]
        let when = start.addingTimeInterval(Double(produced) * 43.2)  // about 2 000 articles a day
        let reports = 1 + random(4)
        event += 1
        var storiesOfEvent = Set<Int64>()
        for r in 0..<reports where produced < n {
            var picked: [String] = []
            for s in base where random(10) < 7 { picked.append(s) }
            if picked.count < 3 { picked = Array(base.prefix(3)) }
            if r > 0 { picked.swapAt(0, random(picked.count)) }
            let text = "\(who) said in \(place) on event \(event). " + picked.joined(separator: ". ") + "."
            let doc = ClusterDocument(
                id: "\(produced)", url: "https://outlet\(r).example/\(event)", source: "outlet\(r + random(50))",
                title: "\(who) in \(place): " + (picked.first?.prefix(60) ?? ""), text: text,
                published: when.addingTimeInterval(Double(r) * 1800))
            let story = index.assign(doc).story
            storiesOfEvent.insert(story)
            switch eventOfStory[story] {
            case nil:
                eventOfStory[story] = event
                stories += 1
            case let e? where e != event && e != -1:
                eventOfStory[story] = -1
                mixedStories += 1
            default: break
            }
            produced += 1
            if produced % 10_000 == 0 {
                let now = DispatchTime.now().uptimeNanoseconds
                print(
                    String(
                        format: "%8d  %6.0f  %12d  %10d  %11d", produced, Double(now - chunk) / 1e6, index.openStories,
                        index.vocabularySize, peakRSSKilobytes() / 1024))
                chunk = now
                eventOfStory = eventOfStory.filter { $0.value == -1 || $0.value > event - 10_000 }
            }
        }
        if storiesOfEvent.count > 1 { splitEvents += 1 }
    }
    print(
        String(
            format: "events %d: %.2f %% split over several stories; stories %d: %.2f %% mixing events",
            event, 100 * Double(splitEvents) / Double(event), stories, 100 * Double(mixedStories) / Double(stories)))
case "store":
    guard args.count >= 4, let n = Int(args[1]) else {
        print("usage: tidings-bench store N DB DEV.jsonl")
        exit(2)
    }
    let path = args[2]
    struct Row: Decodable {
        let title: String?
        let text: String
        let source: String?
    }
    let rows = try! String(contentsOfFile: args[3], encoding: .utf8).split(separator: "\n")
        .compactMap { try? JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
    let words = rows.map { $0.text.split(separator: " ").map(String.init) }.filter { $0.count >= 60 }
    var rng = SystemRandomNumberGenerator()
    let store = try! Store(path: path)
    let have = try! store.counts().articles
    let now = Date()
    if have < n {
        let feeds = (0..<1000).map {
            try! store.addFeed(url: "https://feed-\($0).example/rss.xml", title: "Feed \($0)").id
        }
        let langs = ["en", "fr", "de", "es", "ar"]
        var story: Int64 = Int64(try! store.maxStoryID())
        let started = Date()
        var i = have
        while i < n {
            try! store.batch {
                for _ in 0..<2000 where i < n {
                    // A story every ~8 articles, spread over a year, newest last.
                    if i % 8 == 0 || story == 0 { story += 1 }
                    let w = words[Int.random(in: 0..<words.count, using: &rng)]
                    let start = Int.random(in: 0..<max(1, w.count - 60), using: &rng)
                    let body = w[start..<min(w.count, start + Int.random(in: 60...300, using: &rng))].joined(
                        separator: " ")
                    let title = w[start..<min(w.count, start + 9)].joined(separator: " ")
                    let published = now.addingTimeInterval(-365 * 86_400 * Double(n - i) / Double(n))
                    let key = "a\(i)"
                    try store.record(
                        NewArticle(
                            feedID: feeds[i % feeds.count], entryKey: key, url: "https://site.example/\(key)",
                            canonicalURL: "https://site.example/\(key)", title: title, author: nil,
                            published: published, language: langs[i % langs.count], text: body,
                            contentHash: nil, source: "source \(i % 1000)", storyID: story, reason: "new",
                            similarity: 0), storyTitle: i % 8 == 0 ? title : nil)
                    i += 1
                }
            }
            if i % 100_000 == 0 {
                print("filled \(i) articles (\(Int(Double(i - have) / Date().timeIntervalSince(started))) articles/s)")
            }
        }
    }
    let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    print("store: \(try! store.counts().articles) articles, \(try! store.counts().stories) stories, \(size >> 20) MiB")
    func percentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        return s[min(s.count - 1, Int(Double(s.count) * p))]
    }
    func report(_ name: String, _ times: [Double]) {
        print(
            String(
                format: "%@: median %.2f ms, p99 %.2f ms, max %.2f ms (%d queries)", name,
                percentile(times, 0.5) * 1000,
                percentile(times, 0.99) * 1000, times.max()! * 1000, times.count))
    }
    let vocabulary = words.flatMap { $0.prefix(80) }.filter { $0.count >= 4 && $0.allSatisfy(\.isLetter) }
    var searchTimes: [Double] = []
    var phraseTimes: [Double] = []
    var since24: [Double] = []
    var since7: [Double] = []
    var filtered: [Double] = []
    for q in 0..<300 {
        let reader = try! Store(path: path, readOnly: true)
        let a = vocabulary[Int.random(in: 0..<vocabulary.count, using: &rng)]
        let b = vocabulary[Int.random(in: 0..<vocabulary.count, using: &rng)]
        searchTimes.append(seconds { _ = try? reader.search(a, limit: 20) })
        phraseTimes.append(seconds { _ = try? reader.search("\(a) \(b)", limit: 20) })
        since24.append(
            seconds {
                _ = try! reader.stories(filter: ArticleFilter(since: now.addingTimeInterval(-86_400), limit: 50))
            })
        since7.append(
            seconds {
                _ = try! reader.stories(filter: ArticleFilter(since: now.addingTimeInterval(-7 * 86_400), limit: 50))
            })
        filtered.append(
            seconds {
                _ = try! reader.stories(
                    filter: ArticleFilter(
                        since: now.addingTimeInterval(-86_400), feedIDs: [Int64(q % 1000 + 1)], language: "fr",
                        limit: 50))
            })
    }
    report("search one word", searchTimes)
    report("search two words", phraseTimes)
    report("stories --since 24h", since24)
    report("stories --since 7d", since7)
    report("stories --since 24h --feed --lang", filtered)
default:
    print("unknown command \(command)")
    exit(2)
}
