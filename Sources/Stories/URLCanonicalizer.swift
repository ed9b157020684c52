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
        let trimmed = url.first?.isWhitespace == true || url.last?.isWhitespace == true
            ? String(url.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) : url
        guard var comps = URLComponents(string: trimmed), let scheme = comps.scheme?.lowercased() else { return trimmed }
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
            let kept = items.filter { !isTracking($0.name) }.sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            comps.queryItems = kept.isEmpty ? nil : kept
        }
        return comps.string ?? trimmed
    }

    /// The host in lower case, without trailing dots or a prefix that names another rendering of the site.
    static func canonicalHost(_ host: String) -> String {
        var host = host.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        for prefix in hostPrefixes where host.hasPrefix(prefix) && host.count > prefix.count + 3 {
            host.removeFirst(prefix.count)
            break
        }
        return host
    }

    /// The path without an AMP or index-page ending, an `/amp/` start, or trailing slashes ("" for the root).
    static func canonicalPath(_ path: String) -> String {
        var path = path
        for suffix in pathSuffixes where path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
            break
        }
        if path.hasPrefix("/amp/") { path.removeFirst(4) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path == "/" ? "" : path
    }

    /// Whether a query parameter only tracks the reader.
    static func isTracking(_ name: some StringProtocol) -> Bool {
        let name = name.lowercased()
        return name.hasPrefix("utm_") || name.hasPrefix("at_") || name.hasPrefix("pk_") || name.hasPrefix("mtm_")
            || trackingParameters.contains(name)
    }

    /// Host prefixes that name another rendering of the same site.
    private static let hostPrefixes = ["www.", "m.", "mobile.", "amp.", "www1.", "www2."]
    /// Path endings that name another rendering of the same page.
    private static let pathSuffixes = ["/amp/", "/amp", ".amp", "/amp.html", "/index.html", "/index.htm", "/index.php"]

    /// The canonical form of a plain http(s) address (ASCII host, no user, no percent escapes, nothing a URL
    /// parser would re-encode), computed on its bytes; nil for anything else, which `general` handles. Both give
    /// the same answer where this one answers (tested side by side).
    static func plainCanonical(_ url: String) -> String? {
        var url = url
        return url.withUTF8 { b -> String? in
            let n = b.count
            var i: Int
            func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
            if n > 7, lower(b[0]) == 104, lower(b[1]) == 116, lower(b[2]) == 116, lower(b[3]) == 112 { // "http"
                if b[4] == 58 { i = 5 } else if lower(b[4]) == 115 && b[5] == 58 { i = 6 } else { return nil }
            } else { return nil }
            guard i + 2 < n, b[i] == 47, b[i + 1] == 47 else { return nil }
            i += 2
            // Host: letters, digits, '-' and '.'.
            let hostStart = i
            while i < n {
                let c = b[i]
                if (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 46 { i += 1 } else { break }
            }
            let rawHost = String(decoding: UnsafeBufferPointer(rebasing: b[hostStart..<i]), as: UTF8.self)
            guard !rawHost.hasPrefix("."), rawHost.contains(where: { $0 != "." }) else { return nil }
            let host = canonicalHost(rawHost)
            var port = ""
            if i < n && b[i] == 58 {
                i += 1
                let start = i
                while i < n, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start, i - start <= 5, b[start] != 48 else { return nil }
                let digits = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                guard let value = Int(digits), value <= 65535 else { return nil }
                if value != 80 && value != 443 { port = ":" + digits }
            }
            // Path, query and fragment: only characters that no parser re-encodes.
            let pathStart = i
            while i < n && b[i] != 63 && b[i] != 35 {
                guard isPlain(b[i]), b[i] != 58 || i > pathStart else { return nil }
                i += 1
            }
            guard i == n || b[i] == 63 || b[i] == 35, pathStart == i || b[pathStart] == 47 else { return nil }
            let path = String(decoding: UnsafeBufferPointer(rebasing: b[pathStart..<i]), as: UTF8.self)
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
                            guard eq > piece.startIndex, !piece[piece.index(after: eq)...].contains("=") else { return nil }
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
                while i < n { guard isPlain(b[i]) || b[i] == 63 else { return nil }; i += 1 }
            }
            var out = "https://" + host + port + canonicalPath(path)
            if hasQuery {
                let kept = items.filter { !isTracking($0.name) }.sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
                if !kept.isEmpty {
                    out += "?" + kept.map { item -> String in
                        guard let value = item.value else { return String(item.name) }
                        return item.name + "=" + value
                    }.joined(separator: "&")
                }
            }
            return out
        }
    }

    /// Letters, digits and the unreserved and sub-delimiter characters a URL parser keeps as they are
    /// in a path or query (no '%', no quote, no space, no brackets).
    private static func isPlain(_ c: UInt8) -> Bool {
        switch c {
        case 97...122, 65...90, 48...57: return true
        case 45, 46, 95, 126, 47, 58, 64, 33, 36, 38, 40, 41, 42, 43, 44, 59, 61: return true // - . _ ~ / : @ ! $ & ( ) * + , ; =
        default: return false
        }
    }
}
