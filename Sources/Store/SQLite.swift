import CSQLite
import Foundation

/// An SQLite failure, with the database's own message.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// SQLite's result code (0 when the error is ours).
    public let code: Int32
    /// Makes an error.
    public init(_ message: String, code: Int32 = 0) {
        self.message = message
        self.code = code
    }
    /// The message.
    public var description: String { message }
    /// True when a time limit stopped the statement (SQLITE_INTERRUPT).
    public var isInterrupted: Bool { code & 0xFF == 9 }
}

/// A value bound to or read from an SQL statement.
enum SQLValue {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob(Data)
}

/// One SQLite connection. Not shared between threads: each user opens its own.
final class Connection {
    private(set) var handle: OpaquePointer
    let path: String

    init(path: String, readOnly: Bool) throws {
        self.path = path
        handle = try Connection.open(path, readOnly: readOnly, immutable: false)
        if readOnly {
            // A WAL database on a read-only file system cannot make its shared-memory file: read it as immutable
            // (nothing can change it while the file system stays read-only).
            var stmt: OpaquePointer?
            let rc = sqlite3_prepare_v2(handle, "PRAGMA schema_version", -1, &stmt, nil)
            let step = rc == SQLITE_OK ? sqlite3_step(stmt) : rc
            sqlite3_finalize(stmt)
            if step & 0xFF == SQLITE_CANTOPEN, Connection.fileSystemIsReadOnly(path) {
                sqlite3_close_v2(handle)
                handle = try Connection.open(path, readOnly: true, immutable: true)
            }
        }
        sqlite3_busy_timeout(handle, 5000)
        sqlite3_extended_result_codes(handle, 1)
    }

