import Foundation

/// A TOML value with the line it was written on.
public struct TOMLValue: Sendable, Equatable {
    /// The value's kind and content.
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case array([TOMLValue])
        case table(TOMLTable)
    }
    /// What the value is.
    public var kind: Kind
    /// 1-based line of the value.
    public var line: Int

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch kind {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a number"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A TOML table: keys in the order written, each with its value and line.
public struct TOMLTable: Sendable, Equatable {
    /// Entries in document order.
    public var entries: [(key: String, value: TOMLValue)] = []
    /// The line of the table's header (0 for the root).
    public var line: Int = 0

    /// The value under `key`.
    public subscript(key: String) -> TOMLValue? { entries.first { $0.key == key }?.value }

    mutating func set(_ key: String, _ value: TOMLValue) { entries.append((key, value)) }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// A TOML syntax error, with its line and what was expected.
public struct TOMLError: Error, Sendable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// What was wrong.
    public var message: String
    /// "line N: message".
    public var description: String { "line \(line): \(message)" }
}

/// Reads the TOML that configuration files use: tables, arrays of tables, strings, numbers, booleans, arrays and
/// inline tables. Dates and dotted keys are rejected with a clear error.
public enum TOML {
    /// Parses a whole document.
    public static func parse(_ text: String) throws -> TOMLTable {
        var p = Parser(Array(text.unicodeScalars))
        return try p.document()
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var line = 1
        /// Arrays and inline tables open around the value being read; bounded, so hostile input cannot exhaust the
        /// stack.
        var depth = 0
        static let maxDepth = 64
        /// What stands in a value's place while it is being changed (see `modify`).
        static let placeholder = TOMLValue.Kind.boolean(false)

        /// The array in `slot`, taken out (the placeholder left in its place) so that the caller holds its only
        /// reference and can change it without a copy; nil, and `slot` untouched, when it holds no array.
        static func takenArray(_ slot: inout TOMLValue.Kind) -> [TOMLValue]? {
            guard case .array = slot else { return nil }
            var out = placeholder
            swap(&out, &slot)
            guard case .array(let items) = out else { return nil }
            return items  // `out` ends with this function: the array is the caller's alone
        }

        /// The table in `slot`, taken out like `takenArray`.
        static func takenTable(_ slot: inout TOMLValue.Kind) -> TOMLTable? {
            guard case .table = slot else { return nil }
            var out = placeholder
            swap(&out, &slot)
            guard case .table(let table) = out else { return nil }
            return table
        }

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

        mutating func advance() {
            if s[i] == "\n" { line += 1 }
            i += 1
        }

        func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

        mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { advance() } }

        mutating func skipComment() {
            if peek == "#" { while let c = peek, c != "\n" { advance() } }
        }

        /// Skips blank lines, spaces and comments.
        mutating func skipTrivia() {
            while let c = peek {
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    advance()
                } else if c == "#" {
                    skipComment()
                } else {
                    break
                }
            }
        }

        mutating func endOfLine() throws {
            skipSpaces()
            skipComment()
            if peek == "\r" { advance() }
            if let c = peek, c != "\n" { throw fail("expected the end of the line after the value, found '\(c)'") }
        }

        mutating func document() throws -> TOMLTable {
            var root = TOMLTable()
            // Path of the current table: ("name", index into an array of tables or nil).
            var current: [String] = []
            var currentIsArrayElement = false
            var defined = Set<String>()
            skipTrivia()
            while !atEnd {
                if peek == "[" {
                    advance()
                    let isArray = peek == "["
                    if isArray { advance() }
                    skipSpaces()
                    let headerLine = line
                    let path = try keyPath()
                    skipSpaces()
                    guard peek == "]" else { throw fail("expected ']' to close the table header") }
                    advance()
                    if isArray {
                        guard peek == "]" else { throw fail("expected ']]' to close the array-of-tables header") }
                        advance()
                    }
                    try endOfLine()
                    let name = path.joined(separator: ".")
                    if isArray {
                        try appendArrayTable(&root, path, line: headerLine)
                    } else {
                        if defined.contains(name) {
                            throw TOMLError(line: headerLine, message: "table [\(name)] is defined twice")
                        }
                        defined.insert(name)
                        try ensureTable(&root, path, line: headerLine)
                    }
                    current = path
                    currentIsArrayElement = isArray
                } else {
                    let keyLine = line
                    let path = try keyPath()
                    guard path.count == 1 else {
                        throw TOMLError(line: keyLine, message: "dotted keys are not supported; use a [table] header")
                    }
                    skipSpaces()
                    guard peek == "=" else { throw fail("expected '=' after the key '\(path[0])'") }
                    advance()
                    skipSpaces()
                    let v = try value()
                    try endOfLine()
                    try insert(
                        &root, at: current, arrayElement: currentIsArrayElement, key: path[0], value: v, line: keyLine)
                }
                skipTrivia()
            }
            return root
        }

        mutating func keyPath() throws -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek == "\"" {
                    parts.append(try basicString())
                } else if peek == "'" {
                    parts.append(try literalString())
                } else {
                    var k = ""
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
                        k.unicodeScalars.append(c)
                        advance()
                    }
                    if k.isEmpty {
                        if let c = peek, c != "\n" { throw fail("expected a key, found '\(c)'") }
                        throw fail("expected a key")
                    }
                    parts.append(k)
                }
                skipSpaces()
                if peek == "." { advance() } else { return parts }
            }
        }

        mutating func value() throws -> TOMLValue {
            let l = line
            guard let c = peek else { throw fail("expected a value after '='") }
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maxDepth else {
                throw fail("arrays or inline tables nested more than \(Parser.maxDepth) deep")
            }
            switch c {
            case "\"":
                if i + 2 < s.count, s[i + 1] == "\"", s[i + 2] == "\"" {
                    return TOMLValue(kind: .string(try multiline("\"")), line: l)
                }
                return TOMLValue(kind: .string(try basicString()), line: l)
            case "'":
                if i + 2 < s.count, s[i + 1] == "'", s[i + 2] == "'" {
                    return TOMLValue(kind: .string(try multiline("'")), line: l)
                }
                return TOMLValue(kind: .string(try literalString()), line: l)
            case "[":
                advance()
                var items: [TOMLValue] = []
                while true {
                    skipTrivia()
                    if peek == "]" {
                        advance()
                        break
                    }
                    items.append(try value())
                    skipTrivia()
                    if peek == "," {
                        advance()
                        continue
                    }
                    if peek == "]" {
                        advance()
                        break
                    }
                    throw fail("expected ',' or ']' in the array")
                }
                return TOMLValue(kind: .array(items), line: l)
            case "{":
                advance()
                var t = TOMLTable(line: l)
                skipSpaces()
                if peek == "}" {
                    advance()
                    return TOMLValue(kind: .table(t), line: l)
                }
                while true {
                    skipSpaces()
                    let k = try keyPath()
                    guard k.count == 1 else { throw fail("dotted keys are not supported") }
                    skipSpaces()
                    guard peek == "=" else { throw fail("expected '=' after the key '\(k[0])'") }
                    advance()
                    skipSpaces()
                    if t[k[0]] != nil { throw fail("key '\(k[0])' is given twice") }
                    t.set(k[0], try value())
                    skipSpaces()
                    if peek == "," {
                        advance()
                        continue
                    }
                    if peek == "}" {
                        advance()
                        break
                    }
                    throw fail("expected ',' or '}' in the inline table")
                }
                return TOMLValue(kind: .table(t), line: l)
            default:
                var word = ""
                while let c = peek,
                    !(c == "," || c == "]" || c == "}" || c == "\n" || c == "\r" || c == "#" || c == " " || c == "\t")
                {
                    word.unicodeScalars.append(c)
                    advance()
                }
                if word == "true" { return TOMLValue(kind: .boolean(true), line: l) }
                if word == "false" { return TOMLValue(kind: .boolean(false), line: l) }
                let digits = word.replacingOccurrences(of: "_", with: "")
                if let v = Int64(digits) { return TOMLValue(kind: .integer(v), line: l) }
                if digits.hasPrefix("0x"), let v = Int64(digits.dropFirst(2), radix: 16) {
                    return TOMLValue(kind: .integer(v), line: l)
                }
                if let v = Double(digits),
                    digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) || digits == "inf"
                        || digits == "nan"
                {
                    return TOMLValue(kind: .float(v), line: l)
                }
                if word.isEmpty { throw TOMLError(line: l, message: "expected a value after '='") }
                if word.first?.isNumber == true && word.contains("-") {
                    throw TOMLError(line: l, message: "dates are not supported here; write the value as a string")
                }
                throw TOMLError(
                    line: l,
                    message: "expected a value (a \"string\", a number, true/false or an array), found '\(word)'")
            }
        }

        mutating func basicString() throws -> String {
            advance()
            var out = ""
            while let c = peek {
                if c == "\"" {
                    advance()
                    return out
                }
                if c == "\n" { throw fail("unterminated string: a closing '\"' is missing on this line") }
                if c == "\\" {
                    advance()
                    guard let e = peek else { break }
                    advance()
                    switch e {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "\\": out += "\\"
                    case "\"": out += "\""
                    case "b": out += "\u{08}"
                    case "f": out += "\u{0C}"
                    case "u", "U":
                        let n = e == "u" ? 4 : 8
                        var hex = ""
                        for _ in 0..<n {
                            if let h = peek {
                                hex.unicodeScalars.append(h)
                                advance()
                            }
                        }
                        guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                            throw fail("invalid unicode escape \\\(e)\(hex)")
                        }
                        out.unicodeScalars.append(scalar)
                    default: throw fail("invalid escape '\\\(e)' in a string")
                    }
                    continue
                }
                out.unicodeScalars.append(c)
                advance()
            }
            throw fail("unterminated string")
        }

        mutating func literalString() throws -> String {
            advance()
            var out = ""
            while let c = peek {
                if c == "'" {
                    advance()
                    return out
                }
                if c == "\n" { throw fail("unterminated string: a closing \"'\" is missing on this line") }
                out.unicodeScalars.append(c)
                advance()
            }
            throw fail("unterminated string")
        }

        /// A multi-line string: `"""…"""` or `\'\'\'…\'\'\'` (escapes are kept as written).
        mutating func multiline(_ quote: Unicode.Scalar) throws -> String {
            advance()
            advance()
            advance()
            if peek == "\n" { advance() }
            var out = ""
            while !atEnd {
                if s[i] == quote, i + 2 < s.count, s[i + 1] == quote, s[i + 2] == quote {
                    advance()
                    advance()
                    advance()
                    return out
                }
                out.unicodeScalars.append(s[i])
                advance()
            }
            throw fail("unterminated multi-line string")
        }

        // MARK: Tree building

        func ensureTable(_ root: inout TOMLTable, _ path: [String], line: Int) throws {
            try modify(&root, path[...], line: line) { _ in }
        }

        func appendArrayTable(_ root: inout TOMLTable, _ path: [String], line: Int) throws {
            let parent = path.dropLast()
            let name = path.last!
            try modify(&root, parent, line: line) { t in
                if let index = t.entries.firstIndex(where: { $0.key == name }) {
                    guard var items = Parser.takenArray(&t.entries[index].value.kind) else {
                        throw TOMLError(line: line, message: "'\(name)' is already a value, not an array of tables")
                    }
                    items.append(TOMLValue(kind: .table(TOMLTable(line: line)), line: line))
                    t.entries[index].value.kind = .array(items)
                } else {
                    t.set(
                        name,
                        TOMLValue(
                            kind: .array([TOMLValue(kind: .table(TOMLTable(line: line)), line: line)]), line: line))
                }
            }
        }

        func insert(
            _ root: inout TOMLTable, at path: [String], arrayElement: Bool, key: String, value: TOMLValue, line: Int
        ) throws {
            try modify(&root, path[...], line: line) { t in
                if t[key] != nil { throw TOMLError(line: line, message: "key '\(key)' is given twice") }
                t.set(key, value)
            }
        }

        /// Walks to the table at `path` (the last element of an array of tables), creating tables on the way.
        func modify(
            _ table: inout TOMLTable, _ path: ArraySlice<String>, line: Int, _ body: (inout TOMLTable) throws -> Void
        ) throws {
            guard let head = path.first else {
                try body(&table)
                return
            }
            if let index = table.entries.firstIndex(where: { $0.key == head }) {
                // Each value is taken out of the tree before it is changed and put back after: changed in place,
                // a copy of it was made on every header and key (10 000 feeds took 2.2 s, 1 000 000 over 5 minutes).
                if var t = Parser.takenTable(&table.entries[index].value.kind) {
                    try modify(&t, path.dropFirst(), line: line, body)
                    table.entries[index].value.kind = .table(t)
                } else if var items = Parser.takenArray(&table.entries[index].value.kind) {
                    guard let last = items.indices.last, var t = Parser.takenTable(&items[last].kind) else {
                        throw TOMLError(line: line, message: "'\(head)' is not a table")
                    }
                    try modify(&t, path.dropFirst(), line: line, body)
                    items[last].kind = .table(t)
                    table.entries[index].value.kind = .array(items)
                } else {
                    throw TOMLError(line: line, message: "'\(head)' is already a value, not a table")
                }
            } else {
                var t = TOMLTable(line: line)
                try modify(&t, path.dropFirst(), line: line, body)
                table.set(head, TOMLValue(kind: .table(t), line: line))
            }
        }
    }
}
