import Foundation

/// Edits the feed list of a configuration file in place, keeping its comments and layout: the CLI's
/// `feeds add/remove/import` write here, because the file is the feed list's source of truth.
public enum ConfigEditor {
    /// Appends a `[[feed]]` table for each feed not configured yet; returns those added.
    @discardableResult
    public static func addFeeds(_ feeds: [FeedConfig], to path: String) throws -> [FeedConfig] {
        let config = try Config.load(path: path)
        var known = Set(config.feeds.map(\.url))
        var text = try String(contentsOfFile: path, encoding: .utf8)
        var added: [FeedConfig] = []
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        for f in feeds {
            let resolved = Config.feedURL(f.url, base: base)
            guard known.insert(resolved).inserted else { continue }
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += "\n[[feed]]\nurl = \(quote(f.url))\n"
            if let t = f.title, !t.isEmpty { text += "title = \(quote(t))\n" }
            added.append(FeedConfig(url: resolved, title: f.title))
        }
        if !added.isEmpty { try write(text, to: path) }
        return added
    }

    /// Removes the `[[feed]]` table whose address is `url` (as written, or resolved); false when none is.
    public static func removeFeed(url: String, from path: String) throws -> Bool {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let table: TOMLTable
        do { table = try TOML.parse(text) } catch let e as TOMLError {
            throw ConfigError(path: path, line: e.line, message: e.message)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        let wanted = Config.feedURL(url, base: base)
        guard case .array(let items)? = table["feed"]?.kind else { return false }
        for item in items {
            guard case .table(let t) = item.kind, case .string(let u)? = t["url"]?.kind,
                u == url || Config.feedURL(u, base: base) == wanted
            else { continue }
            var lines = text.components(separatedBy: "\n")
            let start = t.line - 1
            var end = start + 1
            // The table runs until a blank line, a comment or the next table header.
            while end < lines.count {
                let l = lines[end].trimmingCharacters(in: .whitespaces)
                if l.isEmpty || l.hasPrefix("#") || l.hasPrefix("[") { break }
                end += 1
            }
            if end < lines.count, lines[end].trimmingCharacters(in: .whitespaces).isEmpty,
                start > 0, lines[start - 1].trimmingCharacters(in: .whitespaces).isEmpty
            {
                end += 1
            }
            lines.removeSubrange(start..<end)
            try write(lines.joined(separator: "\n"), to: path)
            return true
        }
        return false
    }

    /// A TOML basic string.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out += String(format: "\\u%04X", c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// Replaces the file atomically (a temporary file renamed over it), keeping its permissions.
    static func write(_ text: String, to path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let temporary = path + ".tidings-new"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if let mode = attributes?[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
            }
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ConfigError(path: path, line: 0, message: "cannot be written (\(error.localizedDescription))")
        }
    }
}
