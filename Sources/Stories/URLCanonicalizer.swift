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
        let trimmed = url.first?.isWhitespace == true || url.last?.isWhitespace == true
            ? String(url.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) : url
        guard var comps = URLComponents(string: trimmed), let scheme = comps.scheme?.lowercased() else { return trimmed }
        guard scheme == "http" || scheme == "https" else {
            comps.fragment = nil
            return comps.string ?? trimmed
        }
        comps.scheme = "https"
        if var host = comps.host?.lowercased() {
            while host.hasSuffix(".") { host.removeLast() }
            for prefix in ["www.", "m.", "mobile.", "amp.", "www1.", "www2."] where host.hasPrefix(prefix) && host.count > prefix.count + 3 {
                host.removeFirst(prefix.count)
                break
            }
            comps.host = host
        }
        if comps.port == 80 || comps.port == 443 { comps.port = nil }
        comps.fragment = nil
        comps.user = nil
        comps.password = nil
        var path = comps.percentEncodedPath
        for suffix in ["/amp/", "/amp", ".amp", "/amp.html", "/index.html", "/index.htm", "/index.php"] where path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
            break
        }
        if path.hasPrefix("/amp/") { path.removeFirst(4) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path == "/" { path = "" }
        comps.percentEncodedPath = path
        if let items = comps.queryItems {
            let kept = items.filter { item in
                let name = item.name.lowercased()
                return !(name.hasPrefix("utm_") || name.hasPrefix("at_") || name.hasPrefix("pk_") || name.hasPrefix("mtm_")
                         || trackingParameters.contains(name))
            }.sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            comps.queryItems = kept.isEmpty ? nil : kept
        }
        return comps.string ?? trimmed
    }
}
