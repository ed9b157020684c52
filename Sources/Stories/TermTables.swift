import Lexicon

/// Sums one article's term weights by term hash, in order of first use; reused from article to article
/// (only the slots an article used are cleared).
struct TermCounter {
    /// How much a name's spelling-tolerant key counts beside the word itself. It is what lets a transliterated
    /// name meet its other spelling across outlets and languages; beside the stem it counts a name twice, so it
    /// is kept below the word's own weight (on the story-grouping eval, 2026-12-04, 1.5 instead of 0.5 lost 0.007
    /// of pairwise F1 on reports of one event and 0.034 on headlines, to names that unrelated stories share).
    static let nameKeyWeight: Float = 0.5
    private var slotKeys = [UInt64](repeating: 0, count: 4096)
    private var slotTerms = [Int32](repeating: 0, count: 4096)
    /// The function words (Lexicon's table).
    private let functionWords = Lexicon.functionWordTable

    /// The article's terms from its body and title words, in order of first use: each word as its stem
    /// (`TokenView.stemHash`); function words and short words do not count; a title word counts three times; a
    /// capitalized word inside a sentence (or anywhere in the title) also counts as its name key, so
    /// Poutine/Putin and Kim Jong-un/Kim Jong Un meet.
    mutating func terms(body: [TokenRecord], title: [TokenRecord]) -> [WeightedTerm] {
        let most = 2 * (body.count + title.count)  // each word gives at most itself and its name key
        if 2 * most > slotKeys.count {
            var size = slotKeys.count
            while 2 * most > size { size *= 2 }
            slotKeys = [UInt64](repeating: 0, count: size)
            slotTerms = [Int32](repeating: 0, count: size)
        }
        let functionWords = self.functionWords
        return slotKeys.withUnsafeMutableBufferPointer { keys in
            slotTerms.withUnsafeMutableBufferPointer { slots in
                [WeightedTerm](unsafeUninitializedCapacity: most) { out, count in
                    var n = 0
                    let mask = keys.count - 1
                    func add(_ hash: UInt64, _ weight: Float) {
                        var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                        while true {
                            let k = keys[i]
                            if k == hash {
                                out[Int(slots[i])].weight += weight
                                return
                            }
                            if k == 0 {
                                keys[i] = hash
                                slots[i] = Int32(n)
                                out.baseAddress!.advanced(by: n).initialize(
                                    to: WeightedTerm(hash: hash, weight: weight))
                                n += 1
                                return
                            }
                            i = (i + 1) & mask
                        }
                    }
                    func isFunctionWord(_ hash: UInt64) -> Bool { functionWords.get(hash) != nil }
                    func take(_ words: UnsafeBufferPointer<TokenRecord>, weight: Float, titleCase: Bool) {
                        for t in words {
                            if isFunctionWord(t.hash) { continue }
                            if !t.isCJK && !t.startsWithDigit && t.length < 3 { continue }
                            add(t.stem, weight)
                            if t.nameKey != 0 && (!t.sentenceInitial || titleCase) {
                                add(t.nameKey, weight * TermCounter.nameKeyWeight)
                            }
                        }
                    }
                    body.withUnsafeBufferPointer { take($0, weight: 1, titleCase: false) }
                    title.withUnsafeBufferPointer { take($0, weight: 3, titleCase: true) }
                    // Clear only the slots this article used.
                    for j in 0..<n {
                        let hash = out[j].hash
                        var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                        while keys[i] != hash { i = (i + 1) & mask }
                        keys[i] = 0
                    }
                    count = n
                }
            }
        }
    }
}

/// A story's centroid: weight by term id, in an open-addressing table (no hashing of the key beyond one
/// multiply, no allocation per entry).
struct TermWeights {
    private var keys: [Int32] = []
    private var values: [Float] = []
    /// Number of terms with a weight.
    private(set) var count = 0

    /// The weight of term `t` (0 when absent).
    subscript(t: Int32) -> Float {
        guard !keys.isEmpty else { return 0 }
        let mask = keys.count - 1
        var i = TermWeights.slot(t, mask)
        while true {
            let k = keys[i]
            if k == t { return values[i] }
            if k < 0 { return 0 }
            i = (i + 1) & mask
        }
    }

