import Foundation
import XCTest

@testable import Extraction
@testable import Markup

func fixtureURL(_ path: String) -> URL { Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil)! }

/// White space folded (NBSP included).
func fold(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{00A0}" || $0 == "\u{202F}" }).joined(separator: " ")
}

/// The extraction benchmark's metric for one page: F1 of 4-word shingles as multisets.
func shingleF1(_ truth: String, _ predicted: String) -> Double {
    func shingles(_ s: String) -> [String: Int] {
        let words = s.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
        var out: [String: Int] = [:]
        if words.count < 4 {
            if !words.isEmpty { out[words.joined(separator: " ")] = 1 }
            return out
        }
        for i in 0...(words.count - 4) { out[words[i..<i + 4].joined(separator: " "), default: 0] += 1 }
        return out
    }
    let t = shingles(truth)
    let p = shingles(predicted)
    var tp = 0
    for (k, v) in p { tp += min(v, t[k] ?? 0) }
    let fp = p.values.reduce(0, +) - tp
    let fn = t.values.reduce(0, +) - tp
    let precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
    let recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
}

struct SeedExpectation: Decodable {
    let file: String
    let title: String
    let body: String
    let not_body: [String]
}
