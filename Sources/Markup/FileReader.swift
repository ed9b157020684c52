import CLibXML2
import CZlib
import Foundation

/// Reads files whole: plain files in one read (or mapped), gzip files inflated with zlib, anything else (xz,
/// pipes, devices) through libxml2's I/O layer, which decompresses transparently.
public enum FileReader {
    /// The bytes of the file at `path`, gunzipped when compressed; fails past `maxBytes`. With `mapped`, a plain
    /// file is mapped into memory rather than read (pages arrive as they are used, on whichever thread uses them);
    /// only for files nobody truncates while they are read.
    public static func read(_ path: String, maxBytes: Int = 64 << 20, mapped: Bool = false) throws -> Data {
        Markup.initialize()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw XMLReadError(message: "\(path): no such file or not readable", line: 0)
        }
        if let whole = try readRegular(path, maxBytes: maxBytes, mapped: mapped) { return whole }
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

    /// A regular file read straight into its `Data` (one read, no copy) or mapped, and a gzip file inflated from
    /// one read into a buffer sized by its trailer; nil for xz files and for pipes, devices and files that do not
    /// know their size (/proc), which go through libxml2's I/O.
    private static func readRegular(_ path: String, maxBytes: Int, mapped: Bool) throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        var magic: (UInt8, UInt8, UInt8) = (0, 0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 3, 0) }
        if got >= 3 && magic.0 == 0xfd && magic.1 == 0x37 && magic.2 == 0x7a { return nil }  // xz: libxml2's
        if got >= 2 && magic.0 == 0x1f && magic.1 == 0x8b {
            // Deflate never grows data by more than a few bytes per 16 KB block: a bigger file inflates past the bound.
            guard size <= maxBytes + maxBytes / 256 + 1024 else {
                throw XMLReadError(message: "\(path): larger than \(maxBytes) bytes", line: 0)
            }
            let compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
            defer { compressed.deallocate() }
            let read = readFully(fd, into: compressed)
            return try gunzip(UnsafeRawBufferPointer(rebasing: compressed[..<read]), path: path, maxBytes: maxBytes)
        }
        if size > maxBytes { throw XMLReadError(message: "\(path): larger than \(maxBytes) bytes", line: 0) }
        if mapped { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) }
        var data = Data(count: size)
        let total = data.withUnsafeMutableBytes { readFully(fd, into: $0) }
        if total < size { data.count = total }  // the file shrank while being read: what was there
        return data
    }

    /// Reads from the start of `fd` until `buffer` is full or the file ends; the bytes read.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return done
    }

    /// The inflated content of a gzip file (every member, as gzip reads them; bytes after the last member that
    /// do not start another are ignored), CRC-checked by zlib.
    static func gunzip(_ input: UnsafeRawBufferPointer, path: String, maxBytes: Int) throws -> Data {
        func failure(_ what: String) -> XMLReadError { XMLReadError(message: "\(path): \(what)", line: 0) }
        // The trailer's length (modulo 4 GiB, of the last member): the usual size of the whole, a first guess.
        // One byte more than expected: a buffer full at the end means "grow". Never more than one past the bound.
        var isize = 0
        if input.count >= 18 {
            let t = input.baseAddress! + input.count - 4
            isize =
                Int(t.load(fromByteOffset: 0, as: UInt8.self)) | Int(t.load(fromByteOffset: 1, as: UInt8.self)) << 8
                | Int(t.load(fromByteOffset: 2, as: UInt8.self)) << 16 | Int(t.load(fromByteOffset: 3, as: UInt8.self))
                << 24
        }
        var capacity = min(max(1 << 16, isize + 1), maxBytes + 1)
        guard var out = malloc(capacity) else { throw failure("out of memory inflating \(capacity) bytes") }
        var stream = z_stream()
        guard tidings_inflate_init_gzip(&stream) == Z_OK else {
            free(out)
            throw failure("zlib cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self))
        var remaining = input.count
        var produced = 0
        while true {
            if produced == capacity {
                guard capacity <= maxBytes else {
                    free(out)
                    throw failure("larger than \(maxBytes) bytes")
                }
                let grown = min(capacity * 2, maxBytes + 1)
                guard let bigger = realloc(out, grown) else {
                    free(out)
                    throw failure("out of memory inflating \(grown) bytes")
                }
                out = bigger
                capacity = grown
            }
            let chunkIn = min(remaining, Int(UInt32.max))
            stream.avail_in = UInt32(chunkIn)
            stream.next_out = (out + produced).assumingMemoryBound(to: UInt8.self)
            let room = min(capacity - produced, Int(UInt32.max))
            stream.avail_out = UInt32(room)
            let status = inflate(&stream, Z_NO_FLUSH)
            remaining -= chunkIn - Int(stream.avail_in)
            produced += room - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                // Another member follows (`cat a.gz b.gz`), or the file is done.
                guard remaining >= 2, stream.next_in[0] == 0x1f, stream.next_in[1] == 0x8b else {
                    guard produced <= maxBytes else {
                        free(out)
                        throw failure("larger than \(maxBytes) bytes")
                    }
                    return Data(bytesNoCopy: out, count: produced, deallocator: .free)
                }
                inflateReset(&stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_out > 0:
                free(out)
                throw failure("truncated compressed data")
            case Z_BUF_ERROR:
                continue  // the output is full: grown above
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                free(out)
                throw failure("corrupt compressed data (\(reason))")
            }
        }
    }
}
