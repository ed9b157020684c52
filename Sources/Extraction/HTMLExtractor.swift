import Foundation
import Lexicon
import Markup

/// Extracts the article from an HTML page.
public enum HTMLExtractor {
    /// The article in the page `data`.
    public static func extract(
        _ data: Data, hints: PageHints = PageHints(), template: TemplateMemory.Host? = nil
    ) -> Article {
        let doc = HTMLDocument(data: data, url: hints.url, encoding: hints.charset, reading: .text)
        return extract(doc, hints: hints, template: template)
    }

    /// The article in an already parsed page.
    public static func extract(
        _ doc: HTMLDocument, hints: PageHints = PageHints(), template: TemplateMemory.Host? = nil
    ) -> Article {
        extractWithBlocks(doc, hints: hints, template: template).article
    }

    /// The article, and the text of every block the page was cut into (what template memory learns from).
    static func extractWithBlocks(
        _ doc: HTMLDocument, hints: PageHints, template: TemplateMemory.Host?
    )
        -> (article: Article, blocks: [String])
    {
        let structured = StructuredData.read(doc)
        var (article, blocks, walker) = body(doc, hints: hints, template: template, structured: structured)
        let prose = blocks.contains { $0.label == .good && $0.kind != .heading }
        if !prose && structured.articleBody == nil,
            case let found = article.paragraphs.reduce(0, { $0 + $1.split(separator: " ").count }),
            found < HTMLExtractor.secondReadingWords
        {
            // Nothing, or a headline alone: one mild class word on the article's wrapper ("border_bottom", "card",
            // "meta") may have marked every paragraph as chrome. Read the page again without the mild words;
            // comment systems, footers, forms and hidden elements stay out as before. (A short post's one
            // sentence is not read again: what that finds is the sidebar's blurb and the author's box.)
            // Only prose of some length counts: what a second reading finds in a few words is chrome it let in.
            let again = body(doc, hints: hints, template: template, structured: structured, mildWords: false)
            let words = again.article.paragraphs.reduce(0) { $0 + $1.split(separator: " ").count }
            if words >= HTMLExtractor.secondReadingWords && words > 2 * found { (article, blocks, walker) = again }
        }
        if debugBlocks {
            let kept = Set(article.paragraphs)
            for b in blocks {
                let line =
                    "\(kept.contains(b.text) ? "+" : "-") \(b.label) prior=\(b.markupPrior) ld=\(String(format: "%.2f", b.linkDensity)) w=\(b.wordCount) c=\(b.container) \(b.kind): \(b.text.prefix(90))\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        if article.paragraphs.isEmpty, let body = structured.articleBody {
            article.paragraphs = body.split(separator: "\n").map { HTMLText.collapseSpaces(String($0)) }.filter {
                !$0.isEmpty
            }
        }
        // The title is the one the page declares (the body above was cut around the heading the assembler
        // found); a page that declares none keeps that heading.
        if let published = structured.jsonLDPublished { article.published = published }
        if let byline = DeclaredMetadata.byline(structured) {
            article.author = byline
        } else if article.author == nil, let line = DeclaredMetadata.bylineElement(doc) {
            article.author = Byline.name(in: line)
        }
        if let declared = DeclaredMetadata.of(doc, structured), !declared.isEmpty {
            article.title = declared
        } else if article.title == nil || article.title?.isEmpty == true {
            article.title = walker.h1
        }
        if article.paragraphs.isEmpty, let frame = postFrame(blocks, title: article.title) {
            article.paragraphs = frame
            article.frameOnly = true
        }
        return (article, blocks.map(\.text))
    }

    /// The lines a post with no text of its own shows (a picture post, a video): its headline, a subtitle, and the
    /// date and byline lines around it, as the page shows them, when a heading there is the page's title or an
    /// `<h1>` stands over a dek. A reader sees those lines, not nothing; the daemon still prefers the feed entry's
    /// own text to them.
    static func postFrame(_ blocks: [Block], title: String?) -> [String]? {
        guard let wanted = title.map(TitleFinder.normalize), !wanted.isEmpty else { return nil }
        func plain(_ b: Block) -> Bool { b.linkDensity < 0.5 && b.markupPrior > -4 }  // not a link, not comments
        // The heading is the title, or the title is the heading with the site's or section's name after it, or
        // before it. One word names the post only where the page marks the heading as the post's. Not in the
        // page's header or menus; any link density, as the headline is often a link to the post itself.
        func named(_ b: Block, _ match: (String) -> Bool) -> Bool {
            guard b.kind == .heading, b.markupPrior > -2, b.wordCount <= 30 else { return false }
            let heading = TitleFinder.normalize(b.text)
            return (heading.contains(" ") || b.markupPrior >= 1) && match(heading)
        }
        // A page whose declared title is not its headline (an SEO title) still shows one with its dek: an <h1> of
        // four words or more with a subtitle heading right under it, wherever the page puts them.
        func headlineWithDek(_ i: Int) -> Bool {
            blocks[i].isH1 && blocks[i].wordCount >= 4 && plain(blocks[i]) && i + 1 < blocks.count
                && blocks[i + 1].kind == .heading && !blocks[i + 1].isH1 && plain(blocks[i + 1])
                && blocks[i + 1].wordCount >= 3
        }
        // The site's name after the headline is the common order: a heading that is only the title's end is
        // taken last, after a headline with its dek (the end is often the site's logo, also a heading).
        guard
            let h = blocks.firstIndex(where: { named($0) { wanted == $0 || wanted.hasPrefix($0 + " ") } })
                ?? blocks.indices.first(where: headlineWithDek)
                ?? blocks.firstIndex(where: { named($0) { wanted.hasSuffix(" " + $0) } })
        else { return nil }
        var lines = [blocks[h].text]
        if h > 0, case let b = blocks[h - 1], plain(b), Byline.isDateline(b.text) { lines.insert(b.text, at: 0) }
        var i = h + 1
        // A subtitle right under the headline, then date and byline lines.
        if i < blocks.count, blocks[i].kind == .heading, plain(blocks[i]), !Byline.isDateline(blocks[i].text),
            blocks[i].wordCount >= 3
        {
            lines.append(blocks[i].text)
            i += 1
        }
        while i < blocks.count, lines.count < 5, plain(blocks[i]),
            Byline.isByline(blocks[i].text) || Byline.isDateline(blocks[i].text)
        {
            lines.append(blocks[i].text)
            i += 1
        }
        return lines
    }

    /// The page cut into blocks, classified, and the article's blocks chosen. `mildWords`: whether class and id
    /// words of mild weight (one chrome word) lower the prior of what they hold.
    private static func body(
        _ doc: HTMLDocument, hints: PageHints, template: TemplateMemory.Host?, structured: StructuredData,
        mildWords: Bool = true
    ) -> (article: Article, blocks: [Block], walker: BlockWalker) {
        var walker = BlockWalker(bodyLength: 0)
        walker.mildWords = mildWords
        walker.bodyLength = walker.measure(doc.body, nodeCount: doc.nodeCount)
        walker.walk(doc.body, prior: 0, parent: -1)
        walker.flush()
        var blocks = walker.blocks
        var hintsWithTitle = hints
        if hintsWithTitle.title == nil {
            hintsWithTitle.title = structured.headline ?? walker.h1 ?? structured.documentTitle
        }
        var article = ArticleAssembler.assemble(
            &blocks, hints: hintsWithTitle, structured: structured.withoutHeadline,
            template: template)
        if !blocks.contains(where: { $0.label == .good }) {
            // Nothing reads as article text on its own (a results table, a short notice): take the near-good
            // blocks, then let the element that holds them decide what else belongs.
            var promoted = false
            for i in blocks.indices
            where
                (blocks[i].label == .nearGood
                || (blocks[i].wordCount >= 8 && blocks[i].endsSentence
                    && blocks[i].markupPrior > -2 && blocks[i].linkDensity < 0.5))
                && !Byline.isDateline(blocks[i].text) && !Byline.isByline(blocks[i].text)
                && !BlockClassifier.looksLikeBoilerplateLine(blocks[i].text)
            {
                blocks[i].label = .good
                promoted = true
            }
            if promoted {
                article.paragraphs = blocks.filter { $0.label == .good }.map(\.text)
            }
        }
        preferStrongMarkup(&blocks)
        if blocks.contains(where: { $0.label == .good }) {
            article.paragraphs = blocks.filter { $0.label == .good }.map(\.text)
        }
        article.paragraphs = focus(blocks, parents: walker.parents, classes: walker.classes, article: article)
        return (article, blocks, walker)
    }

    /// Fewest words an article found by the second reading (mild class words ignored) must have: the pages it
    /// rescues hold a whole article under a wrongly named wrapper; a few words found that way are chrome.
    static let secondReadingWords = 50

    /// A short post (a picture and a few lines) has no block that reads as prose on its own, and a sidebar's
    /// "about me" paragraph then wins alone. When what reads as good is a few words, and the page marks an
    /// element at least as strongly as the post (nested article/entry/post containers), that element's readable
    /// lines are the article instead. When nothing reads as good at all (a picture post: a headline, a picture, one
    /// line), an element named once as the post (prior 1) is enough. And when all the good text is text the page
    /// marks as no article (prior 0.5 at most: an events box's blurbs), a post it names as one (1.5) whose lines
    /// are too short or too linked to read as prose (a weekly digest of linked items) is the article, whatever the
    /// blurbs' length, if it holds a quarter of their words.
    static func preferStrongMarkup(_ blocks: inout [Block]) {
        var goodWords = 0
        var goodPrior = -Double.infinity
        var namedPost = false
        for b in blocks {
            if b.label == .good {
                goodWords += b.wordCount
                goodPrior = max(goodPrior, b.markupPrior)
            }
            namedPost = namedPost || b.markupPrior >= 1.5
        }
        guard goodWords < strongMarkupGoodWords || (goodPrior <= 0.5 && namedPost) else { return }
        // Readable lines only: a linked "Topics: …" line marked more strongly than the post's own lines (a poem,
        // a caption and two lines) does not hide them.
        let readable = blocks.indices.filter {
            blocks[$0].linkDensity < 0.5 && blocks[$0].wordCount > 0 && !Byline.isDateline(blocks[$0].text)
                && !Byline.isByline(blocks[$0].text)
        }
        // Also when the few good words lie in that element itself (a sidebar's blurb no longer reading as good,
        // only the post's longer lines do): all of its readable lines are the post.
        guard let strongest = readable.map({ blocks[$0].markupPrior }).max(),
            strongest >= (goodWords == 0 ? 1 : 1.5), strongest >= goodPrior
        else { return }
        let strong = readable.filter { blocks[$0].markupPrior == strongest }
        let strongWords = strong.reduce(0) { $0 + blocks[$1].wordCount }
        if goodWords >= strongMarkupGoodWords {
            // Unmarked prose of some length: only a post named as one, its linked lines counted too.
            let all = blocks.reduce(0) { $0 + ($1.markupPrior == strongest ? $1.wordCount : 0) }
            guard strongest >= 1.5, all * 4 >= goodWords else { return }
        } else {
            // More words than the blurb, or a few words in an element named far more strongly as the post.
            guard (strongWords >= 10 && strongWords > goodWords) || (strongWords >= 5 && strongest - goodPrior >= 1.5)
            else { return }
        }
        for i in blocks.indices where blocks[i].label == .good { blocks[i].label = .bad }
        for i in strong { blocks[i].label = .good }
    }

    /// Below this many words of good blocks, strong article markup elsewhere wins.
    static let strongMarkupGoodWords = 40

    /// Whether every block is written to standard error with its label (TIDINGS_DEBUG_BLOCKS set).
    static let debugBlocks = ProcessInfo.processInfo.environment["TIDINGS_DEBUG_BLOCKS"] != nil

    /// Finds the element that holds most of the article's text, and keeps every block under it that does not
    /// look like chrome: good blocks, and the headings, short paragraphs and list items between them.
    static func focus(_ blocks: [Block], parents: [Int], classes: [String], article: Article) -> [String] {
        // Which blocks are good and kept by the assembler, hashed once per block rather than once per question.
        let kept = Set(article.paragraphs)
        // Teaser cards: one excerpt under a headline that is all link, and then the next card (or a link). Three
        // or more make a list of other stories ("read next", "deals"), however well their excerpts read; a
        // headline followed by several paragraphs is a section of the article (a gift guide's products).
        func isLinkHeading(_ j: Int) -> Bool { blocks[j].kind == .heading && blocks[j].linkDensity >= 0.9 }
        var teasers = Set<Int>()
        for i in blocks.indices.dropFirst()
        where blocks[i].label == .good && isLinkHeading(i - 1)
            && (i + 1 == blocks.count || isLinkHeading(i + 1) || blocks[i + 1].linkDensity >= 0.9)
        {
            teasers.insert(i)
        }
        if teasers.count < 3 { teasers.removeAll() }
        let keep = blocks.indices.map {
            blocks[$0].label == .good && kept.contains(blocks[$0].text) && !teasers.contains($0)
        }
        // Readability's idea: a good block credits its container fully and the container's parent by half;
        // the best-scoring element is the article, joined by sibling elements that score a fifth of it.
        // Elements are numbered in document order, a parent before its children: tables indexed by element.
        let elements = parents.count
        var score = [Double](repeating: 0, count: elements)
        var scored = [Bool](repeating: false, count: elements)
        /// Hands `weight` to the block element `container` and its ancestors as Readability.js shares it: 1, 1/2,
        /// then 1/(3·level), five levels up.
        func credit(from container: Int, _ weight: Double, _ give: (Int, Double) -> Void) {
            var node = container
            var level = 0
            while node >= 0 && level < 5 {
                give(node, level == 0 ? weight : (level == 1 ? weight / 2 : weight / Double(level * 3)))
                node = parents[node]
                level += 1
            }
        }
        var total = 0
        for (i, b) in blocks.enumerated() where keep[i] {
            // The article comes before its comments and its "read next": later good text weighs less.
            let position = 1 / (1 + Double(total) / 2000)
            total += b.charCount
            let weight = Double(b.charCount) * (b.markupPrior > 0 ? 1.2 : 1) * position
            credit(from: b.container, weight) { node, share in
                score[node] += share
                scored[node] = true
            }
        }
        // A block's own element (a lone paragraph) is no candidate: the article is an element that holds blocks.
        var holders = [Bool](repeating: false, count: elements)
        for b in blocks {
            var node = b.container >= 0 ? parents[b.container] : -1
            while node >= 0, !holders[node] {
                holders[node] = true
                node = parents[node]
            }
        }
        var top: (key: Int, value: Double)?
        for node in 0..<elements where scored[node] && holders[node] && score[node] > (top?.value ?? -1) {
            top = (node, score[node])
        }
        guard total > 0, var top else { return article.paragraphs }
        // A page that names its post as one (prior 1.5: two article words) is read from that post: when the
        // top element holds none of its good text (an events box of unmarked blurbs outscoring a two-paragraph
        // post), the element that scores best on the post's text is the article element instead.
        var hasPost = false
        var topHoldsPost = false
        for (i, b) in blocks.enumerated() where keep[i] && b.markupPrior >= 1.5 {
            hasPost = true
            var node = b.container
            while node >= 0 && !topHoldsPost {
                topHoldsPost = node == top.key
                node = parents[node]
            }
        }
        if hasPost && !topHoldsPost {
            // The post's text credited as above (by characters: it all lies early enough to weigh alike).
            var postCredit: [Int: Double] = [:]
            for (i, b) in blocks.enumerated() where keep[i] && b.markupPrior >= 1.5 {
                credit(from: b.container, Double(b.charCount)) { node, share in postCredit[node, default: 0] += share }
            }
            if let post = postCredit.filter({ holders[$0.key] }).max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                top = (post.key, score[post.key])
            }
        }
        // Wrappers that hold nothing but the article element are the article element too: its siblings are
        // looked for beside the outermost of them (sections of a body each wrapped in two or three divs).
        var blockCount = [Int](repeating: 0, count: elements)
        for b in blocks {
            var node = b.container
            while node >= 0 {
                blockCount[node] += 1
                node = parents[node]
            }
        }
        var topNode = top.key
        while parents[topNode] >= 0, blockCount[parents[topNode]] == blockCount[topNode] { topNode = parents[topNode] }
        let topValue = scored[topNode] ? score[topNode] : top.value
        var roots: Set<Int> = [topNode]
        let parentOfTop = parents[topNode]
        // As in Readability, a sibling of the same class as the article element is more of it (an article cut in
        // sections around a photo), whatever its share of the text.
        let topClass = classes[topNode]
        // Beside a wrapper, a sibling must hold a good share itself (an "about us" box of the same CMS class is
        // no section of the story).
        let climbed = topNode != top.key
        // The article ends where its discussion begins: an element after the comments that follow the article
        // element (a newsletter blurb in the next column) is no section of the article. A comment is text there,
        // not a "Reader comments 1" link.
        // Where each of the article element's siblings (and the element) begins, and where the element ends.
        var firstBlock: [Int: Int] = [:]
        var lastOfTop = -1
        for (i, b) in blocks.enumerated() {
            var node = b.container
            while node >= 0, parents[node] != parentOfTop { node = parents[node] }
            guard node >= 0 else { continue }
            if firstBlock[node] == nil { firstBlock[node] = i }
            if node == topNode { lastOfTop = i }
        }
        let discussion =
            blocks.indices.first {
                $0 > lastOfTop && blocks[$0].markupPrior <= -6 && blocks[$0].wordCount >= 8
                    && blocks[$0].linkDensity < 0.5
            } ?? Int.max
        for node in 0..<elements
        where scored[node] && node != topNode && parents[node] == parentOfTop
            && (score[node] >= (climbed ? 0.4 : 0.2) * topValue
                || (!climbed && !topClass.isEmpty && classes[node] == topClass))
            && firstBlock[node, default: Int.max] < discussion
        {
            roots.insert(node)
        }
        /// Which elements lie under (or are) one of `roots`, by element.
        func under(_ roots: Set<Int>) -> [Bool] {
            var within = [Bool](repeating: false, count: elements)
            for e in 0..<elements { within[e] = roots.contains(e) || (parents[e] >= 0 && within[parents[e]]) }
            return within
        }
        func inside(_ c: Int, _ within: [Bool]) -> Bool { c >= 0 && within[c] }
        // The narrow choice must hold most of the good text (55 %: a short post beside a sidebar of teasers that
        // read as prose holds little more); otherwise take the deepest element holding 80% of it.
        let underRoots = under(roots)
        // Good text outside the choice that the page marks as no article at all (no more than one mild article
        // word: a sidebar's blurbs) does not count against a choice it marks as the article (two or more).
        var held = 0
        var unmarkedOutside = 0
        var topPrior = -Double.infinity
        for (i, b) in blocks.enumerated() where keep[i] {
            if inside(b.container, underRoots) {
                held += b.charCount
                topPrior = max(topPrior, b.markupPrior)
            } else if b.markupPrior <= 0.5 {
                unmarkedOutside += b.charCount
            }
        }
        let weighed = topPrior >= 1.5 ? total - unmarkedOutside : total
        if Double(held) < 0.55 * Double(weighed) {
            var good = [Int](repeating: 0, count: elements)
            for (i, b) in blocks.enumerated() where keep[i] {
                var node = b.container
                while node >= 0 {
                    good[node] += b.charCount
                    node = parents[node]
                }
            }
            var best = -1
            var bestDepth = -1
            for node in 0..<elements where good[node] > 0 && Double(good[node]) >= 0.8 * Double(total) {
                var depth = 0
                var n = node
                while n >= 0 {
                    depth += 1
                    n = parents[n]
                }
                if depth > bestDepth {
                    best = node
                    bestDepth = depth
                }
            }
            if best >= 0 { roots = [best] }
        }
        let chosen = roots
        let underChosen = under(chosen)
        // A lead set apart from the body by a photo: good blocks just before the chosen element join it when
        // little else lies between.
        var leadIn = Set<Int>()
        if let first = blocks.firstIndex(where: { $0.label == .good && inside($0.container, underChosen) }) {
            var gap = 0
            var i = first - 1
            while i >= 0 {
                let b = blocks[i]
                if keep[i] {
                    if gap > 400 { break }
                    leadIn.insert(i)
                    gap = 0
                } else {
                    gap += b.charCount
                    if gap > 400 { break }
                }
                i -= 1
            }
        }
        func inside(_ c: Int) -> Bool { inside(c, underChosen) }
        // Sections of one article side by side (lists of notes with stat tables between them): what lies under
        // their common parent up to the last section is the article's too, if it passes as text.
        var between = Set<Int>()
        if chosen.count >= 2, let parent = chosen.first.map({ parents[$0] }), parent >= 0,
            chosen.allSatisfy({ parents[$0] == parent }),
            case let underParent = under([parent]),
            let from = blocks.firstIndex(where: { inside($0.container, underParent) }),
            let to = blocks.lastIndex(where: { inside($0.container) })
        {
            for i in from...to where !inside(blocks[i].container) && inside(blocks[i].container, underParent) {
                between.insert(i)
            }
        }
        let titleText = article.title
        let titleLength = titleText?.count ?? 0
        let title = titleText.map(TitleFinder.normalize)
        /// Whether a block repeats the headline (compared only when the lengths are close).
        func isTitle(_ b: Block) -> Bool {
            guard let title, abs(b.charCount - titleLength) <= 12 else { return false }
            return TitleFinder.normalize(b.text) == title
        }
        let firstGood = blocks.firstIndex { $0.label == .good && inside($0.container) } ?? 0
        let lastGood = blocks.lastIndex { $0.label == .good && inside($0.container) } ?? blocks.count - 1
        // Lines of the very element that holds kept text (a post split by <br>) are that text's neighbours, not
        // stray labels around the article.
        var goodContainers = Set<Int>()
        for (i, b) in blocks.enumerated() where keep[i] { goodContainers.insert(b.container) }
        // After the article's last good block, a run of three or more plain lines in its element (tour dates, a
        // list of products, data lines) continues it: chrome there comes as links, captions or labelled fields.
        var listRun = Set<Int>()
        var run: [Int] = []
        func closeRun() {
            if run.count >= 3 { listRun.formUnion(run) }
            run.removeAll()
        }
        for i in blocks.indices where i > lastGood && inside(blocks[i].container) {
            let b = blocks[i]
            if b.label != .good, b.linkDensity < 0.2, b.wordCount >= 4, b.markupPrior > -2, b.kind != .caption,
                !BlockClassifier.looksLikeBoilerplateLine(b.text), !HTMLExtractor.looksLikeFields(b.text),
                !Byline.isByline(b.text), !Byline.isDateline(b.text)
            {
                run.append(i)
            } else {
                closeRun()
            }
        }
        closeRun()
        var chosenBlocks: [Int] = []
        for (i, b) in blocks.enumerated()
        where (inside(b.container) || leadIn.contains(i) || between.contains(i))
            && !teasers.contains(i)
        {
            if b.label == .good {
                if !isTitle(b) && !HTMLExtractor.isMediaLabel(b) { chosenBlocks.append(i) }
                continue
            }
            let sameElement = goodContainers.contains(b.container) && !HTMLExtractor.looksLikeFields(b.text)
            let neighbour = sameElement || listRun.contains(i)
            guard acceptable(b, before: i < firstGood && !neighbour, after: i > lastGood && !neighbour) else {
                continue
            }
            if isTitle(b) { continue }
            chosenBlocks.append(i)
        }
        /// Adds the blocks of `range` not taken yet that `takes` accepts, keeping page order.
        func takeAlso(_ range: Range<Int>, _ takes: (Int, Block) -> Bool) {
            var all = Set(chosenBlocks)
            for i in range where !all.contains(i) && takes(i, blocks[i]) { all.insert(i) }
            chosenBlocks = all.sorted()
        }
        // A digest's paragraphs link a word or two each ("We drove the Jetta Hybrid", "Suzuki shut down U.S.
        // sales"): once one sentence of an element is the article's, its other sentences are too, linked as
        // the middle of an article may be.
        var acceptedContainers = Set<Int>()
        for i in chosenBlocks where blocks[i].label != .good { acceptedContainers.insert(blocks[i].container) }
        if !acceptedContainers.isEmpty {
            takeAlso(blocks.indices) { i, b in
                acceptedContainers.contains(b.container) && inside(b.container) && !teasers.contains(i)
                    && b.label != .good && b.endsSentence && b.wordCount >= 8
                    && acceptable(b, before: false, after: false) && !isTitle(b)
            }
        }
        // What was taken before the first good block, and the last sentence taken after the last one, mark where
        // the article runs: the lines between them and the good blocks ("They did!", a schedule's dates) are its
        // middle, and read as the middle is. The end is a sentence, not a label: a "Related posts" heading taken
        // after the article would bring its box along.
        let sentenceEnd = chosenBlocks.last {
            blocks[$0].endsSentence && blocks[$0].wordCount >= 5 && blocks[$0].kind != .heading
        }
        if let first = chosenBlocks.first, let last = sentenceEnd, first < firstGood || last > lastGood {
            takeAlso(first..<(last + 1)) { i, b in
                (i < firstGood || i > lastGood) && inside(b.container) && !teasers.contains(i) && b.label != .good
                    && acceptable(b, before: false, after: false) && !isTitle(b)
            }
        }
        // A list goes whole: the short items of a list whose other items were kept ("Bugs fixed" beside "New
        // tasks for the game!") are part of it, unless they are links or chrome by their markup. An item that is a
        // whole sentence may be mostly its link (a week in review: "We released the <new calculator>.").
        var keptLists = Set<Int>()
        for i in chosenBlocks where blocks[i].kind == .listItem && blocks[i].container >= 0 {
            keptLists.insert(parents[blocks[i].container])
        }
        if !keptLists.isEmpty {
            takeAlso(blocks.indices) { _, b in
                b.kind == .listItem && b.container >= 0 && keptLists.contains(parents[b.container])
                    && inside(b.container)
                    && b.linkDensity < (b.endsSentence && b.wordCount >= 8 ? 0.9 : 0.5) && b.markupPrior > -2
                    && !BlockClassifier.looksLikeBoilerplateLine(b.text)
            }
        }
        // A photo essay tells its story in its captions: when the article's element holds three or more of them
        // with more words than its prose, they are read with it (one caption under a lead photo stays out).
        let captions = blocks.indices.filter {
            blocks[$0].isCaption && inside(blocks[$0].container) && blocks[$0].wordCount >= 4
                && blocks[$0].linkDensity < 0.5
        }
        if captions.count >= 3,
            captions.reduce(0, { $0 + blocks[$1].wordCount }) >= chosenBlocks.reduce(0, { $0 + blocks[$1].wordCount })
        {
            chosenBlocks = Set(chosenBlocks).union(captions).sorted()
        }
        var out: [String] = []
        for i in chosenBlocks where out.last != blocks[i].text { out.append(blocks[i].text) }
        return out.isEmpty ? article.paragraphs : out
    }

