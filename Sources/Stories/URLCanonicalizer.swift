import Foundation

/// Reduces the many spellings of one article's address to one.
public enum URLCanonicalizer {
    /// Query parameters that only track the reader.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "ref_url",
        "cmpid", "cmp", "icid", "ncid", "ocid", "sr_share", "share", "smid", "at_medium", "at_campaign", "xtor",
        "_ga", "_gl", "spm", "s_cid", "mbid", "rss", "from", "outputtype", "amp", "output", "partner", "campaign",
        "cid", "feature", "wt.mc_id", "wt_mc_id", "soc_src", "soc_trk", "__twitter_impression", "guccounter",
    ]

    /// The canonical form of `url`: scheme and host in lower case, no default port, no `www.`/`m.`/`amp.` prefix,
    /// no fragment, no tracking parameters, remaining parameters sorted, no AMP path suffix, no trailing slash.
    public static func canonical(_ url: String) -> String {
        if let fast = plainCanonical(url) { return fast }
        return general(url)
    }

    /// The canonical form computed with Foundation's URL parser (any address).
    static func general(_ url: String) -> String {
        let trimmed =
            url.first?.isWhitespace == true || url.last?.isWhitespace == true
            ? String(url.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) : url
        guard var comps = URLComponents(string: trimmed), let scheme = comps.scheme?.lowercased() else {
            return trimmed
        }
        guard scheme == "http" || scheme == "https" else {
            comps.fragment = nil
            return comps.string ?? trimmed
        }
        comps.scheme = "https"
        if let host = comps.host { comps.host = canonicalHost(host) }
        if comps.port == 80 || comps.port == 443 { comps.port = nil }
        comps.fragment = nil
        comps.user = nil
        comps.password = nil
        comps.percentEncodedPath = canonicalPath(comps.percentEncodedPath)
        if let items = comps.queryItems {
            let kept = items.filter { !isTracking($0.name) }.sorted {
                ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "")
            }
            comps.queryItems = kept.isEmpty ? nil : kept
        }
        return comps.string ?? trimmed
    }

    /// The host in lower case, without trailing dots or a prefix that names another rendering of the site.
    static func canonicalHost(_ host: String) -> String {
        let lower = host.lowercased()
        var bytes = Array(lower.utf8)
        trimHost(&bytes, length: lower.count)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `canonicalHost`'s rules on a host already in lower case, as UTF-8; `length` is its length in characters.
    static func trimHost(_ host: inout [UInt8], length: Int) {
        var length = length
        while host.last == 46 {
            host.removeLast()
            length -= 1
        }  // "."
        for prefix in hostPrefixes where length > prefix.count + 3 && host.starts(with: prefix) {
            host.removeFirst(prefix.count)
            break
        }
    }

    /// The path without an AMP or index-page ending, an `/amp/` start, or trailing slashes ("" for the root).
    static func canonicalPath(_ path: String) -> String {
        var bytes = Array(path.utf8)
        trimPath(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `canonicalPath`'s rules on a percent-encoded (so ASCII) path, as bytes.
    static func trimPath(_ path: inout [UInt8]) {
        for suffix in pathSuffixes where path.count >= suffix.count && path.suffix(suffix.count).elementsEqual(suffix) {
            path.removeLast(suffix.count)
            break
        }
        if path.starts(with: ampStart) { path.removeFirst(4) }
        while path.count > 1 && path.last == 47 { path.removeLast() }  // "/"
        if path == [47] { path = [] }
    }

    /// Whether a query parameter only tracks the reader.
    static func isTracking(_ name: some StringProtocol) -> Bool {
        let name = name.lowercased()
        return name.hasPrefix("utm_") || name.hasPrefix("at_") || name.hasPrefix("pk_") || name.hasPrefix("mtm_")
            || trackingParameters.contains(name)
    }

    /// Host prefixes that name another rendering of the same site.
    private static let hostPrefixes = ["www.", "m.", "mobile.", "amp.", "www1.", "www2."].map { Array($0.utf8) }
    /// Path endings that name another rendering of the same page.
    private static let pathSuffixes = ["/amp/", "/amp", ".amp", "/amp.html", "/index.html", "/index.htm", "/index.php"]
        .map { Array($0.utf8) }
    private static let ampStart = Array("/amp/".utf8)

    /// The canonical form of a plain http(s) address (ASCII host, no user, no percent escapes, nothing a URL
    /// parser would re-encode), computed on its bytes; nil for anything else, which `general` handles. Both give
    /// the same answer where this one answers (tested side by side).
    static func plainCanonical(_ url: String) -> String? {
        var url = url
        return url.withUTF8 { b -> String? in
            let n = b.count
            var i: Int
            func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
            if n > 7, lower(b[0]) == 104, lower(b[1]) == 116, lower(b[2]) == 116, lower(b[3]) == 112 {  // "http"
                if b[4] == 58 { i = 5 } else if lower(b[4]) == 115 && b[5] == 58 { i = 6 } else { return nil }
            } else {
                return nil
            }
            guard i + 2 < n, b[i] == 47, b[i + 1] == 47 else { return nil }
            i += 2
            // Host: letters, digits, '-' and '.'.
            let hostStart = i
            while i < n {
                let c = b[i]
                if (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 46 {
                    i += 1
                } else {
                    break
                }
            }
            // Bytes from here on: the String forms of these rules compare by Unicode rules, at ~100 ns a call.
            guard i > hostStart, b[hostStart] != 46, b[hostStart..<i].contains(where: { $0 != 46 }) else { return nil }
            var out = Array("https://".utf8)
            out.reserveCapacity(n + 8)
            var host = b[hostStart..<i].map(lower)
            trimHost(&host, length: host.count)
            out += host
            var port: Slice<UnsafeBufferPointer<UInt8>>? = nil
            if i < n && b[i] == 58 {
                i += 1
                let start = i
                while i < n, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start, i - start <= 5, b[start] != 48 else { return nil }
                let value = b[start..<i].reduce(0) { $0 * 10 + Int($1 - 48) }
                guard value <= 65535 else { return nil }
                if value != 80 && value != 443 { port = b[(start - 1)..<i] }
            }
            if let port { out += port }
            // Path, query and fragment: only characters that no parser re-encodes.
            let pathStart = i
            while i < n && b[i] != 63 && b[i] != 35 {
                guard isPlain(b[i]), b[i] != 58 || i > pathStart else { return nil }
                i += 1
            }
            guard i == n || b[i] == 63 || b[i] == 35, pathStart == i || b[pathStart] == 47 else { return nil }
            var path = Array(b[pathStart..<i])
            trimPath(&path)
            out += path
            var items: [(name: Substring, value: Substring?)] = []
            var hasQuery = false
            if i < n && b[i] == 63 {
                hasQuery = true
                i += 1
                let queryStart = i
                while i < n && b[i] != 35 {
                    guard isPlain(b[i]) || b[i] == 63 else { return nil }
                    i += 1
                }
                let query = String(decoding: UnsafeBufferPointer(rebasing: b[queryStart..<i]), as: UTF8.self)
                if !query.isEmpty {
                    for piece in query.split(separator: "&", omittingEmptySubsequences: false) {
                        guard !piece.isEmpty else { return nil }
                        if let eq = piece.firstIndex(of: "=") {
                            // An '=' inside the value is escaped when the parser writes the items back.
                            guard eq > piece.startIndex, !piece[piece.index(after: eq)...].contains("=") else {
                                return nil
                            }
                            items.append((piece[..<eq], piece[piece.index(after: eq)...]))
                        } else {
                            items.append((piece, nil))
                        }
                    }
                }
            }
            if i < n {
                // The fragment is dropped, but what it holds must still be something the parser accepts.
                i += 1
                while i < n {
                    guard isPlain(b[i]) || b[i] == 63 else { return nil }
                    i += 1
                }
            }
            if hasQuery {
                let kept = items.filter { !isTracking($0.name) }.sorted {
                    ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "")
                }
                if !kept.isEmpty {
                    out +=
                        ("?"
                        + kept.map { item -> String in
                            guard let value = item.value else { return String(item.name) }
                            return item.name + "=" + value
                        }.joined(separator: "&")).utf8
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Letters, digits and the unreserved and sub-delimiter characters a URL parser keeps as they are
    /// in a path or query (no '%', no quote, no space, no brackets).
    private static func isPlain(_ c: UInt8) -> Bool {
        switch c {
        case 97...122, 65...90, 48...57: return true
        // - . _ ~ / : @ ! $ & ( ) * + , ; =
        case 45, 46, 95, 126, 47, 58, 64, 33, 36, 38, 40, 41, 42, 43, 44, 59, 61: return true
        default: return false
        }
    }
}
