import Lexicon

/// Sums one article's term weights by term hash, in order of first use; reused from article to article
/// (only the slots an article used are cleared).
struct TermCounter {
    private var slotKeys = [UInt64](repeating: 0, count: 4096)
    private var slotTerms = [Int32](repeating: 0, count: 4096)
    /// The function words' hashes in an open-addressing set (0 marks a free slot).
    private let functionWords: [UInt64] = {
        var size = 16
        while size < 4 * Lexicon.functionWordHashes.count { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        for h in Lexicon.functionWordHashes {
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & (size - 1)
            while slots[i] != 0 { i = (i + 1) & (size - 1) }
            slots[i] = h
        }
        return slots
    }()

    /// The article's terms from its body and title words, in order of first use: function words and short
    /// words do not count; a title word counts three times; a capitalized word inside a sentence (or anywhere
    /// in the title) also counts as its name key, so Poutine/Putin and Kim Jong-un/Kim Jong Un meet.
    mutating func terms(body: [TokenRecord], title: [TokenRecord]) -> [WeightedTerm] {
        let most = 2 * (body.count + title.count) // each word gives at most itself and its name key
        if 2 * most > slotKeys.count {
            var size = slotKeys.count
            while 2 * most > size { size *= 2 }
            slotKeys = [UInt64](repeating: 0, count: size)
            slotTerms = [Int32](repeating: 0, count: size)
        }
        return functionWords.withUnsafeBufferPointer { functionWords in
            slotKeys.withUnsafeMutableBufferPointer { keys in
                slotTerms.withUnsafeMutableBufferPointer { slots in
                    [WeightedTerm](unsafeUninitializedCapacity: most) { out, count in
                        var n = 0
                        let mask = keys.count - 1
                        func add(_ hash: UInt64, _ weight: Float) {
                            var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                            while true {
                                let k = keys[i]
                                if k == hash { out[Int(slots[i])].weight += weight; return }
                                if k == 0 {
                                    keys[i] = hash
                                    slots[i] = Int32(n)
                                    out.baseAddress!.advanced(by: n).initialize(to: WeightedTerm(hash: hash, weight: weight))
                                    n += 1
                                    return
                                }
                                i = (i + 1) & mask
                            }
                        }
                        func isFunctionWord(_ hash: UInt64) -> Bool {
                            let mask = functionWords.count - 1
                            var i = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                            while true {
                                let k = functionWords[i]
                                if k == hash { return true }
                                if k == 0 { return false }
                                i = (i + 1) & mask
                            }
                        }
                        func take(_ words: UnsafeBufferPointer<TokenRecord>, weight: Float, titleCase: Bool) {
                            for t in words {
                                if isFunctionWord(t.hash) { continue }
                                if !t.isCJK && !t.startsWithDigit && t.length < 3 { continue }
                                add(t.hash, weight)
                                if t.nameKey != 0 && (!t.sentenceInitial || titleCase) { add(t.nameKey, weight * 1.5) }
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
        if (count + 1) * 2 > keys.count { resize(max(256, keys.count * 2)) } // an article brings up to 80 terms
        let mask = keys.count - 1
        var i = TermWeights.slot(t, mask)
        while true {
            let k = keys[i]
            if k == t { values[i] += w; return }
            if k < 0 { keys[i] = t; values[i] = w; count += 1; return }
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
        let oldKeys = keys, oldValues = values
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
