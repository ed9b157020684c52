import Foundation
import Markup

/// A JSON value written with keys in the order given (readable diffs, stable output).
enum JSON {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSON]), object([(String, JSON)])

    static func of(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
    static func of(_ d: Date?) -> JSON { d.map { .string(FeedDate.rfc3339($0)) } ?? .null }
    static func of(_ i: Int64?) -> JSON { i.map { .int($0) } ?? .null }

    /// Serialized on one line.
    var text: String {
        var out = ""
        write(&out)
        return out
    }

    func write(_ out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            out += "["
            for (i, x) in items.enumerated() { if i > 0 { out += "," }; x.write(&out) }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                JSON.escape(k, into: &out)
                out += ":"
                v.write(&out)
            }
            out += "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
