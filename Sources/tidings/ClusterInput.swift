import Foundation
import Markup
import Stories
import Synchronization

/// Chunks of work prepared on worker threads in order, at most `ahead` chunks beyond the one the consumer
/// takes.
final class PreparePipeline<Item, State>: @unchecked Sendable {
    private let count: Int
    private let makeState: () -> State
    private let work: (Int, State) -> [Item]
    private lazy var consumerState = makeState()
    /// Each chunk's items, written by the thread that made it before `done` is signalled (storage of its own:
    /// threads write different slots at once).
    private let results: UnsafeMutablePointer<[Item]>
    private let done: [DispatchSemaphore]
    private let permits: DispatchSemaphore
    private let next = Atomic<Int>(0)

    /// A pipeline over chunks 0..<count, each made by `work` (called on any thread, once per chunk) with the
    /// `makeState()` of that thread.
    init(count: Int, ahead: Int, makeState: @escaping () -> State, work: @escaping (Int, State) -> [Item]) {
        self.count = count
        self.makeState = makeState
        self.work = work
        results = .allocate(capacity: max(count, 1))
        results.initialize(repeating: [], count: count)
        done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        permits = DispatchSemaphore(value: ahead)
    }

    deinit {
        results.deinitialize(count: count)
        results.deallocate()
    }

    /// Starts `n` worker threads at a lower priority than the consumer's (Linux: per thread).
    func startWorkers(_ n: Int) {
        for _ in 0..<max(1, n) {
            let t = Thread { [self] in
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                let state = makeState()
                while claim(state) {}
            }
            t.start()
        }
    }

    /// Claims the next chunk and prepares it; false when every chunk is claimed.
    private func claim(_ state: State) -> Bool {
        permits.wait()
        let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard k < count else { permits.signal(); return false }
        results[k] = work(k, state)
        done[k].signal()
        return true
    }

    /// Chunk `k`'s items, once prepared (chunks are taken in order, each once).
    func take(_ k: Int) -> [Item] {
        // The chunk is made here when no worker has claimed it yet (at the start, before they run); a chunk
        // already being made is waited for, never worked around: the next chunks are no use before it.
        if next.compareExchange(expected: k, desired: k + 1, ordering: .relaxed).exchanged {
            permits.wait()
            results[k] = work(k, consumerState)
        } else {
            done[k].wait()
        }
        permits.signal()
        let items = results[k]
        results[k] = []
        return items
    }
}

/// Reading `cluster`'s JSON Lines into prepared documents.
enum ClusterInput {
    struct LineError: Error { let message: String }

    /// What one thread reuses from line to line.
    final class Scratch {
        let preparer = DocumentPreparer()
        /// Each line's "text", unescaped: it is only tokenized, so it never becomes a String.
        var body: [UInt8] = []
    }

    /// The members `prepare` reads, by position.
    private static let members = ["id", "url", "source", "title", "published"].map { Array($0.utf8) }
    private static let textMember = Array("text".utf8)

    /// Parses and prepares the lines at `lines` (byte ranges of `data`), reusing `scratch`; blank lines are skipped.
    static func prepare(_ data: Data, lines: [Range<Int>], firstLine: Int, file: String, scratch: Scratch)
        -> [Result<(String, PreparedDocument), LineError>] {
        var items: [Result<(String, PreparedDocument), LineError>] = []
        items.reserveCapacity(lines.count)
        data.withUnsafeBytes { raw in
            for (offset, range) in lines.enumerated() {
                let lineNumber = firstLine + offset
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                guard !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) else { continue }
                guard let values = try? JSONLineReader.members(line, members, utf8Member: textMember, into: &scratch.body) else {
                    items.append(.failure(LineError(message: "\(file):\(lineNumber): not a JSON object")))
                    return
                }
                func text(_ k: Int) -> String? { if case .string(let s)? = values[k] { return s }; return nil }
                let idJSON: JSON
                switch values[0] {
                case .string(let s)?: idJSON = .string(s)
                case .number(let n)?: idJSON = Int64(n).map { .int($0) } ?? .string(n)
                default: idJSON = .int(Int64(lineNumber))
                }
                let id = idJSON.text
                let doc = ClusterDocument(id: id, url: text(1), source: text(2), title: text(3),
                                          text: "", published: text(4).flatMap(FeedDate.parse))
                items.append(.success((id, scratch.body.withUnsafeBufferPointer { scratch.preparer.prepare(doc, bodyUTF8: $0) })))
            }
        }
        return items
    }
}

/// Splitting JSON Lines without copying byte by byte.
enum JSONLines {
    /// The byte ranges of the non-empty lines of `data`.
    static func ranges(_ data: Data) -> [Range<Int>] {
        data.withUnsafeBytes { raw -> [Range<Int>] in
            guard let base = raw.baseAddress else { return [] }
            var lines: [Range<Int>] = []
            var start = 0
            while start < raw.count {
                let rest = raw.count - start
                let end: Int
                if let p = memchr(base + start, 10, rest) { end = base.distance(to: UnsafeRawPointer(p)) } else { end = raw.count }
                lines.append(start..<end)
                start = end + 1
            }
            return lines
        }
    }
}
