import Foundation
import Markup
import Stories
import Synchronization
import Web

/// Chunks of work prepared on worker threads in order, at most `ahead` chunks beyond the one the consumer
/// takes. Each thread (the consumer too) makes its own `State` (scratch storage) and passes it to `work`.
final class PreparePipeline<Item: Sendable, State>: Sendable {
    private struct Slots {
        /// The next chunk no thread has claimed.
        var next = 0
        /// Each chunk's items, once made, until taken.
        var results: [[Item]]
    }

    private let count: Int
    private let makeState: @Sendable () -> State
    private let work: @Sendable (Int, State) -> [Item]
    private let slots: Mutex<Slots>
    /// Signalled when chunk k is made by a worker.
    private let done: [DispatchSemaphore]
    /// Chunks that may be in the making or made and not taken: `ahead`.
    private let permits: DispatchSemaphore

    /// A pipeline over chunks 0..<count, each made by `work` (called on any thread, once per chunk) with the
    /// `makeState()` of that thread.
    init(
        count: Int, ahead: Int, makeState: @escaping @Sendable () -> State,
        work: @escaping @Sendable (Int, State) -> [Item]
    ) {
        self.count = count
        self.makeState = makeState
        self.work = work
        slots = Mutex(Slots(results: Array(repeating: [], count: count)))
        done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        permits = DispatchSemaphore(value: ahead)
    }

    /// Starts `n` worker threads at a lower priority than the consumer's (Linux: per thread).
    func startWorkers(_ n: Int) {
        for _ in 0..<max(1, n) {
            let t = Thread { [self] in
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, PreparePipeline.workerNiceness)
                let state = makeState()
                while claim(state) {}
            }
            t.start()
        }
    }

    /// Workers run this much nicer than the consumer, which every chunk waits for.
    static var workerNiceness: Int32 { 10 }

    /// Claims the next chunk and prepares it; false when every chunk is claimed.
    private func claim(_ state: State) -> Bool {
        permits.wait()
        let k = slots.withLock { s in
            defer { s.next += 1 }
            return s.next
        }
        guard k < count else {
            permits.signal()
            return false
        }
        let items = work(k, state)
        slots.withLock { $0.results[k] = items }
        done[k].signal()
        return true
    }

    /// Chunk `k`'s items, once prepared (chunks are taken in order, each once); `state` is the consumer's.
    func take(_ k: Int, state: State) -> [Item] {
        // The chunk is made here when no worker has claimed it yet (at the start, before they run); a chunk
        // already being made is waited for, never worked around: the next chunks are no use before it.
        let mine = slots.withLock { s in
            guard s.next == k else { return false }
            s.next = k + 1
            return true
        }
        let items: [Item]
        if mine {
            permits.wait()
            items = work(k, state)
        } else {
            done[k].wait()
            items = slots.withLock { s in
                defer { s.results[k] = [] }
                return s.results[k]
            }
        }
        permits.signal()
        return items
    }
}

/// Reading `cluster`'s JSON Lines into prepared documents.
enum ClusterInput {
    struct LineError: Error, Sendable { let message: String }

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
    static func prepare(
        _ data: Data, lines: [Range<Int>], firstLine: Int, file: String, scratch: Scratch
    )
        -> [Result<(String, PreparedDocument), LineError>]
    {
        var items: [Result<(String, PreparedDocument), LineError>] = []
        items.reserveCapacity(lines.count)
        data.withUnsafeBytes { raw in
            for (offset, range) in lines.enumerated() {
                let lineNumber = firstLine + offset
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                guard !line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) else { continue }
                guard
                    let values = try? JSONLineReader.members(line, members, utf8Member: textMember, into: &scratch.body)
                else {
                    items.append(.failure(LineError(message: "\(file):\(lineNumber): not a JSON object")))
                    return
                }
                func text(_ k: Int) -> String? {
                    if case .string(let s)? = values[k] { return s }
                    return nil
                }
                let idJSON: JSON
                switch values[0] {
                case .string(let s)?: idJSON = .string(s)
                case .number(let n)?: idJSON = Int64(n).map { .int($0) } ?? .string(n)
                default: idJSON = .int(Int64(lineNumber))
                }
                let id = idJSON.text
                let doc = ClusterDocument(
                    id: id, url: text(1), source: text(2), title: text(3),
                    text: "", published: text(4).flatMap(FeedDate.parse))
                items.append(
                    .success((id, scratch.body.withUnsafeBufferPointer { scratch.preparer.prepare(doc, bodyUTF8: $0) }))
                )
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
                if let p = memchr(base + start, 10, rest) {
                    end = base.distance(to: UnsafeRawPointer(p))
                } else {
                    end = raw.count
                }
                lines.append(start..<end)
                start = end + 1
            }
            return lines
        }
    }
}
