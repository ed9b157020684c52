import Foundation
import XCTest

@testable import Lexicon
@testable import Stories

struct Seed: Decodable {
    let file: String
    let title: String
    let body: String
}

func seeds() throws -> [Seed] {
    let url = Bundle.module.url(forResource: "Fixtures/seeds-expected", withExtension: "json")!
    return try JSONDecoder().decode([Seed].self, from: Data(contentsOf: url))
}

let june19 = Date(timeIntervalSince1970: 1_718_805_960)
