import Foundation
import XCTest

@testable import Stories

/// Grouping of one event's reports by different outlets, and what one outlet must not be able to do to a story.
final class EventGroupingTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_718_805_960)

    func article(
        _ id: String, _ source: String, _ title: String, _ text: String, hours: Double = 0,
        url: String? = nil
    ) -> ClusterDocument {
        ClusterDocument(
            id: id, url: url ?? "https://\(source)/\(id)", source: source, title: title, text: text,
            published: t0.addingTimeInterval(hours * 3600))
    }

    /// Assigns every article in order; returns each one's final story (merges followed).
    func group(_ index: StoryIndex, _ docs: [ClusterDocument]) -> [String: Int64] {
        var merges = StoryMerges()
        var placed: [(String, Int64)] = []
        for d in docs {
            let a = index.assign(d)
            merges.record(a)
            placed.append((d.id, a.story))
        }
        return Dictionary(uniqueKeysWithValues: placed.map { ($0.0, merges.resolve($0.1)) })
    }

    static let quake = [
        (
            "A magnitude 6.8 earthquake struck the Valdorian coast near Port Estrel early on Tuesday, collapsing "
                + "buildings and killing at least 40 people, the national civil protection agency said.",
            "Earthquake kills dozens on Valdorian coast"
        ),
        (
            "Rescuers dug through rubble in Port Estrel after a powerful quake shook Valdoria overnight; officials "
                + "counted 41 dead and hundreds injured as aftershocks rattled the coastal city.",
            "Valdoria quake: rescuers search rubble in Port Estrel"
        ),
        (
            "The earthquake that hit Valdoria's coast destroyed homes across Port Estrel and nearby fishing villages, "
                + "and the government declared three days of mourning for the victims.",
            "Valdoria mourns quake victims"
        ),
    ]

    static let rates = [
        (
            "The Norland central bank raised its benchmark interest rate by half a point to 4.75 percent on Tuesday, "
                + "its governor Ilse Marten saying inflation remained far above target.",
            "Norland central bank raises rates to 4.75%"
        ),
        (
            "Governor Ilse Marten defended the Norland bank's rate increase, the fourth this year, as borrowing costs "
                + "for households and mortgages climbed again and the currency strengthened.",
            "Norland's Marten defends fourth rate rise"
        ),
        (
            "Norland's monetary policy committee voted seven to two for the half-point hike in interest rates, "
                + "minutes showed, with two members preferring to hold while inflation cools.",
            "Norland rate hike split the committee"
        ),
    ]

    /// Three outlets' differently worded reports of one event form one story; another event the same day
    /// stays its own.
    func testDifferentlyWordedReportsOfOneEventJoin() {
        let index = StoryIndex()
        var docs: [ClusterDocument] = []
        for (k, (text, title)) in Self.quake.enumerated() {
            docs.append(article("q\(k)", "outlet\(k).example", title, text, hours: Double(k)))
        }
        for (k, (text, title)) in Self.rates.enumerated() {
            docs.append(article("r\(k)", "outlet\(k).example", title, text, hours: Double(k) + 0.5))
        }
        let stories = group(index, docs.sorted { $0.published! < $1.published! })
        XCTAssertEqual(Set(["q0", "q1", "q2"].map { stories[$0]! }).count, 1, "one quake, one story")
        XCTAssertEqual(Set(["r0", "r1", "r2"].map { stories[$0]! }).count, 1, "one rate decision, one story")
        XCTAssertNotEqual(stories["q0"], stories["r0"])
    }

    /// The words of an event keep their weight while its reports come in: eight outlets' reports of one tram
    /// derailment made "Karsk", "tram" and "derailed" eight times as common as one report would, until the ninth
    /// report, written with other words around them, no longer reached the story it tells.
    func testAnEventsWordsKeepTheirWeightAsItsReportsComeIn() {
        let index = StoryIndex()
        var docs: [ClusterDocument] = []
        for (k, (text, title)) in (Self.quake + Self.rates).enumerated() {
            docs.append(article("o\(k)", "other\(k).example", title, text, hours: Double(k) * 0.2))
        }
        let reports = [
            "A tram derailed in central Karsk on Monday evening, injuring eleven passengers, police said.",
            "Eleven people were hurt when a Karsk tram derailed on a sharp bend near the old market hall.",
            "Karsk transport officials suspended tram services after a derailed car blocked the river bridge.",
            "Witnesses said the Karsk tram was travelling fast before it derailed and tipped onto its side.",
            "The mayor of Karsk promised an inquiry into why the tram derailed, the city's worst accident in years.",
            "Karsk hospitals treated the injured from the derailed tram; two passengers remain in serious condition.",
            "Photos from Karsk showed the derailed tram lying across both tracks as cranes arrived before dawn.",
            "Karsk commuters faced long queues for buses on Tuesday while the derailed tram was removed.",
        ]
        for (k, text) in reports.enumerated() {
            docs.append(article("t\(k)", "news\(k).example", "Karsk tram derails", text, hours: 2 + Double(k) * 0.5))
        }
        docs.append(
            article(
                "late", "late.example", "Investigators examine track after Karsk crash",
                "Rail investigators spent Tuesday examining worn track where the tram derailed in Karsk, as union "
                    + "leaders demanded to know whether maintenance had been delayed by budget cuts. Engineers "
                    + "from the regional safety board photographed every joint and sleeper along the curve, "
                    + "while drivers described years of complaints about vibration, faulty signals and staff "
                    + "shortages that managers had ignored. A report is due within a month; the operator "
                    + "declined to comment on compensation claims or on the contractor that relaid the line.",
                hours: 10))
        let stories = group(index, docs)
        XCTAssertEqual(Set(reports.indices.map { stories["t\($0)"]! }).count, 1, "eight reports of one derailment")
        XCTAssertEqual(stories["late"], stories["t0"], "a ninth report in other words finds the story it tells")
        XCTAssertNotEqual(stories["late"], stories["o0"])
    }

    /// Headlines alone (an aggregator's, or a feed without text): two reports of one death join, but a headline
    /// from another event that shares only the name "Dean" does not; a short text's lowered bar was met by that
    /// one shared word.
    func testAHeadlineSharingOneNameDoesNotJoin() {
        let index = StoryIndex()
        let docs = [
            article("d1", "one.example", "Former Melbourne coach Dean Bailey dies aged 47", ""),
            article("d2", "two.example", "Dean Bailey, former Melbourne coach, dies of cancer at 47", "", hours: 1),
            article("s1", "three.example", "DEAN: No apologies, it's SXSW", "", hours: 2),
        ]
        let stories = group(index, docs)
        XCTAssertEqual(stories["d1"], stories["d2"], "one death, one story")
        XCTAssertNotEqual(stories["s1"], stories["d1"], "one shared name is not one event")
    }

    /// A newcomer must resemble a story's typical article, not one of them: headlines from an aggregator that share
    /// only "Why" and "Win" grew one broad story, whose centroid then drew in a headline about another event that
    /// shares a name with one of its four (UCI News Aggregator headlines, 11 March 2014).
    func testAHeadlineResemblingOneArticleOfABroadStoryStaysOut() {
        let index = StoryIndex()
        let docs = [
            article("p1", "bloombergview.com", "Why Sony's PlayStation 4 Win Is Really a Loss", ""),
            article(
                "p2", "zimbio.com", "Why Shailene Woodley Would Definitely Win a Celebrity Version of 'Survivor'", "",
                hours: 0.9),
            article("p3", "eurogamer.net", "Why the PC version of Titanfall is a 48GB install", "", hours: 1.3),
            article(
                "p4", "valuewalk.com", "Why Fairholme Is Likely To Win Discovery In Fannie Mae Case", "", hours: 1.4),
            article(
                "w1", "webpronews.com", "Shailene Woodley Says Jennifer Lawrence Convinced Her To Star In “Divergent”",
                "", hours: 2.1),
        ]
        let stories = group(index, docs)
        XCTAssertEqual(stories["p1"], stories["p2"], "the broad story this test is about")
        XCTAssertNotEqual(stories["w1"], stories["p2"], "one shared name with one headline is not the story's event")
    }

    /// A follow-up days later is a story of its own: a story ends `windowHours` after its first article.
    func testAFollowUpDaysLaterIsANewStory() {
        let index = StoryIndex()
        let first = index.assign(article("a", "one.example", Self.quake[0].1, Self.quake[0].0))
        let later = index.assign(article("b", "two.example", Self.quake[1].1, Self.quake[1].0, hours: 24 * 5))
        XCTAssertNotEqual(first.story, later.story)
    }

    /// One outlet mixing sentences of two events, five times over, does not make them one story. Its first bridges
    /// join as near-copies of one report, and a copy gives a story no weight: summed in the quake's centroid, the
    /// rate decision's words made the two stories close enough to merge.
    func testBridgeArticlesFromOneOutletDoNotJoinTwoEvents() {
        let index = StoryIndex()
        var docs: [ClusterDocument] = []
        for (k, (text, title)) in Self.quake.enumerated() {
            docs.append(article("q\(k)", "q\(k).example", title, text, hours: Double(k)))
        }
        for (k, (text, title)) in Self.rates.enumerated() {
            docs.append(article("r\(k)", "r\(k).example", title, text, hours: Double(k)))
        }
        for k in 0..<5 {
            let text = Self.quake[k % 3].0 + " " + Self.rates[(k + 1) % 3].0
            docs.append(
                article(
                    "bridge\(k)", "mixer.example", "Tuesday's news: \(Self.quake[k % 3].1); \(Self.rates[k % 3].1)",
                    text, hours: 3 + Double(k)))
        }
        let stories = group(index, docs)
        XCTAssertNotEqual(
            stories["q0"], stories["r0"], "five bridges from one outlet merged a quake and a rate decision")
    }

    /// Two outlets' reports of one quake that share little, one on the rescue, one on the mourning, assigned in order.
    func rescueAndMourning(_ index: StoryIndex) -> (StoryAssignment, StoryAssignment) {
        let rescue = index.assign(
            article(
                "a", "one.example", "Rescuers dig through rubble in Port Estrel",
                "Rescuers dug through rubble in Port Estrel overnight with sniffer dogs and cranes, pulling survivors from collapsed apartment blocks as aftershocks rattled the coastal city."
            ))
        let mourning = index.assign(
            article(
                "b", "two.example", "Valdoria declares mourning for earthquake victims",
                "The Valdorian government declared three days of national mourning for the earthquake victims, flags flew at half mast, and the president cancelled a trip abroad.",
                hours: 1))
        return (rescue, mourning)
    }

    /// An article that shows two stories to be one event merges them, and says so.
    func testAnArticleThatReachesTwoStoriesOfOneEventMergesThem() {
        // The two reports, then a full report that covers both.
        let index = StoryIndex()
        let (a, b) = rescueAndMourning(index)
        XCTAssertNotEqual(a.story, b.story, "the two reports alone share too little")
        let c = index.assign(
            article(
                "c", "three.example", "Valdoria earthquake: rubble, rescuers and mourning in Port Estrel",
                "Rescuers dug through rubble in Port Estrel with sniffer dogs and cranes after the earthquake, as aftershocks rattled the coastal city; the Valdorian government declared three days of national mourning for the earthquake victims and the president cancelled a trip abroad.",
                hours: 2))
        XCTAssertTrue([a.story, b.story].contains(c.story))
        XCTAssertEqual(
            Set([a.story, b.story]).subtracting([c.story]), Set(c.merged),
            "the other story is merged into the one it joined")
    }

    /// A third outlet's report on the rescue that also says the president declared mourning reaches both the
    /// rescue story and the mourning story; the two stories' centroids meet at a cosine of about 0.18, under the
    /// 0.20 that merging asked, and a reader saw one earthquake as two stories. Merging asks 0.15.
    func testAReportOnOnePartThatNamesTheOtherMergesTheStories() {
        let index = StoryIndex()
        let (a, b) = rescueAndMourning(index)
        let c = index.assign(
            article(
                "c", "three.example", "Survivors pulled from rubble in Port Estrel",
                "Rescuers with sniffer dogs pulled more survivors from collapsed apartment blocks in Port Estrel as aftershocks rattled the coastal city; the Valdorian president cancelled a trip abroad and declared national mourning for the earthquake victims.",
                hours: 2))
        XCTAssertNotEqual(a.story, b.story)
        XCTAssertEqual(c.story, a.story)
        XCTAssertEqual(c.merged, [b.story])
    }

    /// A story of eight outlets' reports (each the event's five words, three times, and 75 of its own) passed 400
    /// terms, and its centroid was cut to its 200 strongest, dropping the first report's own words. A ninth outlet's
    /// rewrite of that first report (its words in another order) resembles it wholly and the others a little:
    /// its mean cosine to the eight cleared the bar, but against the cut centroid it resembled only the event's
    /// words, and it started a story of its own. A centroid keeps 1 000 terms.
    func testARewriteOfABroadStorysFirstReportJoinsIt() {
        // Made-up words, so no real word's frequency decides: three syllables each, all different.
        let consonants = Array("bdfgklmnprstvz")
        let vowels = Array("aiou")
        func word(_ n: Int) -> String {
            (0..<3).map { k in
                let syllable = (n / [1, 56, 56 * 56][k]) % 56
                return String([consonants[syllable / 4], vowels[syllable % 4]])
            }.joined()
        }
        let event = (0..<5).map { word(10 + $0) }
        func words(_ report: Int) -> [String] { event + event + event + (0..<75).map { word(100 + 75 * report + $0) } }
        func text(_ words: [String]) -> String {
            stride(from: 0, to: words.count, by: 10).map {
                words[$0..<min($0 + 10, words.count)].joined(separator: " ")
            }
            .joined(separator: ". ") + "."
        }
        let index = StoryIndex()
        for r in 0..<8 {
            index.restore(article("r\(r)", "outlet\(r).example", "", text(words(r)), hours: Double(r) / 10), story: 5)
        }
        let rewrite = article("w", "rewrite.example", "", text(words(0).reversed()), hours: 2)
        let a = index.assign(rewrite)
        XCTAssertEqual(a.story, 5)
        XCTAssertEqual(a.reason, .sameEvent)
    }

    /// One feed publishing near-copies every 1.5 hours for 19 days does not grow one story without end.
    func testOneOutletsStreamOfCopiesDoesNotKeepAStoryOpen() {
        let index = StoryIndex()
        let body = Self.quake[0].0 + " " + Self.quake[1].0 + " " + Self.quake[2].0
        var sizes: [Int64: Int] = [:]
        for k in 0..<300 {
            let a = index.assign(
                article(
                    "c\(k)", "spam.example", "Update \(k): " + Self.quake[0].1, body + " Update number \(k).",
                    hours: 1.5 * Double(k)))
            sizes[a.story, default: 0] += 1
        }
        XCTAssertLessThanOrEqual(sizes.values.max()!, Int(ClusterSettings().windowHours / 1.5) + 1)
    }

    /// After a restart, a near-copy with a junk title does not rename the story: the restored articles are
    /// weighed as they were, and a copy never takes a title.
    func testARestoredStoryKeepsItsTitleAgainstACopy() {
        let index = StoryIndex()
        for (k, (text, title)) in Self.quake.enumerated() {
            index.restore(article("q\(k)", "outlet\(k).example", title, text, hours: Double(k)), story: 7)
        }
        let copy = index.assign(
            article(
                "spam", "spam.example", "FREE CRYPTO GIVEAWAY", Self.quake[0].0 + " " + Self.quake[1].0,
                hours: 4))
        XCTAssertEqual(copy.story, 7)
        XCTAssertFalse(copy.representative, "a copy renamed the story")
    }

    /// Copies name the article they copy; the story's title goes to the report closest to the story, not to the first.
    func testCopiesNameTheirOriginalAndTheTitleCanMove() {
        let index = StoryIndex()
        let side = index.assign(
            article(
                "side", "local.example", "Fishing fleet stays in harbour",
                "Port Estrel's fishing fleet stayed in harbour on Tuesday after the earthquake, the harbour master said, while boats were checked for damage."
            ))
        XCTAssertTrue(side.representative)
        var moved = false
        for (k, (text, title)) in Self.quake.enumerated() {
            let a = index.assign(article("q\(k)", "outlet\(k).example", title, text, hours: Double(k) + 1))
            XCTAssertEqual(a.story, side.story)
            moved = moved || a.representative
        }
        XCTAssertTrue(moved, "the story kept the first article's side-story title")
        let copy = index.assign(
            article("copy", "aggregator.example", Self.quake[1].1.uppercased(), Self.quake[1].0, hours: 5))
        XCTAssertEqual(copy.copyOf, "q1")
        XCTAssertFalse(copy.representative)
    }

    /// The tram crash: one outlet's report, another outlet's report an hour and a half later, and a follow-up by
    /// the first outlet (a survivor's account) `hours` after the first report.
    func tram(followUpAt hours: Double) -> (report: ClusterDocument, other: ClusterDocument, followUp: ClusterDocument)
    {
        let report = article(
            "a1", "harbourtimes.example", "Tram derails in Croydon, killing seven",
            "A tram derailed and overturned near the Sandilands stop in Croydon, south London, early on Wednesday, killing seven people and injuring more than fifty, the police said. The tram was travelling from New Addington to Wimbledon in heavy rain when it came off the tracks on a sharp bend. Firefighters worked for hours to free passengers trapped in the carriages. The driver was arrested on suspicion of manslaughter and later released on bail, while investigators examine whether the tram was going too fast for the curve."
        )
        let other = article(
            "b1", "dailycourier.example", "Croydon tram crash: seven dead after carriages overturn",
            "Seven people died and dozens were hurt when a tram overturned on a bend near Sandilands in Croydon on Wednesday morning. Passengers described being thrown across the carriage as it tipped onto its side in the dark and the rain. The rail accident investigators said the tram may have been travelling at several times the speed limit for the curve. The driver, 42, was arrested and released on bail. Transport for London suspended services on the line.",
            hours: 1.5)
        let followUp = article(
            "a2", "harbourtimes.example", "Croydon tram survivor: 'people were screaming in the dark'",
            "A builder on his way to work climbed out through a broken window after the tram carriage he was sitting in tipped onto its side near Sandilands. Martin Hale said people were screaming in the dark and the air filled with smoke and dust. He helped a woman with a cut head to climb out and then waited outside with her until the ambulances came. He had taken the same route every morning for ten years and said it had never felt fast before.",
            hours: hours)
        return (report, other, followUp)
    }

    /// The tram crash: one outlet's report, another's, then the first outlet's survivor story an hour and a half
    /// later. The follow-up shares less with the story than the higher bar for an outlet already in it asks (a
    /// blog's series stays apart by that bar), so it started a story of its own and a reader saw the crash twice.
    /// Within hours, on an event other outlets report too, an outlet's further article joins at the ordinary bar;
    /// alone in the story, or the next day, it still needs the higher one.
    func testAnOutletsFollowUpOnAnEventOthersReportJoins() {
        func followUp(hours: Double) -> ClusterDocument { tram(followUpAt: hours).followUp }
        let (report, other, _) = tram(followUpAt: 3)
        let joined = group(StoryIndex(), [report, other, followUp(hours: 3)])
        XCTAssertEqual(joined["a2"], joined["a1"], "a follow-up on an event two outlets report")
        XCTAssertEqual(joined["b1"], joined["a1"])
        let alone = group(StoryIndex(), [report, followUp(hours: 3)])
        XCTAssertNotEqual(alone["a2"], alone["a1"], "no other outlet reports it: the higher bar")
        let nextDay = group(StoryIndex(), [report, other, followUp(hours: 1.5 + 20)])
        XCTAssertNotEqual(nextDay["a2"], nextDay["a1"], "20 hours after the story's last report: the higher bar")
    }

    /// The tram crash reported by three outlets, then the first outlet's survivor story the next day: with one
    /// other outlet beside it, a piece a day on needs the higher bar (a blog's series, a next day's development
    /// stays apart), and it started a story of its own, so a reader saw the crash twice. Once two other outlets
    /// cover the event, an outlet's further pieces on it in the story's window are coverage of it.
    func testAnOutletsNextDayPieceOnAnEventSeveralOutletsCoverJoins() {
        let (report, other, followUp) = tram(followUpAt: 1.5 + 20)
        let third = article(
            "c1", "northernpost.example", "Croydon tram overturned on bend at speed, investigators say",
            "Investigators said the tram that overturned near Sandilands in Croydon on Wednesday, killing seven people, was travelling far above the speed limit for the bend. More than fifty passengers were injured, several of them seriously, when the carriages tipped onto their side in heavy rain. The driver was arrested and released on bail. Services on the line from New Addington to Wimbledon remain suspended while the tracks are repaired.",
            hours: 3)
        let covered = group(StoryIndex(), [report, other, third, followUp])
        XCTAssertEqual(covered["c1"], covered["a1"])
        XCTAssertEqual(covered["a2"], covered["a1"], "a next day's piece on an event three outlets report")
        let beside = group(StoryIndex(), [report, other, followUp])
        XCTAssertNotEqual(beside["a2"], beside["a1"], "one other outlet, a day on: the higher bar")
    }

    /// A feed that gives only the day ("2024-06-19") is read as midnight, so another outlet's account of the tram
    /// crash, dated by day, was 23 hours before the evening report on paper: the decay took half its similarity
    /// and it started a story of its own. A date without a time stands for its whole day. An outlet's own posts
    /// dated by day keep their days apart (a blog's daily series), and a day later is still a day later. (A decay
    /// of 12 hours, not the default's 36, so that 23 hours on paper leave no doubt.)
    func testAReportDatedByItsDayOnlyMeetsTheStoryOfThatDay() {
        let settings = ClusterSettings(decayHours: 12)
        let (report, _, account) = tram(followUpAt: 0)
        let day = Date(timeIntervalSince1970: (t0.timeIntervalSince1970 / 86400).rounded(.down) * 86400)
        var evening = report
        evening.published = day.addingTimeInterval(23 * 3600)
        var dated = account
        dated.source = "northernpost.example"
        dated.published = day
        let sameDay = group(StoryIndex(settings: settings), [evening, dated])
        XCTAssertEqual(sameDay["a2"], sameDay["a1"], "dated the day of the report")
        dated.published = day.addingTimeInterval(2 * 86400)
        let later = group(StoryIndex(settings: settings), [evening, dated])
        XCTAssertNotEqual(later["a2"], later["a1"], "dated two days on: a day after the report at the nearest")

        let (first, next, _) = tram(followUpAt: 0)
        var post = first
        post.published = day
        var nextPost = next
        nextPost.source = first.source
        nextPost.published = day.addingTimeInterval(86400)
        let series = group(StoryIndex(settings: settings), [post, nextPost])
        XCTAssertNotEqual(series["b1"], series["a1"], "one outlet's posts dated a day apart")
    }

    /// The gap between two publication times, where a date without a time is any moment of its day.
    func testADateWithoutATimeStandsForItsWholeDay() {
        let day = Date(timeIntervalSince1970: 1_717_718_400)  // 2024-06-07, as a feed's "2024-06-07" is read
        let hour: TimeInterval = 3600
        XCTAssertEqual(StoryIndex.hoursApart(day.addingTimeInterval(2 * hour), day.addingTimeInterval(7 * hour)), 5)
        XCTAssertEqual(StoryIndex.hoursApart(day, day.addingTimeInterval(23 * hour)), 0)
        XCTAssertEqual(StoryIndex.hoursApart(day.addingTimeInterval(23 * hour), day), 0)
        XCTAssertEqual(StoryIndex.hoursApart(day, day.addingTimeInterval(30 * hour)), 6)
        XCTAssertEqual(StoryIndex.hoursApart(day.addingTimeInterval(-hour), day), 1)
        XCTAssertEqual(StoryIndex.hoursApart(day, day.addingTimeInterval(3 * 24 * hour)), 48)
    }

    /// A second outlet's report of the harbour strike's end under a headline of names the first report does not
    /// use (the union's ballot, the hall, the negotiator): those names were its strongest terms, the story was
    /// looked up by the twelve strongest only, and what its body shares with the story (the strike, the pay deal,
    /// the cranes, the ships) was never compared. Candidate stories are looked up by its 24 strongest terms.
    func testAReportUnderAHeadlineOfNewNamesFindsItsStory() {
        let first = article(
            "s1", "harbourtimes.example", "Harbour strike ends after nine days",
            "The strike at the harbour ended on Wednesday after nine days, when dock workers accepted a pay deal from the port authority. The union said the deal raises pay by six percent over two years and limits night shifts. Cranes started moving again in the afternoon and the first ships were unloaded by evening. Cargo had piled up on the quays and several ships had waited at anchor outside the port for a week. Shippers said it would take days to clear the backlog."
        )
        let second = article(
            "n1", "dailycourier.example",
            "Merriton dockers back Halvorsen offer in Tuesday ballot at Krellwick hall, Voss tells Brandmoor radio",
            "Dock workers voted to accept the pay deal and end the strike at the harbour, the union said. Cranes were moving again and ships at anchor began to come in to unload their cargo. The port authority said the backlog on the quays would take days to clear. Night shifts will be limited under the deal.",
            hours: 2)
        let stories = group(StoryIndex(), [first, second])
        XCTAssertEqual(stories["n1"], stories["s1"])
    }

    /// After a restart the stories are rebuilt from the store, and every stored article came back as its outlet's
    /// own report, copies too: an aggregator's copy of the first report made the story look reported by two
    /// outlets, and the first outlet's follow-up got the lower bar it gets only beside another outlet's report. A
    /// stored copy comes back as a copy.
    func testARestoredCopyIsNoOutletsReport() {
        let (report, other, followUp) = tram(followUpAt: 3)
        var copy = report
        copy.id = "c1"
        copy.source = "aggregator.example"
        copy.url = "https://aggregator.example/c1"
        let withCopy = StoryIndex()
        withCopy.restore(report, story: 5)
        withCopy.restore(copy, story: 5, copy: true)
        XCTAssertNotEqual(withCopy.assign(followUp).story, 5, "a copy is no other outlet's report")
        let withReport = StoryIndex()
        withReport.restore(report, story: 5)
        withReport.restore(other, story: 5)
        XCTAssertEqual(withReport.assign(followUp).story, 5, "beside another outlet's report it joins")
    }
}