    /// Adds `w` to the weight of term `t`.
    mutating func add(_ t: Int32, _ w: Float) {
        if (count + 1) * 2 > keys.count { resize(max(256, keys.count * 2)) }  // an article brings up to 80 terms
        let mask = keys.count - 1
        var i = TermWeights.slot(t, mask)
        while true {
            let k = keys[i]
            if k == t {
                values[i] += w
                return
            }
            if k < 0 {
                keys[i] = t
                values[i] = w
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Euclidean length of the weights.
    var norm: Float {
        var sum: Float = 0
        for i in keys.indices where keys[i] >= 0 { sum += values[i] * values[i] }
        return sum.squareRoot()
    }

    /// Calls `body` with each term and its weight.
    func forEach(_ body: (Int32, Float) -> Void) {
        for i in keys.indices where keys[i] >= 0 { body(keys[i], values[i]) }
    }

    /// Keeps the `n` heaviest terms (ties: the lower id).
    mutating func keepStrongest(_ n: Int) {
        var entries: [(Int32, Float)] = []
        entries.reserveCapacity(count)
        forEach { entries.append(($0, $1)) }
        entries.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        self = TermWeights()
        for (t, w) in entries.prefix(n) { add(t, w) }
    }

    /// The same weights under new term ids (`remap[old]`).
    func renumbered(_ remap: [Int32]) -> TermWeights {
        var out = TermWeights()
        forEach { t, w in out.add(remap[Int(t)], w) }
        return out
    }

    private mutating func resize(_ size: Int) {
        let oldKeys = keys
        let oldValues = values
        keys = [Int32](repeating: -1, count: size)
        values = [Float](repeating: 0, count: size)
        count = 0
        for i in oldKeys.indices where oldKeys[i] >= 0 { add(oldKeys[i], oldValues[i]) }
    }

    @inline(__always)
    private static func slot(_ t: Int32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: t)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}

/// Story ids by 64-bit key (LSH band keys, text hashes), several ids a key: open addressing with linear
/// probing and deletion by backward shift, so a key's ids come back in the order they were added and no
/// entry costs an allocation.
struct KeyedIDs {
    private var keys: [UInt64]
    /// 0 marks a free slot (story ids are positive).
    private var ids: [Int64]
    private var shift: UInt64
    /// Number of (key, id) entries.
    private(set) var count = 0

    init() {
        keys = [UInt64](repeating: 0, count: 1024)
        ids = [Int64](repeating: 0, count: 1024)
        shift = 64 - 10
    }

    /// The home slot of `key`: its top bits after one multiply (keys are hashes, but not all bits are mixed).
    @inline(__always) private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Adds `id` under `key` (after the ids already there).
    mutating func insert(_ key: UInt64, _ id: Int64) {
        precondition(id > 0)
        if (count + 1) * 2 > ids.count { resize(ids.count * 2) }
        let mask = ids.count - 1
        var i = home(key)
        while ids[i] != 0 { i = (i + 1) & mask }
        keys[i] = key
        ids[i] = id
        count += 1
    }

    /// The first id added under `key`, if any.
    func first(_ key: UInt64) -> Int64? {
        let mask = ids.count - 1
        var i = home(key)
        while ids[i] != 0 {
            if keys[i] == key { return ids[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Calls `body` with each id under `key`, in the order they were added.
    func forEach(_ key: UInt64, _ body: (Int64) -> Void) {
        let mask = ids.count - 1
        var i = home(key)
        while ids[i] != 0 {
            if keys[i] == key { body(ids[i]) }
            i = (i + 1) & mask
        }
    }

    /// Removes the entry (`key`, `id`) if present.
    mutating func remove(_ key: UInt64, _ id: Int64) {
        let mask = ids.count - 1
        var hole = home(key)
        while ids[hole] != 0 && !(keys[hole] == key && ids[hole] == id) { hole = (hole + 1) & mask }
        guard ids[hole] != 0 else { return }
        // Backward shift: later entries of the run move into the hole when their home allows it, so every
        // entry stays reachable from its home without tombstones.
        var j = hole
        while true {
            j = (j + 1) & mask
            guard ids[j] != 0 else { break }
            let h = home(keys[j])
            // Entry j may fill the hole unless its home lies cyclically in (hole, j].
            let homeAfterHole = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !homeAfterHole {
                keys[hole] = keys[j]
                ids[hole] = ids[j]
                hole = j
            }
        }
        ids[hole] = 0
        keys[hole] = 0
        count -= 1
    }

    private mutating func resize(_ size: Int) {
        let oldKeys = keys
        let oldIDs = ids
        keys = [UInt64](repeating: 0, count: size)
        ids = [Int64](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        // Re-inserted in slot order from a run's start keeps each key's ids in order: walk from a free slot.
        let mask = oldIDs.count - 1
        guard let start = oldIDs.firstIndex(of: 0) else { return }
        for k in 1...oldIDs.count {
            let i = (start + k) & mask
            if oldIDs[i] != 0 { insert(oldKeys[i], oldIDs[i]) }
        }
    }
}

/// Deadlines by story: a binary min-heap of (time, id) where a story's entry may be stale (it moved on since);
/// the caller checks each popped entry against the story's current time.
struct Deadlines {
    private var heap: [(Double, Int64)] = []

    /// Number of entries, stale ones included.
    var count: Int { heap.count }

    /// Adds an entry.
    mutating func push(_ time: Double, _ id: Int64) {
        heap.append((time, id))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].0 < heap[parent].0 else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Removes and returns the earliest entry when it is before `limit`.
    mutating func popBefore(_ limit: Double) -> (Double, Int64)? {
        guard let top = heap.first, top.0 < limit else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1
                let r = l + 1
                var m = i
                if l < heap.count && heap[l].0 < heap[m].0 { m = l }
                if r < heap.count && heap[r].0 < heap[m].0 { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
