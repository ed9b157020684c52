// tidings-bench: in-process throughput of the pure stages, for BENCHMARKS.md. Speed is measured here,
// never in unit tests. `peers.py` beside this file measures the Python peers on the same files.
//
//   tidings-bench feeds FILE...        parse throughput (MB/s), single thread, best and median of 5 passes
//   tidings-bench feed-memory MB       peak RSS while parsing a synthetic feed of MB megabytes
//   tidings-bench extract FILE...      extraction throughput (pages/s)
//   tidings-bench cluster FILE [N]     grouping throughput (articles/s) on a JSON Lines file, repeated to N articles
import Extraction
import Feeds
import Foundation
import Markup
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
    print("usage: tidings-bench feeds|feed-memory|extract|cluster ...")
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
    print(String(format: "feeds: %d files, %.1f MB, %d entries; median %.1f MB/s, best %.1f MB/s",
                 files.count, mb, entries, mb / median(passes), mb / passes.min()!))
case "feed-memory":
    let megabytes = Int(args.dropFirst().first ?? "50") ?? 50
    var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>synthetic</title>\n"
    let paragraph = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 20)
    var i = 0
    while xml.utf8.count < megabytes << 20 {
        xml += "<item><title>Item \(i)</title><link>https://example.com/\(i)</link><guid>id-\(i)</guid>"
        xml += "<pubDate>Wed, 19 Jun 2024 15:46:00 GMT</pubDate><description><![CDATA[<p>\(paragraph)</p>]]></description></item>\n"
        i += 1
    }
    xml += "</channel></rss>\n"
    let data = Data(xml.utf8)
    xml = ""
    let before = peakRSSKilobytes()
    var count = 0
    let t = seconds { count = (try? FeedParser.parse(data, maxBytes: 1 << 30))?.entries.count ?? 0 }
    print(String(format: "feed-memory: %d MB feed, %d entries, %.2f s; peak RSS %d MB (%d MB before parsing, the document itself included)",
                 megabytes, count, t, peakRSSKilobytes() / 1024, before / 1024))
case "extract":
    let pages = args.dropFirst().map { path -> (Data, String?) in
        (try! FileReader.read(path), path.contains(".htm") ? "text/html" : "text/plain")
    }
    var passes: [Double] = []
    for _ in 0..<3 {
        passes.append(seconds { for (d, type) in pages { _ = Extractor.extract(d, contentType: type) } })
    }
    print(String(format: "extract: %d pages; median %.0f pages/s, best %.0f pages/s",
                 pages.count, Double(pages.count) / median(passes), Double(pages.count) / passes.min()!))
case "cluster":
    let path = args.dropFirst().first!
    let target = Int(args.dropFirst(2).first ?? "0") ?? 0
    var docs: [ClusterDocument] = []
    for line in try! String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
        docs.append(ClusterDocument(id: "\(o["id"] ?? "")", url: o["url"] as? String, source: o["source"] as? String,
                                    title: o["title"] as? String, text: o["text"] as? String ?? "",
                                    published: (o["published"] as? String).flatMap(FeedDate.parse)))
    }
    let n = max(target, docs.count)
    let index = StoryIndex()
    let t = seconds { for i in 0..<n { _ = index.assign(docs[i % docs.count]) } }
    print(String(format: "cluster: %d articles, %.0f articles/s, %d open stories", n, Double(n) / t, index.openStories))
default:
    print("unknown command \(command)")
    exit(2)
}
