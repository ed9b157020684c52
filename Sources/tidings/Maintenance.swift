import Foundation
import Store

struct Check: Command {
    static let spec = CommandSpec(name: "check",
        abstract: "Check the database: SQLite's integrity check, foreign keys, no entry stored twice (exit 3 when not sound).",
        parameters: StoreOptions.parameters)

    let store: StoreOptions

    init(_ a: ParsedArguments) { store = StoreOptions(a) }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        let problems: [String]
        do { problems = try s.integrityProblems() } catch { fail("\(s.path): \(error)") }
        guard problems.isEmpty else {
            for p in problems { FileHandle.standardError.write(Data("tidings: \(s.path): \(p)\n".utf8)) }
            throw ExitCode(3)
        }
        print("\(s.path): ok")
    }
}

struct Vacuum: Command {
    static let spec = CommandSpec(name: "vacuum",
        abstract: "Compact the database (waits for the daemon's current write; readers keep reading).",
        parameters: StoreOptions.parameters)

    let store: StoreOptions

    init(_ a: ParsedArguments) { store = StoreOptions(a) }

    func run() throws {
        let path = try store.databasePath()
        let s = try openStore(path)
        let before = Vacuum.size(path)
        do { try s.vacuum() } catch { fail("\(path): cannot vacuum: \(error)") }
        print("\(path): \(before / 1024) KiB → \(Vacuum.size(path) / 1024) KiB")
    }

    /// Bytes of the database file and its write-ahead log.
    static func size(_ path: String) -> Int64 {
        ["", "-wal"].reduce(0) { $0 + (((try? FileManager.default.attributesOfItem(atPath: path + $1)[.size]) as? NSNumber)?.int64Value ?? 0) }
    }
}

struct Backup: Command {
    static let spec = CommandSpec(name: "backup",
        abstract: "Write a consistent copy of the database to a new file, while the daemon keeps running.",
        parameters: [.argument("file", help: "The backup file to create (never overwritten).")] + StoreOptions.parameters)

    let file: String
    let store: StoreOptions

    init(_ a: ParsedArguments) {
        file = a.argument("file")!
        store = StoreOptions(a)
    }

    func run() throws {
        let s = try openStore(try store.databasePath(), readOnly: true)
        do { try s.backup(to: file) } catch { fail("\(error)") }
        print("\(s.path) → \(file) (\(Vacuum.size(file) / 1024) KiB)")
    }
}