    /// A line of labelled fields ("05/10/2018 - Posted by: X - Category: Y", "Tags: a | b"): two or more field
    /// separators or labels, which prose rarely has in one short line.
    static func looksLikeFields(_ text: String) -> Bool {
        guard text.utf8.count <= 300 else { return false }
        var text = text
        return text.withUTF8 { b in
            var marks = 0
            for separator: StaticString in [" - ", " | ", " · ", " • ", ": "] {
                let w = separator.utf8Start
                let m = separator.utf8CodeUnitCount
                var i = 0
                while i + m <= b.count {
                    if b[i] == w[0] && memcmp(b.baseAddress! + i, w, m) == 0 {
                        marks += 1
                        i += m
                    } else {
                        i += 1
                    }
                }
            }
            return marks >= 2
        }
    }

    /// Whether a block that was not good on its own belongs to the article it sits in.
    static func acceptable(_ b: Block, before: Bool, after: Bool) -> Bool {
        if b.markupPrior <= -2 || b.kind == .caption { return false }
        if isMediaLabel(b) { return false }
        if BlockClassifier.looksLikeBoilerplateLine(b.text) { return false }
        let sentenceLike = b.endsSentence || b.sentencePunctuation >= 2
        if b.linkDensity > (sentenceLike && b.wordCount >= 8 ? 0.7 : 0.4) { return false }
        if Byline.isByline(b.text) || Byline.isDateline(b.text) || b.text.containsBytes(" » ")
            || b.text.containsBytes(" > ")
        {
            return false
        }
        // Outside the run of good blocks only real sentences and subheadings count, not stray labels; a paragraph
        // of two sentences or more may link its words as the article's own paragraphs do (a digest of the day's
        // news, each item opening with a linked headline, before the one block that read as good on its own).
        if before || after {
            return b.wordCount >= 5 && (sentenceLike || b.kind == .heading || b.kind == .listItem)
                && b.linkDensity < (b.wordCount >= 25 && sentenceLike ? 0.7 : 0.2)
        }
        return true
    }
}

