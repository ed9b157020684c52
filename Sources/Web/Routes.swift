import Foundation
import Hummingbird
import Store

/// Every route the server answers, and the rules every request passes first.
enum Routes {
    typealias Context = BasicRequestContext

    /// Longest request target (path and query), in bytes.
    static let maxTargetBytes = 4096
    /// Most rows a list returns.
    static let maxLimit = 200
    /// Name of the cookie a browser keeps the token in.
    static let cookieName = "tidings_token"

    static func router(
        readers: Readers, token: String?, metrics: (@Sendable () -> String)?, log: @escaping @Sendable (String) -> Void
    ) -> Router<Context> {
        let router = Router(context: Context.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: Guard(token: token, log: log))

        // JSON API: the shapes of the CLI's --json.
        router.get("/api/stories") { request, _ in
            let p = try Parameters(request.uri.query, allowed: Parameters.listNames)
            let limit = try p.limit(fallback: 50, max: maxLimit)
            let page = try await readers.read { store in
                let stories = try store.stories(filter: try p.filter(store, limit: limit))
                return Page(items: stories.map { Shapes.story($0, withText: false) }, next: next(stories, limit))
            }
            return json(.object([("stories", .array(page.items)), ("next", .of(page.next?.text))]))
        }
        router.get("/api/stories/:id") { request, context in
            _ = try Parameters(request.uri.query, allowed: [])
            let id = try Parameters.id(context.parameters.get("id"), of: "story")
            let story = try await readers.read { store in try store.story(id: try store.resolveStory(id)) }
            guard let story else { throw Refusal(.notFound, "no story \(id)") }
            return json(Shapes.story(Routes.bounded(story), withText: true))
        }
        router.get("/api/articles") { request, _ in
            let p = try Parameters(request.uri.query, allowed: Parameters.listNames)
            let limit = try p.limit(fallback: 50, max: maxLimit)
            let page = try await readers.read { store in
                let list = try store.articles(filter: try p.filter(store, limit: limit))
                let next = list.count == limit ? list.last.flatMap { PageCursor(after: $0) } : nil
                return Page(items: list.map { Shapes.article($0, withText: false) }, next: next)
            }
            return json(.object([("articles", .array(page.items)), ("next", .of(page.next?.text))]))
        }
        router.get("/api/articles/:id") { request, context in
            _ = try Parameters(request.uri.query, allowed: [])
            let id = try Parameters.id(context.parameters.get("id"), of: "article")
            guard let article = try await readers.read({ try $0.article(id: id) }) else {
                throw Refusal(.notFound, "no article \(id)")
            }
            return json(Shapes.article(article, withText: true))
        }
        router.get("/api/search") { request, _ in
            let p = try Parameters(request.uri.query, allowed: ["q", "limit"])
            guard let q = p["q"] else { throw Refusal(.badRequest, "q is required: the words to search for") }
            let limit = try p.limit(fallback: 20, max: maxLimit)
            let hits = try await readers.read { store in
                try searching { try store.search(q, limit: limit) }.map {
                    Shapes.searchHit(story: $0.story, article: $0.article, snippet: $0.snippet)
                }
            }
            return json(.object([("results", .array(hits))]))
        }
        router.get("/api/feeds") { request, _ in
            _ = try Parameters(request.uri.query, allowed: [])
            let feeds = try await readers.read { try $0.feeds().map(Shapes.feed) }
            return json(.object([("feeds", .array(feeds))]))
        }
        router.get("/api/stats") { request, _ in
            _ = try Parameters(request.uri.query, allowed: [])
            let path = readers.path
            let stats = try await readers.read { store in
                let c = try store.counts()
                return Shapes.stats(
                    feeds: c.feeds, articles: c.articles, stories: c.stories, bytes: Shapes.databaseBytes(path))
            }
            return json(stats)
        }
        if let metrics {
            router.get("/metrics") { _, _ in
                text(metrics(), type: "text/plain; version=0.0.4; charset=utf-8")
            }
        }

        // Pages.
        router.get("/") { request, _ in
            let p = try Parameters(request.uri.query, allowed: Parameters.listNames)
            let limit = try p.limit(fallback: 30, max: maxLimit)
            let html = try await readers.read { store in
                let stories = try store.stories(filter: try p.filter(store, limit: limit))
                return Pages.stories(stories, parameters: p, next: next(stories, limit))
            }
            return page(html)
        }
        router.get("/stories/:id") { request, context in
            _ = try Parameters(request.uri.query, allowed: [])
            let id = try Parameters.id(context.parameters.get("id"), of: "story")
            let found = try await readers.read { store -> (Int64, String?) in
                let resolved = try store.resolveStory(id)
                guard resolved == id else { return (resolved, nil) }
                return (id, try store.story(id: id).map(Pages.story))
            }
            if found.0 != id {  // merged into another story: the address a reader saved still leads to it
                return Response(status: .movedPermanently, headers: [.location: "/stories/\(found.0)"])
            }
            guard let html = found.1 else { throw Refusal(.notFound, "no story \(id)") }
            return page(html)
        }
        router.get("/search") { request, _ in
            let p = try Parameters(request.uri.query, allowed: ["q", "limit"])
            let limit = try p.limit(fallback: 30, max: maxLimit)
            let q = p["q"] ?? ""
            let html = try await readers.read { store in
                guard !q.isEmpty else { return Pages.search(query: q, hits: [], error: nil) }
                do {
                    return Pages.search(
                        query: q, hits: try searching { try store.search(q, limit: limit, marks: ("\u{1}", "\u{2}")) },
                        error: nil)
                } catch let r as Refusal where r.status == .badRequest {
                    return Pages.search(query: q, hits: [], error: r.message)
                }
            }
            return page(html)
        }
        router.get("/feeds") { request, _ in
            _ = try Parameters(request.uri.query, allowed: [])
            return page(try await readers.read { Pages.feeds(try $0.feeds()) })
        }
        router.get("/style.css") { _, _ in
            var r = text(HTML.styleSheet, type: "text/css; charset=utf-8")
            r.headers[.cacheControl] = "public, max-age=3600"
            return r
        }
        router.get("/login") { _, _ in page(Pages.login(nil)) }
        router.post("/login") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 2048)
            let form = try Parameters(String(buffer: body), allowed: ["token"])
            guard let token, let given = form["token"], Guard.same(given, token) else {
                return page(
                    Pages.login(token == nil ? "This server needs no token." : "That is not the token."),
                    status: token == nil ? .ok : .unauthorized)
            }
            return Response(
                status: .seeOther,
                headers: [
                    .location: "/",
                    .setCookie: "\(cookieName)=\(given); Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000",
                ])
        }
        return router
    }

    /// A list page's items and the cursor of the page after it.
    struct Page: Sendable {
        var items: [JSON]
        var next: PageCursor?
    }

    /// The cursor after a full page of stories (none after the last page).
    static func next(_ stories: [StoryView], _ limit: Int) -> PageCursor? {
        stories.count == limit ? stories.last.flatMap { PageCursor(after: $0) } : nil
    }

    /// A story whose texts fit the page budget: past it, articles carry no text (they keep their address).
    static func bounded(_ story: StoryView) -> StoryView {
        var s = story
        var budget = Pages.textBudget
        for i in s.articles.indices {
            let n = s.articles[i].text?.utf8.count ?? 0
            if n > budget { s.articles[i].text = nil } else { budget -= n }
        }
        return s
    }

    /// Search errors (a malformed query, too many words, too slow) as the reader's mistake.
    static func searching<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError where e.code == 0 || e.code & 0xFF == 1 || e.isInterrupted {
            throw Refusal(.badRequest, e.message)
        }
    }

    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        text(value.text + "\n", type: "application/json; charset=utf-8", status: status)
    }

    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        text(html, type: "text/html; charset=utf-8", status: status)
    }

    static func text(_ s: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: type],
            body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }
}

