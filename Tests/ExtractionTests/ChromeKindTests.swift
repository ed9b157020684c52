import Foundation
import XCTest

@testable import Extraction
@testable import Markup

final class ChromeKindTests: XCTestCase {
    func extract(_ name: String) throws -> Article {
        Extractor.extract(try FileReader.read(fixtureURL("pages/\(name)").path), contentType: "text/html")
    }

    /// Asserts that every one of `lines` is in the article's text and none of `chrome` is.
    func assertKeeps(
        _ a: Article, _ lines: [String], drops chrome: [String] = [], file: StaticString = #filePath, line: UInt = #line
    ) {
        for l in lines { XCTAssertTrue(a.text.contains(l), l, file: file, line: line) }
        for c in chrome { XCTAssertFalse(a.text.contains(c), c, file: file, line: line) }
    }

    /// A post of short lines and lists around two long paragraphs: the element holding them all is the article,
    /// not the longest paragraph alone; the menus and share buttons around it stay out.
    func testShortLinesAroundLongParagraphsAreKept() throws {
        let a = try extract("a860fb-short-lines.html.gz")
        assertKeeps(
            a,
            [
                "You recently started dating", "Or even for great sex for one night.", "This game will help you!",
                "Dozens of tricky questions that will help to know each other better",
            ], drops: ["Join Private Club", "Odnoklassniki", "Shopping cart"])
    }

    /// The page's own footer (`<footer>` outside any `<article>`) is chrome whatever its size: beside a two-line
    /// post, a publisher's "about us" there holds most of the page's text, and it was kept instead of the post.
    func testThePagesFooterIsNotTheArticleBesideAShortPost() throws {
        let a = try extract("publisher-footer.html")
        assertKeeps(
            a, ["has cut and stitched saddle leather for forty years", "Watch the short film below."],
            drops: ["is an independent publisher", "Founded by two former tailors"])
    }

    /// A photo essay tells its story in its captions: five captions under a one-paragraph lead are read with it.
    /// A story told in prose keeps its photos' captions out, as before.
    func testAPhotoEssaysCaptionsAreItsText() throws {
        let a = try extract("photo-essay.html")
        assertKeeps(
            a,
            [
                "lets the river carry the light instead", "helps her grandson light his first lantern",
                "Two sisters watch their lanterns float away",
            ], drops: ["Leave a comment", "All rights reserved"])

        var page = String(decoding: try FileReader.read(fixtureURL("pages/photo-essay.html").path), as: UTF8.self)
        let prose = String(
            repeating: "<p>The festival began as a harvest rite, and the city council has kept its rules unchanged for "
                + "a century: no motors on the river that night, no music after ten, and every lantern made of paper.</p>",
            count: 4)
        page = page.replacingOccurrences(of: "<div id=\"attachment_91\"", with: prose + "<div id=\"attachment_91\"")
        let story = Extractor.extract(Data(page.utf8), contentType: "text/html")
        assertKeeps(
            story, ["lets the river carry the light instead", "no motors on the river that night"],
            drops: ["helps her grandson light his first lantern", "Two sisters watch their lanterns float away"])
    }

    /// The author's box above a post ("profile", a "bio" paragraph and its extended text, in the post's own column)
    /// is the site's, not the article's: it was kept as the article's first lines.
    func testTheAuthorsProfileIsNotTheArticle() throws {
        let a = try extract("author-profile.html")
        assertKeeps(
            a, ["some five hundred men were cut off", "the silence between the barrages", "the price of coal"],
            drops: ["is a senior editor at the Northbridge Review", "Born in 1978 to two schoolteachers"])
    }

    /// Beside a post of two short lines, the sidebar holds most of the page's text: it was spared as "most of the
    /// page" (the rule that keeps a wrongly named wrapper of the article), and its long blurb became the article.
    func testASidebarHoldingMostOfThePageIsStillChrome() throws {
        let a = try extract("short-post-long-sidebar.html")
        assertKeeps(a, ["The crust is resting in the fridge", "Recipe and pictures tomorrow morning"])
        XCTAssertFalse(a.text.contains("spent twelve years in restaurant kitchens"))
    }

    /// A WordPress text widget in the sidebar (`class="widget widget_text" id="text-2"`): "text" is the widget's
    /// type, not an article word, and no longer lifted the widget's blurb out of the sidebar over a one-line post.
    func testATextWidgetIsNotTheArticle() throws {
        let a = try extract("text-widget.html")
        XCTAssertTrue(a.text.contains("Max Jacob Newport"))
        XCTAssertFalse(a.text.contains("I am a computer scientist"))
    }

    /// A page keeps a second copy of its article's opening under a class that hides it ("… hidden"): read as well,
    /// it doubled the first paragraph. What Bootstrap hides on paper or on small screens only ("hidden-print",
    /// "d-none d-lg-block") shows on a screen and is read.
    func testAnElementOfAHidingClassIsNotRead() throws {
        let a = try extract("hidden-copy.html")
        let opening = "Distressed investors bought and sold two billion dollars"
        XCTAssertEqual(a.text.components(separatedBy: opening).count - 1, 1, "the opening once")
        assertKeeps(
            a, ["four hundred trades", "Traders said the pace would pick up again", "the fees the operator charges"],
            drops: ["Subscribe to read the rest"])
    }