extension HTMLExtractor {
    /// A player's or a slideshow's label between paragraphs ("Video", "Gallery"): no line of the story, even where
    /// its neighbours made it read as one.
    static func isMediaLabel(_ b: Block) -> Bool {
        b.wordCount <= 2 && b.charCount <= 16 && mediaLabels.contains(b.text.trimmed.lowercased())
    }

    /// Labels a page puts on embedded media, alone on a line.
    static let mediaLabels: Set<String> = [
        "video", "videos", "gallery", "photo gallery", "slideshow", "audio", "interactive", "watch video",
    ]
}

/// Walks the DOM once, cutting it into blocks and noting markup evidence.
struct BlockWalker {
    var bodyLength: Int
    var blocks: [Block] = []
    var parents: [Int] = []
    /// Each block element's class attribute ("" without one), by element id like `parents`.
    var classes: [String] = []
    var h1: String?
    private var buffer = ""
    private var linkChars = 0
    /// Bytes of text outside links walked so far, in document order (menus count for little).
    private var seen = 0
    private var currentKind: Block.Kind = .paragraph
    /// Whether the current element is a photo's caption, by its name or its class ("wp-caption-text").
    private var currentCaptioned = false
    private var currentPrior = 0.0
    private var currentContainer = -1
    private var inLink = 0
    /// Text length under each element measured, by the element's `order` (0 for text and unmeasured nodes).
    private var lengths: [Int] = []