/// The rules every request passes before its route: size, method, token; and what any failure looks like
/// (JSON for the API, a page for a browser; never a stack trace or SQL).
struct Guard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String?
    let log: @Sendable (String) -> Void

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let wantsJSON = path.hasPrefix("/api/") || path == "/api" || path == "/metrics"
        var response: Response
        do {
            response = try await checked(request, context: context, path: path, next: next)
        } catch let r as Refusal {
            response = Guard.failure(r.status, r.message, json: wantsJSON)
        } catch let e as HTTPError {
            let message =
                e.status == .notFound ? "nothing at \(Parameters.shown(path))" : (e.body ?? e.status.reasonPhrase)
            response = Guard.failure(e.status, message, json: wantsJSON)
        } catch let e as StoreError where e.isInterrupted {
            response = Guard.failure(
                .serviceUnavailable, "the store took longer than \(Int(Readers.timeLimit)) s to answer", json: wantsJSON
            )
        } catch {
            log("web: \(request.method) \(Parameters.shown(path)): \(error)")
            response = Guard.failure(
                .internalServerError, "the store could not be read; the server's log says why", json: wantsJSON)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
        return response
    }

    private func checked(
        _ request: Request, context: Context, path: String, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let target = (request.head.path ?? path).utf8.count
        guard target <= Routes.maxTargetBytes else {
            throw Refusal(.uriTooLong, "the address is longer than \(Routes.maxTargetBytes) bytes")
        }
        let isLogin = path == "/login"
        guard request.method == .get || request.method == .head || (isLogin && request.method == .post) else {
            throw Refusal(.methodNotAllowed, "this server only reads: \(request.method) is not allowed here")
        }
        if let token, !isLogin, path != "/style.css" {
            let bearer = request.headers[.authorization].flatMap { h -> String? in
                h.lowercased().hasPrefix("bearer ") ? String(h.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
            }
            let cookie = request.cookies[Routes.cookieName]?.value
            guard [bearer, cookie].contains(where: { $0.map { Guard.same($0, token) } ?? false }) else {
                let wantsJSON = path.hasPrefix("/api/") || path == "/metrics"
                if wantsJSON {
                    var r = Guard.failure(
                        .unauthorized, "a token is required: send `Authorization: Bearer TOKEN`", json: true)
                    r.headers[.wwwAuthenticate] = "Bearer realm=\"tidings\""
                    return r
                }
                return Routes.page(Pages.login(nil), status: .unauthorized)
            }
        }
        return try await next(request, context)
    }

    /// The error response: `{"error": …}` or a page.
    static func failure(_ status: HTTPResponse.Status, _ message: String, json: Bool) -> Response {
        var r =
            json
            ? Routes.json(.object([("error", .string(message))]), status: status)
            : Routes.page(Pages.error(status.code, message), status: status)
        if status == .methodNotAllowed { r.headers[.allow] = "GET, HEAD" }
        return r
    }

    /// Compares two strings in time that depends on their lengths only, not on where they first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