    /// A blog's box of its other posts ("box module nocontent", id "recent-posts") holds entries with summaries;
    /// "entry" lifted each summary out of the box to the prior of article text (an NYT blog page kept five of
    /// them). Article words rescue a wrapper named by one chrome word, not one named by two.
    func testARecentPostsBoxIsNotTheArticle() throws {
        let a = try extract("recent-posts-box.html")
        XCTAssertTrue(a.text.contains("One way around it is to give an answer"))
        let doc = HTMLDocument(
            data: try FileReader.read(fixtureURL("pages/recent-posts-box.html").path), reading: .text)
        var walker = BlockWalker(bodyLength: 0)
        walker.bodyLength = walker.measure(doc.body, nodeCount: doc.nodeCount)
        walker.walk(doc.body, prior: 0, parent: -1)
        walker.flush()
        for summary in ["Video sites have their own safety modes", "a nifty browser add-on"] {
            let block = try XCTUnwrap(walker.blocks.first { $0.text.contains(summary) }, summary)
            XCTAssertLessThan(block.markupPrior, 0, summary)
        }
        let post = try XCTUnwrap(walker.blocks.first { $0.text.contains("One way around it") })
        XCTAssertGreaterThan(post.markupPrior, 0)
    }

    /// Movable Type keeps the rest of a post, after "Continue reading", in `<div id="more" class="asset-more">`:
    /// "more" there is the article's continuation, not a read-more link, and the continuation was dropped.
    func testMovableTypesExtendedEntryIsTheArticle() throws {
        let a = try extract("extended-entry.html")
        assertKeeps(
            a,
            [
                "That is the same title I used three months ago", "Business investment in equipment fell",
                "The one bright spot was housing",
            ])
    }

    /// The whole article sits under a wrapper whose class carries one chrome word ("acbox border_bottom"): the
    /// page came out empty. Read again without such mild words, the article is found; the comment box, tags,
    /// menus and footer stay out as before.
    func testAnArticleUnderAMildlyNamedWrapperIsNotLost() throws {
        let a = try extract("mild-wrapper.html")
        assertKeeps(
            a,
            [
                "The harbour bridge reopened to traffic on Tuesday morning",
                "Engineers replaced more than four hundred corroded plates",
                "Traders on both sides of the water", "a second, shorter closure will be needed in the spring",
            ], drops: ["All comments will be published", "TOP STORIES", "Council approves", "All rights reserved"])
    }

    /// The same article under the mildly named wrapper, but with a long headline (a section and a time in it)
    /// that reads as prose: the first reading found that heading alone, so the page was not read again and the
    /// article was lost. A reading that finds headings only is read again like one that finds nothing.
    func testAHeadlineAloneIsReadAgain() throws {
        let a = try extract("mild-wrapper-long-headline.html")
        assertKeeps(
            a,
            [
                "The harbour bridge reopened to traffic on Tuesday morning",
                "a second, shorter closure will be needed in the spring",
            ], drops: ["All comments will be published", "TOP STORIES", "Council approves", "All rights reserved"])
    }

    /// A WordPress post's own element lists its tags in its class ("tag-e71 tag-software tag-update …"): each
    /// counted as the chrome word "tag", they locked the whole post out and the page came out empty. A word
    /// counts once in a value.
    func testATagListInThePostsClassDoesNotLockItOut() throws {
        let a = try extract("tagged-post.html")
        assertKeeps(
            a,
            [
                "A new software update is rolling out", "Owners in Turkey will be glad",
                "A fix for emergency calls made while the keypad was locked",
            ], drops: ["Mine updated without a problem", "Recent posts", "Blogroll", "powered by WordPress"])
        XCTAssertEqual(BlockWalker.score("tag-e71 tag-software tag-update"), BlockWalker.score("tag-e71"))
    }

    /// A short post (a link, a picture, four short lines) has no block that reads as prose on its own; the
    /// sidebar's "about" paragraph does, and came out as the article. The post's strongly marked element
    /// (post, post-body, post-content, entry-content) wins when what reads as prose is a few words.
    func testAShortPostBeatsTheSidebarBlurb() throws {
        let a = try extract("short-post.html")
        assertKeeps(
            a, ["A class folded three hundred paper boats", "the smallest sank at the very first bridge."],
            drops: ["I collect odd little things", "Posted by Ada Lind", "Theme by Someone", "July 2012"])
    }

    /// A post of one line (a link, a picture, "Three hundred paper boats, one canal.") beside a sidebar blurb of
    /// 25 words: too few words to outweigh the blurb, so the blurb came out as the article. Markup that names the
    /// post element much more strongly than the blurb's (by 1.5 or more) wins from five words on.
    func testAOneLinePostBeatsTheSidebarBlurb() throws {
        let a = try extract("one-line-post.html")
        XCTAssertEqual(a.paragraphs, ["Three hundred paper boats, one canal. @OddThings"])
    }

