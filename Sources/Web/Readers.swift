import Dispatch
import Foundation
import Store
import Synchronization

/// Read-only connections to the store for requests: each request takes one (or opens one), runs its queries off
/// the server's event loops with a time bound, and gives it back. In WAL mode the daemon's writer never waits
/// for them, and they never wait for each other.
final class Readers: Sendable {
    /// The database file.
    let path: String
    private let idle: Mutex<[Reader]>
    private let queue = DispatchQueue(label: "tidings.web.readers", attributes: .concurrent)

    /// Connections kept open between requests; more are opened when more requests run at once.
    static let kept = 8
    /// Seconds a request's queries may run before they are stopped (the request then gets 503).
    static let timeLimit: Double = 2

    /// Opens the first connection now, so that a missing or foreign database is an error at start, not at the
    /// first request.
    init(path: String) throws {
        self.path = path
        idle = Mutex([Reader(try Store(path: path, readOnly: true))])
    }

    /// Runs `body` on a connection of its own, on a thread that may block, within `timeLimit`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.run(body) })
            }
        }
    }

    private func run<T>(_ body: (Store) throws -> T) throws -> T {
        let reader = try idle.withLock { $0.popLast() } ?? Reader(try Store(path: path, readOnly: true))
        defer {
            idle.withLock { if $0.count < Readers.kept { $0.append(reader) } }
        }
        return try reader.store.withTimeLimit(Readers.timeLimit) { try body(reader.store) }
    }
}

/// One read connection. `@unchecked Sendable` because `Readers` hands it to one request at a time: it leaves the
/// idle list under the lock before use and returns to it after, so no two threads ever use it at once.
private final class Reader: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}
