import CLibXML2
import Foundation

/// Reads files through libxml2's I/O layer, which decompresses gzip transparently.
public enum FileReader {
    /// The bytes of the file at `path`, gunzipped when compressed; fails past `maxBytes`. With `mapped`, a plain
    /// file is mapped into memory rather than read (pages arrive as they are used, on whichever thread uses them);
    /// only for files nobody truncates while they are read.
    public static func read(_ path: String, maxBytes: Int = 64 << 20, mapped: Bool = false) throws -> Data {
        Markup.initialize()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw XMLReadError(message: "\(path): no such file or not readable", line: 0)
        }
        if let plain = try readPlain(path, maxBytes: maxBytes, mapped: mapped) { return plain }
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

    /// A regular file that is not compressed, read straight into its `Data` (one read, no copy) or mapped; nil
    /// for compressed files and for pipes and devices, which go through libxml2's I/O.
    private static func readPlain(_ path: String, maxBytes: Int, mapped: Bool) throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        // Not for pipes and devices, nor for files that do not know their size (/proc).
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        var magic: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 3, 0) }
        // gzip (1f 8b) and xz (fd 37 7a): libxml2 decompresses them.
        if got >= 2 && magic.0 == 0x1f && magic.1 == 0x8b { return nil }
        if got >= 3 && magic.0 == 0xfd && magic.1 == 0x37 && magic.2 == 0x7a { return nil }
        if size > maxBytes { throw XMLReadError(message: "\(path): larger than \(maxBytes) bytes", line: 0) }
        if mapped { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) }
        var data = Data(count: size)
        let total = data.withUnsafeMutableBytes { raw -> Int in
            var done = 0
            while done < size {
                let n = pread(fd, raw.baseAddress! + done, size - done, off_t(done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            return done
        }
        if total < size { data.count = total } // the file shrank while being read: what was there
        return data
    }
}