    /// A picture post: a linked headline, a picture and one line of text in an element named only as a post, beside
    /// a sidebar of link lists. Nothing on the page reads as prose, and the page came out empty. When no block
    /// reads as good, the readable lines of the element the page marks as the post are the article.
    func testAPicturePostsOneLineIsTheArticle() throws {
        let a = try extract("picture-post.html")
        XCTAssertEqual(a.paragraphs, ["I grew up with these toys and I still love them… Drawn again by Mara Voss"])
    }

    /// A picture post whose only text is its headline, a date above it and a byline below (the picture, share
    /// links and comments around it): nothing was left once the headline went to the title, and the body came out
    /// empty. Its body is now the lines the page shows for it, marked as no text of its own.
    func testAHeadlineOnlyPostIsItsHeadlineDateAndByline() throws {
        let a = try extract("headline-only-post.html")
        XCTAssertEqual(a.paragraphs, ["Tuesday, 6 November 2012", "Night ferries in the fog", "by Ines Alder"])
        XCTAssertTrue(a.frameOnly)
        XCTAssertEqual(a.title, "Night ferries in the fog")
        XCTAssertFalse(try extract("picture-post.html").frameOnly)
    }

    /// A picture post whose declared title is an SEO title ("Holiday Table Ideas | Atlanta - …"), its headline and
    /// dek in the page's header after the site's logo (also an `<h1>`): no heading was the title, and the body came
    /// out empty. The headline with its dek is the frame.
    func testAHeadlineWithItsDekFramesAPostWithAnSEOTitle() throws {
        let a = try extract("seo-title-picture-post.html")
        XCTAssertEqual(
            a.paragraphs, ["Eat, Drink, and Keep the Kids Occupied", "Fourteen ways to set a festive family table"])
        XCTAssertTrue(a.frameOnly)
    }

    /// A two-paragraph post in an element the page names as its post ("entry-type-post entry"), beside an events
    /// box whose three unmarked blurbs are longer: the box scored highest and came out as the article. A page that
    /// names its post is read from that post.
    func testANamedPostBeatsALongerUnmarkedEventsBox() throws {
        try check(
            "short-post-beside-events.html",
            keeps: ["I spoke with Ines Alder", "why the last boat always leaves four minutes late"],
            drops: ["pilot station opens its doors", "tie a proper bowline", "winter timetable", "Coming up"])
    }

    /// A weekly digest post (day lines and short linked items, none reading as prose on its own) beside the same
    /// events box: the box was all that read as good and came out as the article. When all the good text is
    /// unmarked, a post the page names as one and holding a quarter of its words is the article.
    func testANamedDigestPostBeatsAnUnmarkedEventsBox() throws {
        try check(
            "digest-post-beside-events.html",
            keeps: [
                "Here is a quick look at what happened around the harbour last week:",
                "lifted its first containers, two days ahead of plan.",
                "The fish market moved its early auction to six o'clock for the winter.",
            ],
            drops: ["pilot station opens its doors", "tie a proper bowline", "winter timetable", "November 2012"])
    }

