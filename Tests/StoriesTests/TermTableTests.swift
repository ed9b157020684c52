import Foundation
import TestSupport
import XCTest

@testable import Lexicon
@testable import Stories

final class TermTableTests: XCTestCase {
    /// A centroid table answers like a dictionary through growth, pruning and renumbering.
    func testTermWeightsAgreeWithADictionary() {
        var rng = SeededGenerator(fallback: 3)
        var table = TermWeights()
        var reference: [Int32: Float] = [:]
        for _ in 0..<5000 {
            let t = Int32.random(in: 0..<3000, using: &rng)
            let w = Float.random(in: 0..<1, using: &rng)
            table.add(t, w)
            reference[t, default: 0] += w
        }
        XCTAssertEqual(table.count, reference.count)
        for t in Int32(0)..<3100 { XCTAssertEqual(table[t], reference[t] ?? 0, accuracy: 1e-4) }
        table.keepStrongest(200)
        let strongest = reference.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(
            200)
        XCTAssertEqual(table.count, 200)
        for (t, w) in strongest { XCTAssertEqual(table[t], w, accuracy: 1e-4) }
        let remap = (0..<3100).map { Int32(3099 - $0) }
        let renumbered = table.renumbered(remap)
        for (t, w) in strongest { XCTAssertEqual(renumbered[remap[Int(t)]], w, accuracy: 1e-4) }
        var sum: Float = 0
        renumbered.forEach { _, w in sum += w * w }
        XCTAssertEqual(renumbered.norm, sum.squareRoot(), accuracy: 1e-4)
    }

    /// The id multimap answers like a dictionary of arrays through growth and removals: every key's ids, in
    /// the order added. Few distinct keys with many collisions, so runs are long and backward shifts cross
    /// the table's end.
    func testKeyedIDsAgreeWithADictionaryOfArrays() {
        var rng = SeededGenerator(fallback: 4)
        var table = KeyedIDs()
        var reference: [UInt64: [Int64]] = [:]
        let keys = (0..<300).map { _ in UInt64.random(in: 1...UInt64.max, using: &rng) }
        for step in 0..<20000 {
            let key = keys.randomElement(using: &rng)!
            if Bool.random(using: &rng) || reference[key, default: []].isEmpty {
                let id = Int64(step + 1)
                table.insert(key, id)
                reference[key, default: []].append(id)
            } else {
                let id = reference[key]!.randomElement(using: &rng)!
                table.remove(key, id)
                reference[key]!.removeAll { $0 == id }
            }
            if step % 997 == 0 {
                for k in keys {
                    var got: [Int64] = []
                    table.forEach(k) { got.append($0) }
                    XCTAssertEqual(got, reference[k] ?? [])
                    XCTAssertEqual(table.first(k), reference[k]?.first)
                }
            }
        }
        XCTAssertEqual(table.count, reference.values.map(\.count).reduce(0, +))
        table.remove(12345, 1)  // absent: nothing happens
        XCTAssertEqual(table.count, reference.values.map(\.count).reduce(0, +))
    }

    /// Deadlines come out earliest first, only those before the limit.
    func testDeadlinesPopInTimeOrder() {
        var rng = SeededGenerator(fallback: 5)
        var d = Deadlines()
        let times = (0..<2000).map { _ in Double.random(in: 0..<1000, using: &rng) }
        for (i, t) in times.enumerated() { d.push(t, Int64(i + 1)) }
        var popped: [Double] = []
        while let (t, _) = d.popBefore(500) { popped.append(t) }
        XCTAssertEqual(popped, times.filter { $0 < 500 }.sorted())
        XCTAssertEqual(d.count, times.filter { $0 >= 500 }.count)
    }

    /// An article's terms: content words once each (as their six-letter stems) in order of first use with summed
    /// weights, function words and short words left out, a name inside a sentence also counted by its key at half
    /// weight; the counter starts afresh.
    func testTermCounterSumsByTermInFirstUseOrder() {
        let tokenizer = Tokenizer()
        var records: [TokenRecord] = []
        tokenizer.tokenize(
            "The summit in Pyongyang. Talks in Pyongyang went on, said Putin", into: &records, names: true)
        var counter = TermCounter()
        let terms = counter.terms(body: records, title: [])
        let h = { (w: String) in Lexicon.hash(Lexicon.fold(String(w.prefix(TokenView.stemCharacters)))) }
        let key = { (w: String) in Lexicon.hash(Lexicon.nameSkeleton(w)) ^ 0x5bd1_e995_5bd1_e995 }
        let expected: [(UInt64, Float)] = [
            (h("summit"), 1), (h("pyongyang"), 2), (key("pyongyang"), 1), (h("talks"), 1),
            (h("went"), 1), (h("putin"), 1), (key("putin"), 0.5),
        ]
        XCTAssertEqual(terms.map(\.hash), expected.map(\.0))
        XCTAssertEqual(terms.map(\.weight), expected.map(\.1))
        // The counter starts afresh; a title word counts three times and its name key wherever it stands.
        XCTAssertEqual(counter.terms(body: [], title: [records[1]]).map(\.weight), [3])
        XCTAssertEqual(counter.terms(body: [records[3]], title: [records[3]]).map(\.weight), [1 + 3, 0.5 + 1.5])
        // Many distinct terms: the counter grows and keeps them all.
        tokenizer.tokenize((0..<3000).map { "term\($0)" }.joined(separator: " "), into: &records)
        XCTAssertEqual(counter.terms(body: records, title: []).count, 3000)
    }
}
