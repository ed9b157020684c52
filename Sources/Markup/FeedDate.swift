import Foundation

/// Parses the date formats feeds use in practice: RFC 822 and its common breakages, W3C-DTF / ISO 8601.
public enum FeedDate {
    /// The date in `text`, or nil when it cannot be read (never "now"). A numeric date such as 11/06/2012 is read
    /// month first when its second number cannot be a month (11/23/2012), day first otherwise (23/11/2012, and
    /// 11/06/2012 as most of the world and RFC 822's order write it).
    public static func parse(_ text: String) -> Date? { parse(text, monthFirst: false) }

    /// The same, with numeric dates whose order is ambiguous read month first when `monthFirst`.
    public static func parse(_ text: String, monthFirst: Bool) -> Date? {
        let s = text.trimmed
        guard !s.isEmpty else { return nil }
        let bytes = Array(s.utf8)
        if bytes.count >= 4, bytes[0...3].allSatisfy(isDigit) {
            if let d = parseISO(bytes) { return d }
        }
        if let d = parseStrictRFC822(bytes) { return d }
        return parseRFC822(s, monthFirst: monthFirst)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since 1970.
    static let earliestWritable: Double = -62_135_596_800, latestWritable: Double = 253_402_300_799

    /// Formats `date` as RFC 3339 in UTC (`2024-06-19T15:46:00Z`), years padded to four digits.
    public static func rfc3339(_ date: Date) -> String {
        // RFC 3339 has four-digit years: a time outside 0001–9999 (a stored 1e308, NaN) is written as the nearest
        // end of that range instead of trapping in the conversion to whole seconds.
        let t = date.timeIntervalSince1970
        let secs = t.isNaN ? 0 : Int64(floor(min(max(t, FeedDate.earliestWritable), FeedDate.latestWritable)))
        var days = secs / 86400
        var rem = secs % 86400
        if rem < 0 {
            rem += 86400
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return
            "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))Z"
    }

    // MARK: - ISO 8601 / W3C-DTF

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static func parseISO(_ b: [UInt8]) -> Date? {
        var i = 0
        func number(_ maxLen: Int) -> Int? {
            var v = 0
            var n = 0
            while i < b.count, n < maxLen, isDigit(b[i]) {
                v = v * 10 + Int(b[i] - 48)
                i += 1
                n += 1
            }
            return n == 0 ? nil : v
        }
        func skip(_ c: UInt8) -> Bool {
            if i < b.count, b[i] == c {
                i += 1
                return true
            }
            return false
        }
        guard let year = number(4) else { return nil }
        var month = 1
        var day = 1
        let dashed = skip(45)  // '-'
        // "2003-012-31": a month written with three digits (feedparser's tests hold it) is still a month.
        if dashed, i + 3 < b.count, b[i] == 48, isDigit(b[i + 1]), isDigit(b[i + 2]), b[i + 3] == 45 { i += 1 }
        if let m = number(2) {
            month = m
            _ = dashed ? skip(45) : false
            if let d = number(2) { day = d }
        } else if i < b.count {
            return nil
        }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var offset = 0
        if i < b.count, b[i] == 84 || b[i] == 116 || b[i] == 32 {  // 'T', 't', ' '
            i += 1
            guard let h = number(2) else { return nil }
            hour = h
            _ = skip(58)
            if let mi = number(2) { minute = mi }
            _ = skip(58)
            if let se = number(2) { second = se }
            if i < b.count, b[i] == 46 || b[i] == 44 {  // fraction
                i += 1
                var scale = 0.1
                while i < b.count, isDigit(b[i]) {
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
            while i < b.count, b[i] == 32 { i += 1 }
            if i < b.count {
                if b[i] == 90 || b[i] == 122 {
                    i += 1
                }  // Z
                else if b[i] == 43 || b[i] == 45 {
                    let sign = b[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = skip(58)
                    let om = number(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else if let zone = zoneOffset(
                    String(decoding: b[i...], as: UTF8.self).trimmingCharacters(in: .whitespaces))
                {
                    offset = zone
                    i = b.count
                }
            }
        }
        guard validate(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else {
            return nil
        }
        return make(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fraction: fraction, offset: offset)
    }

    // MARK: - RFC 822 and friends

    private static let englishMonths: [UInt32] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .map(packLower)
    private static let englishDays: [UInt32] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(packLower)

    private static func packLower(_ s: String) -> UInt32 {
        s.utf8.reduce(0) { $0 << 8 | UInt32($1 | 0x20) }
    }

    /// The form most feeds write, `Wed, 19 Jun 2024 15:46:00 +0200` (English names, optional day name and seconds,
    /// two-digit years), read straight from the bytes; anything else is left to `parseRFC822`.
    static func parseStrictRFC822(_ b: [UInt8]) -> Date? {
        var i = 0
        let n = b.count
        func letters3(_ at: Int) -> UInt32? {
            guard at + 3 <= n else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 3) {
                let c = b[k] | 0x20
                guard c >= 0x61, c <= 0x7A else { return nil }
                v = v << 8 | UInt32(c)
            }
            return v
        }
        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var v = 0
            var count = 0
            while i < n, count < maxCount, isDigit(b[i]) {
                v = v * 10 + Int(b[i] - 48)
                i += 1
                count += 1
            }
            return count >= minCount ? v : nil
        }
        func spaces() -> Bool {
            let start = i
            while i < n, b[i] == 32 { i += 1 }
            return i > start
        }
        if let day = letters3(0), englishDays.contains(day) {
            i = 3
            guard i < n, b[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            _ = spaces()
        }
        guard let day = digits(1, 2), spaces(), let mon = letters3(i), let month = englishMonths.firstIndex(of: mon)
        else { return nil }
        i += 3
        let yearStart = i + 1
        guard spaces(), i == yearStart, let rawYear = digits(2, 4), i - yearStart != 3 else { return nil }
        let year = i - yearStart == 2 ? (rawYear < 50 ? 2000 + rawYear : 1900 + rawYear) : rawYear
        guard spaces(),
            let hour = digits(1, 2), i < n, b[i] == UInt8(ascii: ":")
        else { return nil }
        i += 1
        guard let minute = digits(2, 2) else { return nil }
        var second = 0
        if i < n, b[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = digits(2, 2) else { return nil }
            second = s
        }
        var offset = 0
        if spaces(), i < n {
            if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                let start = i
                guard let v = digits(4, 4), i - start == 4 else { return nil }
                let (h, m) = (v / 100, v % 100)
                guard h <= 14, m < 60 else { return nil }
                offset = sign * (h * 3600 + m * 60)
            } else {
                let start = i
                while i < n, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A { i += 1 }
                guard i > start, i - start <= 5,
                    let z = zones[String(decoding: b[start..<i], as: UTF8.self).uppercased()]
                else { return nil }
                offset = z
            }
            _ = spaces()
        }
        guard i == n, validate(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return make(
            year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, fraction: 0,
            offset: offset)
    }

    /// Whether `word` names a month (English, French, German, Spanish, Italian, Portuguese; full or short).
    public static func isMonthName(_ word: String) -> Bool { months[word.lowercased()] != nil }

    private static let months: [String: Int] = {
        var m: [String: Int] = [:]
        let names: [[String]] = [
            ["jan", "january", "janvier", "januar", "enero", "gennaio", "janeiro", "ene", "gen", "jän", "janv", "ιαν"],
            [
                "feb", "february", "février", "fevrier", "februar", "febrero", "febbraio", "fevereiro", "fév", "fev",
                "févr", "fevr", "φεβ",
            ],
            ["mar", "march", "mars", "märz", "marz", "marzo", "março", "mär", "mrz", "μάρ", "μαρ"],
            ["apr", "april", "avril", "abril", "aprile", "avr", "abr", "απρ"],
            ["may", "mai", "mayo", "maggio", "maio", "mag", "μάι", "μαϊ", "μαι"],
            ["jun", "june", "juin", "juni", "junio", "giugno", "junho", "giu", "ιούν", "ιον"],
            ["jul", "july", "juillet", "juli", "julio", "luglio", "julho", "juil", "lug", "ιούλ", "ιολ"],
            ["aug", "august", "août", "aout", "agosto", "ago", "aoû", "αύγ", "αυγ"],
            ["sep", "sept", "september", "septembre", "septiembre", "settembre", "setembro", "set", "σεπ"],
            ["oct", "october", "octobre", "oktober", "octubre", "ottobre", "outubro", "okt", "ott", "out", "οκτ"],
            ["nov", "november", "novembre", "noviembre", "novembro", "νοέ", "νοε"],
            [
                "dec", "december", "décembre", "decembre", "dezember", "diciembre", "dicembre", "dezembro", "déc",
                "dez", "dic", "δεκ",
            ],
        ]
        for (index, list) in names.enumerated() { for name in list { m[name] = index + 1 } }
        return m
    }()

    private static let zones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "MEZ": 3600,
        "MESZ": 7200,
        "EET": 7200, "EEST": 10800, "MSK": 10800, "IST": 19800, "JST": 32400, "KST": 32400, "HKT": 28800,
        "AEST": 36000, "AEDT": 39600, "ACST": 34200, "AWST": 28800, "NZST": 43200, "NZDT": 46800,
        "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600,
        "PST": -28800, "PDT": -25200, "AKST": -32400, "AKDT": -28800, "HST": -36000, "AST": -14400, "ADT": -10800,
        "NST": -12600, "NDT": -9000,
        // North American zones without standard or daylight, and Middle European ones, as feeds write them
        // (feedparser's table): "16:31 ET" is five hours behind UTC.
        "AT": -14400, "ET": -18000, "CT": -21600, "MT": -25200, "PT": -28800, "MET": 3600, "MEST": 7200,
    ]

    private static func zoneOffset(_ token: String) -> Int? {
        let t = token.uppercased()
        if let z = zones[t] { return z }
        var body = Substring(t)
        if body.hasPrefix("GMT") || body.hasPrefix("UTC") { body = body.dropFirst(3) }
        guard let first = body.first, first == "+" || first == "-" else {
            if t.count == 1, let c = t.unicodeScalars.first, c.value >= 65, c.value <= 90, c != "J" {
                return 0  // military zones: treated as UTC, as RFC 1123 advises
            }
            return nil
        }
        let digits = body.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let v = Int(digits) else { return nil }
        let sign = first == "-" ? -1 : 1
        let (h, m) = digits.count <= 2 ? (v, 0) : (v / 100, v % 100)
        guard h <= 14, m < 60 else { return nil }
        return sign * (h * 3600 + m * 60)
    }

    /// "16h00", "16h" (French and other European styles).
    private static func frenchStyleTime(_ token: String) -> (Int, Int)? {
        let parts = token.split(separator: "h", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let h = Int(parts[0]), h < 24, parts[0].count <= 2 else { return nil }
        if parts[1].isEmpty { return (h, 0) }
        guard parts[1].count == 2, let m = Int(parts[1]), m < 60 else { return nil }
        return (h, m)
    }

    static func parseRFC822(_ s: String, monthFirst: Bool = false) -> Date? {
        var tokens = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard !tokens.isEmpty else { return nil }
        var day: Int?
        var month: Int?
        var year: Int?
        var hour = 0
        var minute = 0
        var second = 0
        var offset = 0
        var sawTime = false
        var i = 0
        // "19-Jun-2024" and "2024/06/19" style compact dates, first or after a weekday ("Fri, 2006/09/15").
        for k in 0..<min(2, tokens.count)
        where tokens[k].utf8.contains(45) || tokens[k].utf8.contains(47) && !tokens[k].hasPrefix("-") {
            var parts = tokens[k].split(whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
            if parts.count == 3, !tokens[k].hasPrefix("-"), !tokens[k].hasPrefix("+") {
                // Year first (2006/09/15) is year, month, day: read as day, month, year like the rest.
                if parts[0].count == 4, parts[0].allSatisfy(\.isNumber) {
                    parts.reverse()
                } else if let a = Int(parts[0]), let b = Int(parts[1]), parts[2].allSatisfy(\.isNumber),
                    a >= 1, a <= 12, b >= 1, b > 12 || monthFirst
                {
                    parts.swapAt(0, 1)  // month first: 11/23/2012, or 11/06/2012 where the writer puts months first
                }
                tokens.replaceSubrange(k...k, with: parts)
                break
            }
        }
        while i < tokens.count {
            let token = tokens[i]
            var lower = token.lowercased()
            while lower.hasSuffix(".") { lower.removeLast() }
            while lower.hasPrefix(".") { lower.removeFirst() }
            if (token.hasPrefix("+") || token.hasPrefix("-")) && token.count >= 3, sawTime || day != nil,
                let z = zoneOffset(token)
            {
                offset = z
            } else if let (h, m) = frenchStyleTime(lower) {
                hour = h
                minute = m
                sawTime = true
            } else if token.utf8.contains(58) && token.first?.isNumber == true {
                let parts = token.split(separator: ":")
                guard parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1].prefix(2)) else { return nil }
                hour = h
                minute = m
                if parts.count >= 3, let sec = Int(parts[2].prefix(2)) { second = sec }
                sawTime = true
                // "15:46:00+0200" glued zone
                if let last = parts.last, let signIndex = last.firstIndex(where: { $0 == "+" || $0 == "-" }) {
                    if let z = zoneOffset(String(last[signIndex...])) { offset = z }
                }
            } else if let m = months[lower] ?? (lower.count >= 3 ? months[String(lower.prefix(3))] : nil), month == nil,
                !lower.allSatisfy(\.isNumber)
            {
                month = m
            } else if let v = Int(token), token.allSatisfy(\.isASCII) {
                if token.count >= 3 || (day != nil && month != nil && year == nil) {
                    if year == nil { year = token.count <= 2 ? (v < 50 ? 2000 + v : 1900 + v) : v }
                } else if day == nil {
                    if month != nil || v <= 31 { day = v } else { year = v }
                } else if month == nil, v <= 12 {
                    month = v
                } else if year == nil {
                    year = v < 50 ? 2000 + v : (v < 100 ? 1900 + v : v)
                }
            } else if sawTime || day != nil, let z = zoneOffset(token) {
                offset = z
            } else if lower == "am" || lower == "pm" {
                if lower == "pm" && hour < 12 { hour += 12 }
                if lower == "am" && hour == 12 { hour = 0 }
            }
            i += 1
        }
        guard let d = day, let m = month, let y = year else { return nil }
        guard validate(year: y, month: m, day: d, hour: hour, minute: minute, second: second) else { return nil }
        return make(year: y, month: m, day: d, hour: hour, minute: minute, second: second, fraction: 0, offset: offset)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, no Calendar object on the hot path)

    private static func validate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Bool {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1, hour >= 0, hour <= 24,
            minute >= 0, minute < 60, second >= 0, second <= 60
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    private static func make(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        fraction: Double, offset: Int
    ) -> Date {
        let days = daysFromCivil(Int64(year), Int64(month), Int64(day))
        let secs = days * 86400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offset)
        return Date(timeIntervalSince1970: Double(secs) + fraction)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