    /// A tutorial's two summary lines, then "3 Responses to "Paper Lanterns"" in a `<div>` styled as a heading and
    /// the comments in the next `<div>`, no class naming them: the comments read as the best prose and came out
    /// as the article. The counted form of a comment heading says "discussion" in any block, not only in h1–h6.
    func testCommentsUnderACountedHeadingInADivAreNotTheArticle() throws {
        try check(
            "counted-comments-div.html",
            keeps: ["• Fold a lantern from one sheet of washi paper", "• Light it safely with a battery candle"],
            drops: ["Could someone please answer this", "my daughter and I made six", "Simply amazing"])
        XCTAssertTrue(BlockWalker.isCommentHeading(#"92 Responses to "Depth Compositing""#, countedOnly: true))
        XCTAssertTrue(BlockWalker.isCommentHeading("11 thoughts on “A walk”", countedOnly: true))
        XCTAssertFalse(BlockWalker.isCommentHeading("Comments", countedOnly: true))
        XCTAssertFalse(BlockWalker.isCommentHeading("Leave a Reply", countedOnly: true))
        XCTAssertFalse(BlockWalker.isCommentHeading("Responses to the survey", countedOnly: true))
    }

    /// A post of one sentence announcing a new issue, a link for four of its words: nothing reads as prose, and
    /// the fallback that takes a full sentence when nothing else does wanted fewer links than a third, so the
    /// page came out empty. It wants what the other readable-line rules want: fewer than half.
    func testAOneSentenceAnnouncementWithALinkIsTheArticle() throws {
        let a = try extract("announcement-post.html")
        XCTAssertEqual(
            a.paragraphs, ["We have just published issue twelve of the magazine (and a new shop for back issues)."])
    }

    /// A short post (a sentence and two linked items) above its writer's box, which no class names: the box's bio
    /// read as better prose and came out as the article. What follows a heading "About the author" in the same
    /// element is the writer's box, chrome like a byline.
    func testTheWritersBoxUnderAnAboutTheAuthorHeadingIsNotTheArticle() throws {
        let a = try extract("author-box.html")
        assertKeeps(
            a, ["the first Girl Scout troop met in Savannah", "Fewer pesticides, more lime trees."],
            drops: ["soil scientist", "About the author"])
        for heading in [
            "About the author", "About the Authors", "Author bio", "Über den Autor", "À propos de l'auteur",
        ] {
            XCTAssertTrue(BlockWalker.isAuthorBoxHeading(heading), heading)
        }
        for heading in ["About", "The author's next book", "Authors we love this spring", "About the company"] {
            XCTAssertFalse(BlockWalker.isAuthorBoxHeading(heading), heading)
        }
    }

    /// A post in a table cell, its comments after it, then the cell's sidebar lines and a newsletter box whose blurb
    /// reads as prose: the box became a second section of the article, and everything between (the comments
    /// aside) came with it. The article ends where its discussion begins: nothing after the comments is a section
    /// of it.
    func testNothingAfterThePostsCommentsIsASectionOfIt() throws {
        let a = try extract("post-comments-newsletter.html")
        assertKeeps(
            a, ["nearly every staffed lighthouse", "Remember the strike of 1962."],
            drops: ["Powered by Movable Type", "Blog Menu", "monthly e-mail digest", "Skerry Point"])
    }

    /// A WordPress post (`hentry`, `entry`) of two paragraphs beside a column of blurbs that read as prose
    /// (newsletter, about me) and hold more words than the post: the post held under 55 % of the good text, so the
    /// whole page wrapper was taken, blurbs and headings with it. Good text the page marks as no article (one mild
    /// word at most) does not count against an element it marks as the article.
    func testBlurbsOutsideAMarkedPostDoNotOutweighIt() throws {
        let a = try extract("post-beside-blurbs.html")
        assertKeeps(
            a, ["starting a reading group in Lyon", "a week before anyone else."],
            drops: ["Join my private newsletter", "About me", "a former teacher", "Get the newsletter"])
    }

    /// WordPress's default themes close every post with a canned line ("This entry was posted on … and is filed
    /// under …. You can follow any responses to this entry through the RSS 2.0 feed."), which read as a sentence of
    /// the article. It is the theme's, as a copyright line is the site's.
    func testAThemesFilingLineIsNotTheArticle() throws {
        let a = try extract("theme-filing-line.html")
        assertKeeps(a, ["A small plotter arm", "without smudging the card."], drops: ["This entry was posted"])
        XCTAssertTrue(
            BlockClassifier.looksLikeBoilerplateLine(
                "This entry was posted in Uncategorized. Bookmark the permalink."))
        XCTAssertFalse(
            BlockClassifier.looksLikeBoilerplateLine(
                "This entry was posted by a reader who asked us to follow up on the story."))
    }

    /// Lines asking the reader to follow the site ("Follow @desk for breaking news", "Sign up for free email
    /// updates", "If you enjoyed this post, please consider … subscribing to the RSS feed", WordPress.com's "Like
    /// this:") read as sentences of the article on 23 dev pages. They are the site's, not the story's.
    func testCallsToFollowTheSiteAreNotTheArticle() throws {
        for line in [
            "Follow @nytimesworld for international breaking news and headlines.",
            "Sign up for free email updates and be entered to win our monthly giveaway!",
            "If you enjoyed this post, please consider leaving a comment or subscribing to the RSS feed.",
            "Like this:", "Subscribe to our newsletter for the week's best recipes.",
            "Don't miss a post! Subscribe to our newsletter and get weekly updates.",
            "Follow me on Twitter. Subscribe to new posts via RSS or email.",
        ] {
            XCTAssertTrue(BlockClassifier.looksLikeBoilerplateLine(line), line)
        }
        for line in [
            "Follow the money, the investigators said, and the rest will come.",
            "Sign up for the marathon closed within an hour of opening.",
            "If you enjoyed this winter's snow, the forecast for next week will please you.",
            "Subscribe to the theory that nothing changes and you will be wrong.",
            "He would not say. Follow the money, the investigators told us, and subscribe to nothing else.",
            "Readers who follow us on the road subscribe to our view of travel.",
        ] {
            XCTAssertFalse(BlockClassifier.looksLikeBoilerplateLine(line), line)
        }
    }

    /// An embedded player's and a slideshow's labels ("Video", "Gallery") alone on a line between paragraphs were
    /// kept as lines of the story (read as good beside good paragraphs, or as short lines between them).
    func testMediaLabelsAreNotLinesOfTheStory() throws {
        let a = try extract("media-labels.html")
        XCTAssertEqual(a.paragraphs.count, 3)
        assertKeeps(a, ["ending a nine-day strike", "twelve more deckhands", "waited more than a week"])
        XCTAssertFalse(a.paragraphs.contains("Video"))
        XCTAssertFalse(a.paragraphs.contains("Gallery"))
    }

    /// The article sits in a wrapper named "meta-information", and the one prose paragraph left was the footer's
    /// "This page is best viewed in an up-to-date web browser…", which came out as the article. A notice about
    /// the reader's browser is chrome, and is never promoted when nothing else reads as prose.
    func testABrowserNoticeIsNotTheArticle() throws {
        let a = try extract("browser-notice.html")
        XCTAssertFalse(a.text.contains("best viewed"))
        XCTAssertTrue(a.text.contains("two keepers will live at the lighthouse on Rathlin Island"))
        XCTAssertTrue(BlockClassifier.looksLikeBoilerplateLine("Please enable JavaScript to view the comments."))
        XCTAssertFalse(BlockClassifier.looksLikeBoilerplateLine("The browser wars of the nineties are over."))
    }

    /// WordPress writes a post's categories into the class of its own element ("category-for-discussion"): the
    /// comment-system word locked the whole post out and the page came out empty. Taxonomy classes beside
    /// `hentry` are topics, not layout; the comment list itself stays out.
    func testWordPressCategoryClassesDoNotLockThePostOut() throws {
        let a = try extract("wordpress-categories.html")
        assertKeeps(
            a,
            [
                "The town council voted on Monday night to rebuild the old ferry pier",
                "the ferry to the islands will sail from the beach jetty instead.",
            ], drops: ["About time!", "Another headline from the site", "Related: a story", "Copyright 2012"])
        XCTAssertEqual(
            BlockWalker.score("post-1 post type-post hentry category-for-discussion tag-reply"),
            BlockWalker.score("post-1 post type-post hentry"))
        XCTAssertLessThan(BlockWalker.score("category-for-discussion"), -50, "outside a post's class it still counts")
    }

    /// A post inside `<aside class="blogPost">` with its text in `blogContent`: the words run together in
    /// camelCase, so nothing said "post" and the aside made the whole article chrome. A camelCase name counts by
    /// its parts as well as whole ("sideBar" is still a sidebar). The heading over the next section, in capitals,
    /// is not taken for the author.
    func testCamelCaseClassNamesCount() throws {
        let a = try extract("camelcase-post.html")
        assertKeeps(
            a,
            [
                "The night market that filled the car park behind the library",
                "fewer people walk past the station after dark than past the library.",
            ], drops: ["OTHER STORIES", "Another headline from the site", "SHARE", "Copyright 2012"])
        XCTAssertNotEqual(a.author, "OTHER STORIES")
        XCTAssertGreaterThan(BlockWalker.score("blogPost"), 0)
        XCTAssertLessThan(BlockWalker.score("sideBar"), 0)
        XCTAssertLessThan(BlockWalker.score("footerNav"), BlockWalker.score("footer"))
        // A chart's labels (ai2html): "Text" at the end of another vocabulary's name says nothing of articles.
        XCTAssertEqual(BlockWalker.score("g-Layer_1 g-aiAbs g-aiPointText"), 0)
    }

    /// A poem posted as lines split by `<br>`: no line reads as prose, and the post's "TOPICS:" links sat in an
    /// element marked more strongly than the poem, so the strongest markup held no readable words and the page
    /// came out empty. The strongest markup is looked for among readable lines.
    func testAPoemIsNotHiddenByAMoreStronglyMarkedTopicsLine() throws {
        let a = try extract("poem-post.html")
        assertKeeps(
            a, ["I wander often from the way,", "Oh, when shall I be pure?", "And there I see what's best."],
            drops: ["I am a pastor in a small town", "TOPICS", "October 2012 (33)", "Theme by Someone"])
    }

    /// Comments in `<div class="commentbody">` under the article, in the same table cell: "commentbody" said
    /// nothing, so every comment of length read as the article's next paragraph. "comment" run together with
    /// another word is a comment system's word; "commentary", "commentator" and "commenting" are not.
    func testCommentBodiesRunTogetherAreComments() throws {
        let a = try extract("comment-bodies.html")
        XCTAssertTrue(a.text.contains("There is a related term, the microlife"))
        for comment in [
            "Not to be confused with a micro-ort", "Excellent idea.", "As a unit it is handy", "Posted by:",
        ] {
            XCTAssertFalse(a.text.contains(comment), comment)
        }
        XCTAssertLessThan(BlockWalker.score("commentbody by-snarki"), -50)
        XCTAssertLessThan(BlockWalker.score("CommentText"), -50)
        for name in ["commentary", "op-ed commentary-piece", "commentator", "commenting-guidelines"] {
            XCTAssertGreaterThan(BlockWalker.score(name), -50, name)
        }
    }

    /// A TypePad post: the comments follow a "Comments" heading in the article's own element, with no class to
    /// say what they are, and came out as the article's last paragraphs (and the last comment's time as its
    /// date). What follows a comment section's heading in the same element is the discussion; the sidebar's
    /// "Recent Comments" too.
    func testWhatFollowsACommentsHeadingIsTheDiscussion() throws {
        let a = try extract("comments-after-heading.html")
        XCTAssertTrue(a.text.contains("I have cancelled both of my talks"))
        XCTAssertTrue(a.text.contains("The blog will stay quiet for a while."))
        for comment in [
            "that just sucks", "I'm really sorry", "Way, way out of control", "Posted by: Tim",
            "On crash course in learning theory",
        ] {
            XCTAssertFalse(a.text.contains(comment), comment)
        }
        for heading in [
            "Comments", "12 Comments", "Leave a Reply", "3 Responses to “Why I cancelled my talks”",
            "11 thoughts on “Paper boats”", "One response", "Kommentare", "Reader comments", "Recent Comments",
        ] {
            XCTAssertTrue(BlockWalker.isCommentHeading(heading), heading)
        }
        for heading in ["Comment", "Discussion", "Comments on the draft budget were due Friday", "Reply to critics"] {
            XCTAssertFalse(BlockWalker.isCommentHeading(heading), heading)
        }
    }

    /// A long discussion in `<div id="comment_tpl">` under the article holds most of the page's text, so it was
    /// not "small" enough for its comment-system word to lock it, and every comment came out as article. A large
    /// comment container is locked when text of some length (outside links) came before it.
    func testALongDiscussionUnderItsArticleIsLocked() throws {
        let a = try extract("long-discussion.html")
        XCTAssertTrue(a.text.contains("the share of your income that you save decides how many years you must work"))
        XCTAssertTrue(a.text.contains("no longer felt like a loss."))
        for comment in ["Jacob said,", "Index funds did most of the work", "We cut the second car"] {
            XCTAssertFalse(a.text.contains(comment), comment)
        }
    }

    /// A forum thread's first post is the article even though its element is named like a message
    /// (`post_message_1`): it opens the page, so the rule for long discussions under an article leaves it alone.
    func testAForumsFirstPostIsKept() throws {
        let a = try extract("forum-post.html")
        XCTAssertTrue(a.text.contains("I started running last spring"))
        XCTAssertTrue(a.text.contains("this forum kept me going on the days I wanted to quit."))
        XCTAssertFalse(a.text.contains("Contact Us"))
    }

    /// A short Q&A post beside a sidebar of recent posts whose teasers read as prose: the post's element held
    /// under 60 % of the good text, so the wider element holding both was taken and the teasers came out as
    /// article. The element that scores best is kept when it holds 55 % or more of the good text.
    func testAShortPostBesideTeasersKeepsItsOwnElement() throws {
        let a = try extract("recent-posts-beside.html")
        XCTAssertTrue(a.text.contains("How do you get rid of an add-on in Firefox?"))
        XCTAssertTrue(a.text.contains("restart the browser when it asks you to."))
        for chrome in ["Recent Posts", "Answering security questions", "Kindle Fire", "November 12"] {
            XCTAssertFalse(a.text.contains(chrome), chrome)
        }
    }

    /// A news page followed by a long reader discussion: the article is kept, the comments are not.
    func testCommentThreadIsDropped() throws {
        let a = try extract("232a43-comments.html.gz")
        XCTAssertTrue(
            a.text.contains("Apple plans to release a new 13-inch MacBook Pro with a scissor switch keyboard"))
        XCTAssertFalse(a.text.contains("Before he died, Steve Jobs gave Jony Ive"), "a reader's comment")
        XCTAssertFalse(a.text.contains("I think we'll see similar updates"), "a reader's comment")
    }

    /// A post whose lines are split by <br> in one element: the lines around the ones that read as prose on their
    /// own belong to it; a line of labelled fields in the same element (date, author, category, tags) does not.
    func testLinesOfTheArticlesOwnElementAreKept() throws {
        let a = try extract("358cc4a-br-lines.html.gz")
        XCTAssertTrue(a.text.contains("Chelsea have this morning paid the £71.6million fee"), a.text)
        XCTAssertTrue(a.text.contains("This has freed of the £38million move of Thibaut Courtois to Real Madrid"))
        XCTAssertTrue(a.text.contains("The 23-year-old flew to London yesterday evening"))
        XCTAssertFalse(a.text.contains("Facebook"))
        let b = try extract("f6ac15a-field-line.html.gz")
        XCTAssertTrue(b.text.contains("registrou nesta manhã o arrombamento de dois dos cinco automóveis"), b.text)
        XCTAssertFalse(b.text.contains("Publicado por"), b.text)
    }

    /// Extracts the fixture `name` and checks that every line of `keeps` is in its text and none of `drops`.
    func check(
        _ name: String, keeps: [String], drops: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let a = try extract(name)
        for kept in keeps { XCTAssertTrue(a.text.contains(kept), kept + "\n" + a.text, file: file, line: line) }
        for dropped in drops {
            XCTAssertFalse(a.text.contains(dropped), dropped + "\n" + a.text, file: file, line: line)
        }
    }

    /// Long paragraphs that cite their sources with several inline links are prose (a third of their text is
    /// links); the author box, the "related content" links and the newsletter form after them are not.
    func testProseWithInlineLinksIsKept() throws {
        try check(
            "b0cf2bb-inline-links.html.gz",
            keeps: [
                "South Korea also hosts several polysilicon manufacturers, including the OCI Group",
                "Despite the manufacturing setbacks introduced by its regional neighbor and solar giant",
            ],
            drops: [
                "More articles from Emiliano Bellini", "Hold Ctrl or Cmd to select multiple editions",
                "Elsewhere on pv magazine",
            ])
    }

    /// Names linked to hover cards (a photo, the person's latest headlines) read as the names alone: the cards'
    /// text is hidden by the site's style sheet, and counted as links it sank the paragraphs they sit in.
    func testHoverCardsAreNotText() throws {
        try check(
            "6ebac05-hover-cards.html.gz",
            keeps: ["A New York man pleaded guilty to charges he threatened to kill Rep. Ilhan Omar (D-Minn.)"],
            drops: ["Hillicon Valley", "Sanders doubles down"])
    }

    /// A list in the article body is not chrome for being a list: "summary-list" holds the story's key points.
    /// The bullet that is one link to the home page is still dropped.
    func testAListNamedListInTheBodyIsKept() throws {
        try check(
            "f81c6c0-summary-list.html.gz",
            keeps: [
                "Depending on how much you plan to spend annually, you'll generally fall into one of three FIRE",
                "The road to retiring early isn't easy.",
            ],
            drops: ["Visit Business Insider's homepage"])
    }

    /// A list is kept whole: the two- and three-word items of a changelog ("Bugs fixed") go with the longer items
    /// kept beside them; the share links after the post do not.
    func testAListIsKeptWhole() throws {
        try check(
            "a860fb5-whole-list.html.gz",
            keeps: ["New tasks for the game!", "Challenges coming soon", "Better Android support", "Bugs fixed"],
            drops: ["Pinterest"])
    }

    /// An article in sections side by side (per position: a stats table, then a list of notes): the tables
    /// before and between the notes the scorer picked are the article's too; the site menu and photo credit are not.
    func testWhatLiesBetweenSectionsIsKept() throws {
        try check(
            "6a72de3-sections.html.gz",
            keeps: [
                "DL Myles Garrett 57 77% 1 tackle (1 combined). 3 QH.", "LB Mack Wilson 74 100% 1 tackle, 4 assists",
                "Ogunjobi and Garrett have been playing a ton of snaps all season.",
            ],
            drops: ["Community Guidelines", "Yahoo Browns Depth Chart", "Photo by Kirk Irwin"])
    }

    /// A body cut in two by an embedded player, each half three wrappers deep: the second half is found beside
    /// the first one's outermost wrapper; the "how to listen" links and the follow buttons stay out.
    func testSectionsInWrappersAreOneArticle() throws {
        try check(
            "88c328b-wrapped-sections.html.gz",
            keeps: [
                "The Davis Cup Final began on Monday",
                "Much of the focus on day one was about the feel and staging of the event",
                "The Tennis Podcast is produced weekly throughout the year",
            ],
            drops: ["Follow on Facebook"])
    }

    /// After the story, a "deals" list of cards (a linked headline, one excerpt each) reads like prose but is
    /// other stories; the story is kept without it.
    func testTeaserCardsAreNotTheArticle() throws {
        try check(
            "aade2ec-teaser-cards.html.gz",
            keeps: ["The promise of Google Stadia", "We recently traveled to Google"],
            drops: [
                "Apple recently launched the new Apple AirPods Pro", "Dell has released its list of Black Friday deals",
            ])
    }

    /// A morning digest: each item opens with its linked headline, so none reads as good on its own and the only
    /// block that does is the sign-off after them. The items are prose all the same and are kept; the share
    /// buttons, the caption and the site's footer around them are not.
    func testLinkedDigestItemsBeforeTheOnlyGoodBlockAreKept() throws {
        try check(
            "fde930b-linked-digest.html.gz",
            keeps: [
                "Good morning! This is the tech news you need to know this Tuesday.",
                "The New York state attorney general is investigating WeWork amid layoffs",
                "Apple is holding a surprise event in NYC next month",
            ],
            drops: ["Copyright © 2019 Business Insider", "Werben auf BI", "linkedin"])
    }

    /// A digest's lines in one paragraph, each linking a few words to the full story: the one that links least
    /// was kept on its own, and the lines after it are the same digest; the "most popular" box is not.
    func testTheOtherLinesOfAnAcceptedDigestAreKept() throws {
        try check(
            "linked-digest-element.html",
            keeps: [
                "The start-up said the battery packs in its cars were not at fault in the fires.",
                "Here are all the dumb things said about cars during this election.",
                "A small Japanese maker shut down its U.S. sales and has filed for bankruptcy.",
            ],
            drops: ["Ten cars we would buy today", "Motor Desk is part of a media group."])
    }

    /// A week in review: list items that are whole sentences, most of their words the link to the news they
    /// report, go with the list's other items; the sidebar's list of the same links, and the footer, do not.
    func testLinkedSentencesOfAKeptListAreKept() throws {
        try check(
            "linked-sentence-list.html",
            keeps: [
                "We released the Cost Comparison Calculator for Web Applications.",
                "We added Ruby support and private network integration to the application service.",
            ],
            drops: ["Recent posts", "The new cost calculator for web applications", "Privacy"])
    }

    /// Sentences kept before the first paragraph that reads as good, or after the last, mark where the article
    /// runs: the short lines between them ("They did!", a list's heading, the dates of a schedule) are its
    /// middle and read as the middle does; the menu and the categories box outside the post are not.
    func testLinesBetweenKeptSentencesAreTheArticlesMiddle() throws {
        try check(
            "run-before-first-paragraph.html",
            keeps: [
                "They did!", "Here's how you can join their challenge:",
                "You can read more about their photo challenge",
                "Upcoming sessions:", "November 9th & 10th", "November 15th",
                "Seats for every session are free for teachers",
            ],
            drops: ["Home", "Categories", "Apps"])
    }

    /// A news story that ends with a list of tour dates, plain lines without sentence punctuation: the list
    /// continues the article; the share buttons and related links after it do not.
    func testAPlainListAfterTheLastParagraphIsKept() throws {
        let a = try extract("ac1bfdd-list-after.html.gz")
        assertKeeps(
            a,
            [
                "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre", "June 19 – Charlotte, NC @ PNC Music Pavilion",
                "McDonald joined the band in 1975",
            ], drops: ["Sign up for our newsletter", "In This Article:", "Placing Odds on 14 Groups"])
    }

    /// An interview cut into two sections of the same class around a photo: both sections are the article,
    /// though the second holds much less text.
    func testSectionsOfTheArticlesClassAreKept() throws {
        let a = try extract("4648a42-sections.html.gz")
        assertKeeps(
            a,
            [
                "A: Bleacher Report, Uber Eats, and ParkMobile", "Q: Favorite artists or groups?",
                "A: Bob Marley, Bruno Mars, Drake, The Eagles, Jay Z, Frank Sinatra",
            ])
    }

    /// A page whose article is four paragraphs of a report, then `more`.
    func reportPage(_ more: String) -> Data {
        let prose = (1...4).map {
            "Paragraph \($0) of the report says what the council decided on Tuesday evening, and why the vote was close."
        }
        return Data(
            ("<html><body><article>" + prose.map { "<p>\($0)</p>" }.joined() + more + "</article></body></html>").utf8)
    }

    /// An element hidden by its inline style (any case or spacing) is not read; a style that hides nothing is.
    func testElementsHiddenByStyleAreSkipped() {
        let page = reportPage(
            "<p style='DISPLAY : None'>Hidden promotion that nobody sees on the page at all, whatever it claims.</p>"
                + "<p style='visibility:hidden;color:red'>Invisible teaser text that nobody sees on the page either.</p>"
                + "<p style='display: block'>A visible closing paragraph that the reader does see, with its own sentence.</p>"
        )
        let a = Extractor.extract(page, contentType: "text/html")
        XCTAssertFalse(a.text.contains("Hidden promotion"))
        XCTAssertFalse(a.text.contains("Invisible teaser"))
        XCTAssertTrue(a.text.contains("A visible closing paragraph"), a.text)
        XCTAssertTrue(a.text.contains("Paragraph 4 of the report"))
    }

    /// A hover card (a person's card over a linked name) is not part of the sentence it sits in; the name is.
    func testHoverCardsAreSkipped() {
        XCTAssertTrue(BlockWalker.isPopup("author-Tooltip__card"))
        XCTAssertTrue(BlockWalker.isPopup("x HOVERCARD"))
        XCTAssertTrue(BlockWalker.isPopup("rollover popover"))
        XCTAssertFalse(BlockWalker.isPopup("tool tip"))
        XCTAssertFalse(BlockWalker.isPopup("article-body"))
        let page = reportPage(
            "<p>The motion came from <span class='name-wrap'><a href='/p/1'>Jane Smith</a>"
                + "<span class='c-tooltip'>Jane Smith is a councillor since 2019. Follow her on social media.</span></span>"
                + ", who spoke for the residents of the old harbour district at length.</p>")
        let a = Extractor.extract(page, contentType: "text/html")
        XCTAssertTrue(a.text.contains("The motion came from Jane Smith, who spoke"), a.text)
        XCTAssertFalse(a.text.contains("councillor since 2019"), a.text)
    }

    /// A standings page: the table's rows are the article, each row one line, not one cell per line.
    func testTableRowsAreKeptWhole() throws {
        let a = try extract("11ea381-table.html.gz")
        XCTAssertTrue(
            a.paragraphs.contains { $0.hasPrefix("1 Kyle Busch 5040") }, a.paragraphs.prefix(12).joined(separator: "\n")
        )
        XCTAssertTrue(a.text.contains("Nesta página você terá sempre a classificação atualizada da NASCAR"))
    }
}
