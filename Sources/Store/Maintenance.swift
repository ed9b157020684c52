import Foundation

/// Checks, compaction, backups and retention.
extension Store {
    /// SQLite's integrity check and the foreign-key check: empty when the database is sound, else what is wrong.
    public func integrityProblems() throws -> [String] {
        let lines = try db.query("PRAGMA integrity_check").compactMap { $0.text(0) }
        var problems = lines == ["ok"] ? [] : lines
        for r in try db.query("PRAGMA foreign_key_check") {
            problems.append(
                "foreign key: row \(r.int(1) ?? 0) of \(r.text(0) ?? "?") points to a missing \(r.text(2) ?? "?")")
        }
        for r in try db.query(
            "SELECT feed_id, entry_key, count(*) FROM entries GROUP BY feed_id, entry_key HAVING count(*) > 1")
        {
            problems.append("entry \(r.text(1) ?? "?") of feed \(r.int(0) ?? 0) stored \(r.int(2) ?? 0) times")
        }
        return problems
    }

    /// Runs `body` as one transaction: the records it makes commit together; one that fails is undone alone.
    public func batch<T>(_ body: () throws -> T) throws -> T {
        try db.transaction(body)
    }

    /// Rewrites the database without free pages and truncates the write-ahead log.
    public func vacuum() throws {
        try db.execute("VACUUM")
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Writes a consistent copy of the database to a new file at `path`, while the daemon goes on writing.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError("\(path) already exists; not overwritten")
        }
        do { try db.query("VACUUM INTO ?", [.text(path)]) } catch let e as StoreError {
            throw StoreError("cannot write the backup to \(path): \(e.message)")
        }
    }

    /// Deletes articles published (or stored) more than `days` days ago, and stories left empty; entries stay, so
    /// the feed's old items are not fetched again. Returns how many articles went.
    @discardableResult
    public func applyRetention(keepDays days: Double, now: Date = Date()) throws -> Int {
        let cutoff = now.addingTimeInterval(-days * 86_400).timeIntervalSince1970
        return try db.transaction {
            try db.query(
                "UPDATE entries SET article_id = NULL WHERE article_id IN (SELECT id FROM articles WHERE coalesce(published, added) < ?)",
                [.double(cutoff)])
            try db.query("DELETE FROM articles WHERE coalesce(published, added) < ?", [.double(cutoff)])
            let removed = db.changes
            try db.execute(
                """
                UPDATE stories SET article_count = (SELECT count(*) FROM articles WHERE story_id = stories.id);
                DELETE FROM stories WHERE article_count = 0;
                """)
            return removed
        }
    }
}