    init(bodyLength: Int) { self.bodyLength = bodyLength }

    /// Whether a single chrome word in a class or id (evidence -1) lowers the prior of what the element holds.
    var mildWords = true

    static let negativeWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "footer", "sidebar", "comment", "comments", "share", "sharing", "social",
        "related", "breadcrumb", "breadcrumbs", "widget", "newsletter", "subscribe", "subscription", "cookie",
        "cookies",
        "consent", "banner", "promo", "advert", "advertisement", "ad", "ads", "sponsor", "sponsored", "popup", "modal",
        "masthead", "toolbar", "pagination", "pager", "tags", "tag", "byline", "author", "caption", "credit", "credits",
        "signup", "login", "outbrain", "taboola", "recommended", "recommendations", "trending", "popular", "prayer",
        "weather", "ticker", "disclaimer", "copyright", "follow", "print", "rss", "hidden", "skip", "toc", "jump",
        "more", "readmore", "next", "prev", "previous", "promoted", "teaser", "teasers", "embed", "video", "gallery",
        "meta", "dateline", "timestamp", "header", "topbar", "bottom", "aside", "card", "cards", "listing", "profile",
        "about", "bio",  // an author's or a site's box: "profile", "about-author", "bio"
        "recent",  // a blog's list of its other posts ("recent-posts", WordPress's widget)
        "nocontent",  // the class Google's search appliance reads as "not the page's content"
    ]
    /// Words of comment systems: a container they mark is never the article, whatever lies inside.
    static let commentWords: Set<String> = [
        "comment", "comments", "commentlist", "message", "messages", "reply", "replies", "discussion", "forum",
        "respond", "disqus", "bbwrapper", "userpost", "usercontent",
    ]
    static let positiveWords: Set<String> = [
        "article", "content", "entry", "post", "story", "body", "main", "text", "blog", "prose", "articlebody",
        "richtext",
    ]

    /// Text length under every element (a pre-pass, so evidence never removes most of the page).
    mutating func measure(_ node: HTMLNode, nodeCount: Int) -> Int {
        lengths = [Int](repeating: 0, count: nodeCount)
        return measure(node)
    }

    private mutating func measure(_ node: HTMLNode) -> Int {
        if node.isText { return node.text.utf8.count }
        if node.isInvisibleElement || node.name == "nav" { return 0 }
        var n = 0
        for c in node.children { n += measure(c) }
        lengths[node.order] = n
        return n
    }

    /// Class, id and role words of an element scored (a sum over the words of each value).
    /// Also the layout marks among them.
    private func evidence(_ attributes: HTMLAttributes, class cls: String?) -> (score: Double, marks: LayoutMarks) {
        guard !attributes.isEmpty else { return (0, []) }
        var marks: LayoutMarks = []
        // Movable Type keeps the rest of a post, after its "Continue reading" link, in `<div id="more"
        // class="asset-more">`: there "more" is the article's own continuation, not a read-more link.
        let extendedEntry = attributes["id"].map { $0.utf8.count == 4 && $0.lowercased() == "more" } ?? false
        func scored(_ value: String?) -> Double {
            guard var value, !value.isEmpty else { return 0 }
            let (score, found) = value.withUTF8 { BlockWalker.score(bytes: $0, skippingMore: extendedEntry) }
            marks.formUnion(found)
            return score
        }
        let score = scored(cls) + scored(attributes["id"]) + scored(attributes["role"])
        return (score, marks)
    }

    /// Chrome words that name a part of the page's layout rather than describe it.
    struct LayoutMarks: OptionSet {
        let rawValue: UInt8
        /// "sidebar": the column beside the article, however much of the page's text it holds.
        static let sidebar = LayoutMarks(rawValue: 1)
        /// "widget": a blog's sidebar or footer furniture (WordPress writes `widget widget_text` and `id="text-2"`
        /// on a text widget), whose type names are no article words.
        static let widget = LayoutMarks(rawValue: 2)
        /// "caption": a photo's caption ("wp-caption-text"), which a photo essay reads with its lead as it does a
        /// `<figcaption>`.
        static let caption = LayoutMarks(rawValue: 4)
    }

    /// Each chrome, article and comment-system word's weight, by the hash of its bytes.
    private static let wordWeights: HashMap64 = {
        var weights = HashMap64(capacity: 256)
        for w in positiveWords { weights.set(wordHash(Array(w.utf8)), 1) }
        for w in negativeWords { weights.set(wordHash(Array(w.utf8)), -1) }
        for w in commentWords { weights.set(wordHash(Array(w.utf8)), -100) }
        return weights
    }()

    private static func wordHash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 { FNV1a.hash(bytes) }

    /// Class, id and role words scored: -1 for each chrome word, +1 for each article word, -100 for a comment
    /// system's word. A camelCase name counts as a whole and by its parts ("blogPost" is blog and post, "sideBar"
    /// still sidebar, "footerNav" footer and nav). The taxonomy classes WordPress writes on a post's own element
    /// (`category-for-discussion`, `tag-video`, beside `hentry` or `type-post`) are the site's topics, not its
    /// layout, and do not count.
    static func score(_ text: String) -> Double {
        var text = text
        return text.withUTF8 { score(bytes: $0) }.score
    }

    /// The score, and the layout marks among the words.
    private static func score(
        bytes: UnsafeBufferPointer<UInt8>, skippingMore: Bool = false
    ) -> (
        score: Double, marks: LayoutMarks
    ) {
        var score = 0.0
        var marks: LayoutMarks = []
        var whole = FNV1a()
        var part = FNV1a()
        var length = 0
        var partLength = 0
        var parts = 0
        var previousLower = false
        // A word counts once in a value: WordPress writes "tag-nokia tag-e71 tag-update" on a post's own element.
        var counted: [UInt64] = []
        func count(_ h: UInt64) {
            if let w = wordWeights.get(h), !counted.contains(h), !(skippingMore && h == moreHash) {
                if h == sidebarHash { marks.insert(.sidebar) }
                if h == widgetHash { marks.insert(.widget) }
                if h == captionHash { marks.insert(.caption) }
                score += Double(w)
                counted.append(h)
            }
        }
        var lead: UInt64 = 0  // the word's first eight bytes, lower case
        var tail: UInt16 = 0  // its ninth and tenth
        var partHashes: [UInt64] = []  // a camelCase word's parts
        func flush() {
            if length > 0 {
                count(whole.value)
                if parts > 0 {
                    if partLength > 0 { partHashes.append(part.value) }
                    // Chrome words count wherever they stand; an article word only in a name made of known words
                    // ("blogContent"), not as the tail of another vocabulary ("aiPointText" of a chart's labels).
                    let allKnown = partHashes.allSatisfy { wordWeights.get($0) != nil }
                    for h in partHashes where allKnown || (wordWeights.get(h) ?? 0) < 0 { count(h) }
                    partHashes.removeAll(keepingCapacity: true)
                }
                if length > 8 && isCommentCompound(lead, tail) { count(BlockWalker.commentHash) }
            }
            lead = 0
            tail = 0
            whole = FNV1a()
            part = FNV1a()
            length = 0
            partLength = 0
            parts = 0
            previousLower = false
        }
        let taxonomy =
            bytes.count > 20 && postClassMarks.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: bytes) != nil }
        var i = 0
        let n = bytes.count
        while i < n {
            // One space-separated class name at a time.
            var end = i
            while end < n && bytes[end] != 32 && bytes[end] != 9 && bytes[end] != 10 { end += 1 }
            defer { i = end + 1 }
            if taxonomy
                && taxonomyPrefixes.contains(where: {
                    end - i > $0.count && Lexicon.matches(ignoringCase: $0, in: bytes, at: i)
                })
            {
                continue
            }
            // Bootstrap's responsive utilities ("hidden-xs", "hidden-print") hide an element on one screen size or
            // on paper only: on a screen it shows, and "hidden" there names no chrome.
            if end - i > responsivePrefix.count && end - i <= responsivePrefix.count + 5
                && Lexicon.matches(ignoringCase: responsivePrefix, in: bytes, at: i)
            {
                continue
            }
            for k in i..<end {
                let b = bytes[k]
                let c: UInt8
                let upper = b >= 65 && b <= 90
                if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b >= 0x80 {
                    c = b
                } else if upper {
                    c = b + 32
                } else {
                    flush()
                    continue
                }
                if upper && previousLower {
                    // A part ends where a capital follows a small letter.
                    if partLength > 0 { partHashes.append(part.value) }
                    part = FNV1a()
                    partLength = 0
                    parts += 1
                }
                previousLower = b >= 97 && b <= 122
                if length < 8 {
                    lead |= UInt64(c) << (8 * UInt64(length))
                } else if length < 10 {
                    tail |= UInt16(c) << (8 * UInt16(length - 8))
                }
                whole.add(c)
                part.add(c)
                length += 1
                partLength += 1
            }
            flush()
        }
        return (score, marks)
    }

    /// The marks of WordPress's `post_class()`, which also lists the post's categories and tags.
    private static let postClassMarks = ["hentry", "type-post", "status-publish"].map { Array($0.utf8) }

    /// The prefix of Bootstrap's responsive hiding classes ("hidden-xs" … "hidden-print").
    private static let responsivePrefix = Array("hidden-".utf8)

    /// The class names of a post's categories and tags, as `post_class()` writes them (a slug follows).
    private static let taxonomyPrefixes = ["category-", "tag-"].map { Array($0.utf8) }

    private static func isHeading(_ name: String) -> Bool {
        name.utf8.count == 2 && name.utf8.first == UInt8(ascii: "h") && (name.utf8.last ?? 0) >= UInt8(ascii: "1")
            && (name.utf8.last ?? 0) <= UInt8(ascii: "6")
    }

    /// Whether a line opens with a count ("92 Responses", "One thought", "No comments"): the counted form of a
    /// comment heading does, and few other short lines.
    static func opensWithCount(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return true }
        let lead = text.prefix(4).lowercased()
        return lead == "one " || lead.hasPrefix("no ")
    }

    /// Whether a heading's text is the title of a comment section: "Comments", "12 Comments", "Leave a Reply",
    /// "3 Responses to “…”", "11 thoughts on “…”", "Kommentare (4)", "Commentaires".
    /// `countedOnly`: only the counted form ("3 Responses to “…”"), which says "comments" in any element (a
    /// `<div>` styled as the heading); the other forms only in a heading element.
    static func isCommentHeading(_ text: String, countedOnly: Bool = false) -> Bool {
        // Most headings name none of the marks: one pass over the bytes for each before any words are made.
        var bytes = text
        guard bytes.withUTF8({ b in commentStems.contains { Lexicon.firstIndex(ofIgnoringCase: $0, in: b) != nil } })
        else { return false }
        let words = Lexicon.words(text.lowercased()).map(String.init)
        guard !words.isEmpty, words.count <= 12 else { return false }
        let counted = words.drop { $0.allSatisfy(\.isNumber) || $0 == "one" || $0 == "no" }
        guard let first = counted.first else { return false }
        // "N responses to …", "N thoughts on …": whatever title follows, after a count.
        if counted.count < words.count,
            ["responses", "response", "thoughts", "comments", "comment", "replies", "reply"].contains(first),
            counted.count >= 2, ["to", "on", "for"].contains(counted[counted.startIndex + 1])
        {
            return true
        }
        guard words.count <= 5, !countedOnly else { return false }
        // One word alone is a section of the article unless it is a plural that only a discussion is titled by:
        // "Comment" and "Discussion" head parts of articles too.
        if words.count == 1 {
            return [
                "comments", "responses", "replies", "kommentare", "commentaires", "comentarios", "comentários",
                "commenti", "reacties",
            ].contains(words[0])
        }
        return counted.allSatisfy { commentSectionWords.contains($0) || $0.allSatisfy(\.isNumber) }
            && counted.contains { commentMarks.contains($0) }
    }

    /// Whether a heading's text titles the writer's box under an article: "About the author", "About the
    /// writers", "Author bio", "Über den Autor", "À propos de l'auteur", "Sobre el autor", "Over de auteur".
    static func isAuthorBoxHeading(_ text: String) -> Bool {
        let words = Lexicon.words(text.lowercased()).map(String.init)
        guard (2...5).contains(words.count), words.contains(where: { authorWords.contains($0) }) else { return false }
        return words.allSatisfy { authorBoxWords.contains($0) || authorWords.contains($0) }
    }

    /// A writer, in the languages the box's heading is written in.
    private static let authorWords: Set<String> = [
        "author", "authors", "writer", "writers", "contributor", "autor", "autoren", "autorin", "auteur", "auteurs",
        "autora", "autore", "bio",
    ]
    /// The other words such a heading is made of.
    private static let authorBoxWords: Set<String> = [
        "about", "the", "this", "über", "den", "die", "à", "propos", "de", "l", "sobre", "el", "la", "o", "a",
        "sull", "over", "biography",
    ]

    /// The words a comment section's heading is made of ("Leave a Reply", "Comments so far", "Recent reactions").
    private static let commentSectionWords: Set<String> = [
        "comments", "comment", "responses", "response", "replies", "reply", "leave", "post", "add", "a", "your",
        "reader", "readers", "so", "far", "recent", "latest", "discussion", "kommentare", "kommentar",
        "commentaires", "commentaire", "comentarios", "comentários", "commenti", "reacties", "reactions", "trackbacks",
    ]
    /// Of those, the ones such a heading must hold (a heading of "Recent posts" names no discussion).
    private static let commentMarks: Set<String> = [
        "comments", "comment", "responses", "response", "replies", "reply", "discussion", "kommentare",
        "commentaires", "comentarios", "comentários", "commenti", "reacties", "reactions",
    ]

    /// Bytes of text (outside links) before a large comment system's container for it to count as the discussion
    /// under an article.
    static let textBeforeDiscussion = 1000

    /// What every word that marks a comment section's heading holds.
    private static let commentStems = [
        "comment", "respons", "repl", "thought", "kommentar", "comentário", "comentario", "reacties", "reaction",
        "discussion",
    ].map { Array($0.utf8) }

    /// The hash of "comment", a comment system's word.
    private static let commentHash = wordHash(Array("comment".utf8))
    private static let sidebarHash = wordHash(Array("sidebar".utf8))
    private static let widgetHash = wordHash(Array("widget".utf8))
    private static let captionHash = wordHash(Array("caption".utf8))
    private static let moreHash = wordHash(Array("more".utf8))

    /// Whether a word of nine letters or more is "comment" run together with another ("commentbody",
    /// "commenttext", "commentaires"), but not "commentary" or "commentator", which name opinion pieces and writers,
    /// nor "commenting" ("commenting-guidelines": the site's rules for comments, shown inside the article).
    private static func isCommentCompound(_ lead: UInt64, _ tail: UInt16) -> Bool {
        let comment: UInt64 = 0x74_6E_65_6D_6D_6F_63  // "comment", little-endian
        guard lead & 0x00FF_FFFF_FFFF_FFFF == comment else { return false }
        let eighth = UInt8(truncatingIfNeeded: lead >> 56)
        let ninthAndTenth: (UInt8, UInt8) = (UInt8(truncatingIfNeeded: tail), UInt8(truncatingIfNeeded: tail >> 8))
        if eighth == UInt8(ascii: "a") && ninthAndTenth == (UInt8(ascii: "r"), UInt8(ascii: "y")) { return false }
        if eighth == UInt8(ascii: "a") && ninthAndTenth == (UInt8(ascii: "t"), UInt8(ascii: "o")) { return false }
        if eighth == UInt8(ascii: "i") && ninthAndTenth == (UInt8(ascii: "n"), UInt8(ascii: "g")) { return false }
        return true
    }

    mutating func walk(_ node: HTMLNode, prior: Double, parent: Int) {
        if node.isText {
            let t = node.text
            buffer += t
            if inLink == 0 { seen += t.utf8.count }
            if inLink > 0 { linkChars += t.characterCount }
            return
        }
        let name = node.name
        if node.isInvisibleElement || name == "nav" { return }  // nothing a reader sees, and navigation
        let attributes = node.attributes
        var cls: String?
        if !attributes.isEmpty {
            if attributes["hidden"] != nil || attributes["aria-hidden"] == "true" { return }
            if let style = attributes["style"], BlockWalker.hidesElement(style: style) { return }
            cls = attributes["class"]
            if let cls, BlockWalker.hidesElement(class: cls) { return }
            // The card itself, not the wrapper that holds it beside the linked name that shows it.
            if name != "a", let cls, BlockWalker.isPopup(cls), !BlockWalker.holdsPopup(node) { return }
        }
        // A table row is one block: its cells are separated by a space, not cut apart.
        let isCell = name == "td" || name == "th"
        let isBlock = node.isBlockElement && !isCell
        if isCell { buffer += " " }
        var p = prior
        var id = parent
        if isBlock {
            flush()
            id = parents.count
            parents.append(parent)
            classes.append(cls ?? "")
            let size = node.order < lengths.count ? lengths[node.order] : 0
            let (e, marks) = evidence(attributes, class: cls)
            // Evidence never removes most of the page (a wrongly named wrapper holds the article), except a sidebar:
            // beside a short post, the sidebar holds most of the text, and its blurbs were taken for the article.
            let small = bodyLength == 0 || Double(size) < 0.4 * Double(bodyLength) || marks.contains(.sidebar)
            // A comment system's container is locked. A large one only after text of some length (a long
            // discussion under its article); one that opens the page is a forum's own post ("post_message").
            let mostOfPage = bodyLength > 0 && Double(size) >= 0.85 * Double(bodyLength)
            let afterArticle = seen >= BlockWalker.textBeforeDiscussion && !mostOfPage
            if e <= -50 && (small || afterArticle) && !["body", "main", "article"].contains(name) {
                p = -6
            } else if e < 0 && small && !["body", "main", "article"].contains(name) && (mildWords || e <= -2) {
                p = min(p, -2 * -e)
            }
            // Article words rescue a mildly negative wrapper (one chrome word: "border_bottom"), not one named by
            // two ("box module nocontent" of recent posts, whose entries say "entry"), not comments (a "content"
            // div inside a comment), and not a widget ("widget widget_text", `id="text-2"`: the widget's type).
            if e > 0 && p >= -2 && !marks.contains(.widget) { p = max(p, 0) + 0.5 }
            // The page's own footer and asides (outside any <article>) are chrome however much text they hold: beside a
            // two-line post, a publisher's "about us" in the footer is most of the page.
            if ["footer", "aside", "form"].contains(name)
                && (small || (name != "form" && !hasAncestor(node, "article")))
            {
                p = min(p, -2)
            }
            if name == "header" && small && !hasAncestor(node, "article") { p = min(p, -2) }
            if name == "figcaption" || name == "figure" { p = min(p, -2) }
            currentPrior = p
            currentContainer = id
            switch name {
            case "h1", "h2", "h3", "h4", "h5", "h6": currentKind = .heading
            case "li", "dd", "dt": currentKind = .listItem
            case "blockquote": currentKind = .quote
            case "pre": currentKind = .preformatted
            case "figcaption": currentKind = .caption
            default: currentKind = .paragraph
            }
            currentCaptioned = name == "figcaption" || marks.contains(.caption)
        }
        if name == "a" { inLink += 1 }
        if name == "br" { flush() }
        var childPrior = p
        for c in node.children {
            let blocksBefore = blocks.count
            walk(c, prior: childPrior, parent: id)
            // Under a heading that says "Comments" ("12 Responses to …", "Leave a Reply"), what follows in the same
            // element is the discussion, even where no class says so. "12 Responses to …" says so in any block
            // element: read from the one block it made, when that opens with a count.
            if childPrior > -6, c.order < lengths.count, lengths[c.order] <= 80,
                BlockWalker.isHeading(c.name)
                    ? BlockWalker.isCommentHeading(c.textContent)
                    : c.isBlockElement && blocks.count == blocksBefore + 1
                        && BlockWalker.opensWithCount(blocks[blocksBefore].text)
                        && BlockWalker.isCommentHeading(blocks[blocksBefore].text, countedOnly: true)
            {
                childPrior = -6
            } else if childPrior > -4, BlockWalker.isHeading(c.name), c.order < lengths.count, lengths[c.order] <= 40,
                BlockWalker.isAuthorBoxHeading(c.textContent)
            {
                // Under "About the author", the writer's box: chrome, like a byline, and as two chrome words would
                // mark it, so that an article word in the bio's class ("text") does not rescue it.
                childPrior = -4
            }
        }
        if name == "a" { inLink -= 1 }
        if isBlock {
            let kind = currentKind
            flush(kindOverride: kind, name: name)
            currentPrior = prior
            currentContainer = parent
            currentKind = .paragraph
            currentCaptioned = false
        }
    }

    /// Whether an inline style hides the element (`display: none`, `visibility: hidden`, any case or spacing).
    static func hidesElement(style: String) -> Bool {
        let squeezed = String(
            decoding: style.utf8.lazy.filter { $0 != 32 }.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 },
            as: UTF8.self)
        return squeezed.containsBytes("display:none") || squeezed.containsBytes("visibility:hidden")
    }

    /// Whether a class is one of the utility classes style sheets define to hide an element outright (`hidden`,
    /// `hide`, Bootstrap's `d-none`, `is-hidden`), as a whole class name: "hidden-print" and "hidden-xs" hide it
    /// only on paper or on a phone. A page keeps a second copy of its article under such a class (WSJ's
    /// "article story … hidden" beside the shown one), which was read twice.
    /// Bootstrap's `d-none` beside a display class for larger screens ("d-none d-lg-block") shows there: not hidden.
    static func hidesElement(class cls: String) -> Bool {
        var cls = cls
        return cls.withUTF8 { b in
            var hides = false
            var i = 0
            while i < b.count {
                var end = i
                while end < b.count && b[end] != 32 && b[end] != 9 && b[end] != 10 { end += 1 }
                let n = end - i
                if !hides, n >= 4, n <= 9,
                    hidingClasses.contains(where: { $0.count == n && Lexicon.matches(ignoringCase: $0, in: b, at: i) })
                {
                    hides = true
                }
                // "d-sm-block", "d-lg-flex", "d-md-inline": shown from that size on ("d-print-…" is paper only).
                if n > 5, b[i] | 0x20 == UInt8(ascii: "d"), b[i + 1] == UInt8(ascii: "-"),
                    screenSizes.contains(where: { Lexicon.matches(ignoringCase: $0, in: b, at: i + 2) }),
                    !Lexicon.matches(ignoringCase: none, in: b, at: end - 4)
                {
                    return false
                }
                i = end + 1
            }
            return hides
        }
    }

    private static let screenSizes = ["sm-", "md-", "lg-", "xl-", "xxl-"].map { Array($0.utf8) }
    private static let none = Array("none".utf8)

    private static let hidingClasses = ["hidden", "hide", "d-none", "is-hidden"].map { Array($0.utf8) }

    /// Whether a class names a card that shows only on hover (a tooltip, a person's card over a linked name):
    /// style sheets hide it, and its text is not the sentence it sits in.
    static func isPopup(_ cls: String) -> Bool {
        var cls = cls
        return cls.withUTF8 { b in
            guard b.count >= 7 else { return false }
            for i in 0...(b.count - 7) {
                // ASCII case folded by hand: a class is matched on its bytes, like the other class words.
                switch b[i] | 0x20 {
                case UInt8(ascii: "t"): if Lexicon.matches(ignoringCase: tooltip, in: b, at: i) { return true }
                case UInt8(ascii: "p"): if Lexicon.matches(ignoringCase: popover, in: b, at: i) { return true }
                case UInt8(ascii: "h"): if Lexicon.matches(ignoringCase: hovercard, in: b, at: i) { return true }
                case UInt8(ascii: "r"): if Lexicon.matches(ignoringCase: rollover, in: b, at: i) { return true }
                default: continue
                }
            }
            return false
        }
    }

    /// The words of hover cards' classes (see `isPopup`).
    private static let tooltip = Array("tooltip".utf8), popover = Array("popover".utf8)
    private static let hovercard = Array("hovercard".utf8), rollover = Array("rollover".utf8)

    /// Whether an element below `node` (not a link: links are triggers) is a hover card too: then `node` wraps
    /// the trigger and its card, and only the card is skipped.
    static func holdsPopup(_ node: HTMLNode) -> Bool {
        node.children.contains {
            !$0.isText && (($0.name != "a" && $0.attributes["class"].map(isPopup) ?? false) || holdsPopup($0))
        }
    }

    private func hasAncestor(_ node: HTMLNode, _ name: String) -> Bool {
        var n = node.parent
        while let x = n {
            if x.name == name { return true }
            n = x.parent
        }
        return false
    }

    mutating func flush(kindOverride: Block.Kind? = nil, name: String = "") {
        let text = HTMLText.collapseSpaces(buffer)
        if !text.isEmpty {
            var b = Block(text: text, kind: kindOverride ?? currentKind)
            b.linkDensity = min(1, Double(linkChars) / Double(max(1, text.characterCount)))
            b.markupPrior = currentPrior
            b.isBullet = b.kind == .listItem
            b.container = currentContainer
            b.isCaption = currentCaptioned
            if b.kind == .caption { b.markupPrior = min(b.markupPrior, -2) }
            b.isH1 = name == "h1"
            if name == "h1", h1 == nil { h1 = text }
            blocks.append(b)
        }
        buffer.removeAll(keepingCapacity: true)
        linkChars = 0
    }
}
