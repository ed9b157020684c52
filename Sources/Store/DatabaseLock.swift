import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One writer per database: the daemon, `run --once`, `demo` and `regroup` hold an exclusive `flock` on
/// `DATABASE.lock` for as long as they write, so a second one stops at once with the holder's pid instead of
/// polling and grouping beside it (eleven daemons once ran on one database, each with its own story index).
/// A separate file, not the database: closing any other descriptor of the database file would drop SQLite's own
/// POSIX locks. The lock goes with the process, however it ends; the file stays, holding the last pid.
public final class DatabaseLock {
    private let fd: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock of the database at `database`, or throws naming the process that holds it.
    public init(database: String) throws {
        path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(
                "cannot open \(path) to take the database's writer lock: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            let holder =
                n > 0
                ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            throw StoreError(
                "\(database) is being written by another tidings process (pid \(holder)); stop it first (one daemon per database)"
            )
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    deinit { close(fd) }  // closing releases the flock
}
