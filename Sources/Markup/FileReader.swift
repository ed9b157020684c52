import CLibXML2
import Foundation

/// Reads files through libxml2's I/O layer, which decompresses gzip transparently.
public enum FileReader {
    /// The bytes of the file at `path`, gunzipped when compressed; fails past `maxBytes`.
    public static func read(_ path: String, maxBytes: Int = 64 << 20) throws -> Data {
        Markup.initialize()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw XMLReadError(message: "\(path): no such file or not readable", line: 0)
        }
        guard let input = xmlParserInputBufferCreateFilename(path, XML_CHAR_ENCODING_NONE) else {
            throw XMLReadError(message: "\(path): cannot be opened", line: 0)
        }
        defer { xmlFreeParserInputBuffer(input) }
        while true {
            let n = xmlParserInputBufferGrow(input, 1 << 16)
            if n < 0 { throw XMLReadError(message: "\(path): read error (corrupt compressed data?)", line: 0) }
            if n == 0 { break }
            if Int(xmlBufUse(input.pointee.buffer)) > maxBytes {
                throw XMLReadError(message: "\(path): larger than \(maxBytes) bytes", line: 0)
            }
        }
        guard let buffer = input.pointee.buffer, let content = xmlBufContent(buffer) else { return Data() }
        return Data(bytes: content, count: Int(xmlBufUse(buffer)))
    }
}