    private static func open(_ path: String, readOnly: Bool, immutable: Bool) throws -> OpaquePointer {
        var db: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            name = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError("cannot open database \(path): \(message)\(hint(path, rc))", code: rc)
        }
        return db
    }

    /// What the file system says about a failure SQLite reports vaguely ("disk I/O error", "unable to open").
    static func hint(_ path: String, _ rc: Int32) -> String {
        let primary = rc & 0xFF
        guard [SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN].contains(primary) else { return "" }
        var fs = statvfs()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if primary == SQLITE_CANTOPEN {
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                return " (its folder \(dir) does not exist)"
            }
        }
        guard statvfs(dir, &fs) == 0 else { return "" }
        if fs.f_flag & UInt(ST_RDONLY) != 0 { return " (the file system holding it is read-only)" }
        // Only a write that failed can be a full disk: pseudo file systems (/proc, /sys) report no free space at all.
        if primary == SQLITE_FULL || primary == SQLITE_IOERR {
            let free = UInt64(fs.f_bavail) * UInt64(fs.f_frsize)
            if fs.f_blocks > 0, free < 1 << 20 { return " (the disk holding it is full: \(free / 1024) KiB free)" }
        }
        if primary == SQLITE_CANTOPEN && access(dir, W_OK) != 0 { return " (no permission to create files in \(dir))" }
        return ""
    }

    static func fileSystemIsReadOnly(_ path: String) -> Bool {
        var fs = statvfs()
        return statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &fs) == 0
            && fs.f_flag & UInt(ST_RDONLY) != 0
    }

    /// The connection's last error as a StoreError, with what the file system says when that explains it.
    func failure(_ rc: Int32) -> StoreError {
        StoreError("\(path): \(String(cString: sqlite3_errmsg(handle)))\(Connection.hint(path, rc))", code: rc)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs `body` with every statement on this connection stopped (SQLITE_INTERRUPT) once `seconds` have passed:
    /// a reader's query, whatever it asks, ends in bounded time.
    func withTimeLimit<T>(_ seconds: Double, _ body: () throws -> T) rethrows -> T {
        let deadline = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        deadline.initialize(to: Connection.monotonicNow() + seconds)
        sqlite3_progress_handler(
            handle, 10_000,
            { context in
                Connection.monotonicNow() > context!.assumingMemoryBound(to: Double.self).pointee ? 1 : 0
            }, deadline)
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            deadline.deallocate()
        }
        return try body()
    }

    /// Seconds on the monotonic clock.
    static func monotonicNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw StoreError("\(path): \(message)\(Connection.hint(path, rc))", code: rc)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw failure(rc)
        }
        return Statement(stmt, connection: self)
    }

    /// Statements compiled once and kept, by their SQL (a store runs the same few dozen statements all day).
    private var cache: [String: Statement] = [:]
    private static let cacheLimit = 96

    /// A compiled statement for `sql`, from the cache when one is there and not in use by an enclosing call.
    private func cached(_ sql: String) throws -> Statement {
        if let s = cache[sql], !s.busy { return s }
        let s = try prepare(sql)
        if cache[sql] == nil && cache.count < Connection.cacheLimit { cache[sql] = s }
        return s
    }

    /// Runs `body` with the statement for `sql`, bound to `values`; afterwards the statement is reset (ending its
    /// read) and its bindings released.
    private func using<T>(_ sql: String, _ values: [SQLValue], _ body: (Statement) throws -> T) throws -> T {
        let s = try cached(sql)
        s.busy = true
        defer {
            sqlite3_reset(s.handle)
            sqlite3_clear_bindings(s.handle)
            s.busy = false
        }
        try s.bind(values)
        return try body(s)
    }

    /// Runs `sql` with `values` and returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
        try using(sql, values) { s in
            var rows: [Row] = []
            while try s.step() { rows.append(s.row()) }
            return rows
        }
    }

    /// Runs `sql` with `values`, handing each row to `body` as it comes (nothing accumulates).
    func forEach(_ sql: String, _ values: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try using(sql, values) { s in
            while try s.step() { try body(s.row()) }
        }
    }

    var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Transactions open on this connection; an inner one is a savepoint in the outer (a batch commits once).
    private var depth = 0

    /// Runs `body` in one transaction (IMMEDIATE: the writer takes its lock up front).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        if depth > 0 {
            // Inside a batch: a savepoint, so a failing record undoes its own writes and the batch goes on.
            depth += 1
            defer { depth -= 1 }
            try query("SAVEPOINT nested")
            do {
                let result = try body()
                try query("RELEASE nested")
                return result
            } catch {
                _ = try? query("ROLLBACK TO nested")
                _ = try? query("RELEASE nested")
                throw error
            }
        }
        try query("BEGIN IMMEDIATE")
        depth = 1
        defer { depth = 0 }
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement.
final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection
    /// True while a call is stepping through it (a nested call then compiles its own).
    var busy = false

    init(_ handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let x): rc = sqlite3_bind_int64(handle, index, x)
            case .double(let x): rc = sqlite3_bind_double(handle, index, x)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, Statement.transient)
            case .blob(let d):
                rc = d.withUnsafeBytes {
                    sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Statement.transient)
                }
            }
            guard rc == SQLITE_OK else {
                throw StoreError("bind failed: \(String(cString: sqlite3_errmsg(connection.handle)))", code: rc)
            }
        }
    }

    /// Advances to the next row; false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.failure(rc)
    }

    func row() -> Row {
        let n = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(n))
        for i in 0..<n {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(handle, i)))
            case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(handle, i)))
            case SQLITE_TEXT: values.append(.text(String(cString: sqlite3_column_text(handle, i))))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, i))
                if let p = sqlite3_column_blob(handle, i) {
                    values.append(.blob(Data(bytes: p, count: count)))
                } else {
                    values.append(.blob(Data()))
                }
            default: values.append(.null)
            }
        }
        return Row(values: values)
    }

    /// Runs the statement to completion with `values`.
    func run(_ values: [SQLValue]) throws {
        try bind(values)
        while try step() {}
    }
}

/// One result row, read by column position.
struct Row {
    let values: [SQLValue]

    func int(_ i: Int) -> Int64? {
        if case .int(let v) = values[i] { return v }
        if case .double(let d) = values[i] { return Int64(d) }
        return nil
    }
    func double(_ i: Int) -> Double? {
        if case .double(let v) = values[i] { return v }
        if case .int(let v) = values[i] { return Double(v) }
        return nil
    }
    func text(_ i: Int) -> String? {
        if case .text(let v) = values[i] { return v }
        return nil
    }
    func blob(_ i: Int) -> Data? {
        if case .blob(let v) = values[i] { return v }
        return nil
    }
    func date(_ i: Int) -> Date? { double(i).map { Date(timeIntervalSince1970: $0) } }
}

extension SQLValue {
    static func of(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    static func of(_ d: Date?) -> SQLValue { d.map { .double($0.timeIntervalSince1970) } ?? .null }
    static func of(_ i: Int64?) -> SQLValue { i.map { .int($0) } ?? .null }
    static func of(_ i: Int?) -> SQLValue { i.map { .int(Int64($0)) } ?? .null }
    static func of(_ d: Double?) -> SQLValue { d.map { .double($0) } ?? .null }
}
