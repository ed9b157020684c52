import Foundation
import Markup

/// A JSON value written with keys in the order given (readable diffs, stable output).
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func of(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
    public static func of(_ d: Date?) -> JSON { d.map { .string(FeedDate.rfc3339($0)) } ?? .null }
    public static func of(_ i: Int64?) -> JSON { i.map { .int($0) } ?? .null }

    /// Serialized on one line.
    public var text: String {
        var out = ""
        write(&out)
        return out
    }

    public func write(_ out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            out += "["
            for (i, x) in items.enumerated() {
                if i > 0 { out += "," }
                x.write(&out)
            }
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

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func escape(_ s: String, into out: inout String) {
        // Byte by byte into one buffer: plain bytes are copied as they are; only quotes, backslashes, control
        // characters and the two JavaScript line separators (E2 80 A8/A9) are escaped.
        var bytes: [UInt8] = [34]
        var s = s
        s.withUTF8 { u in
            bytes.reserveCapacity(u.count + 16)
            var i = 0
            while i < u.count {
                let b = u[i]
                switch b {
                case 34:
                    bytes.append(92)
                    bytes.append(34)
                case 92:
                    bytes.append(92)
                    bytes.append(92)
                case 10:
                    bytes.append(92)
                    bytes.append(110)
                case 13:
                    bytes.append(92)
                    bytes.append(114)
                case 9:
                    bytes.append(92)
                    bytes.append(116)
                case 0..<0x20:
                    for c in "\\u00".utf8 { bytes.append(c) }
                    bytes.append(JSON.hexDigits[Int(b >> 4)])
                    bytes.append(JSON.hexDigits[Int(b & 15)])
                case 0xE2 where i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
                    for c in "\\u202".utf8 { bytes.append(c) }
                    bytes.append(u[i + 2] == 0xA8 ? 56 : 57)
                    i += 3
                    continue
                default: bytes.append(b)
                }
                i += 1
            }
        }
        bytes.append(34)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
