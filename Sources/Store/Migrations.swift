import Foundation

/// The schema, as an ordered list of migrations; `PRAGMA user_version` records how many were applied.
enum Migrations {
    static let steps: [String] = [
        // 1: the first schema.
        """
        CREATE TABLE feeds (
          id INTEGER PRIMARY KEY,
          url TEXT NOT NULL UNIQUE,
          title TEXT,
          site TEXT,
          etag TEXT,
          last_modified TEXT,
          last_fetch REAL,
          last_status INTEGER,
          last_error TEXT,
          error_count INTEGER NOT NULL DEFAULT 0,
          next_poll REAL,
          retired INTEGER NOT NULL DEFAULT 0,
          added REAL NOT NULL
        );
        CREATE TABLE stories (
          id INTEGER PRIMARY KEY,
          title TEXT,
          first_seen REAL,
          last_seen REAL,
          updated REAL,
          article_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX stories_last_seen ON stories(last_seen);
        CREATE TABLE articles (
          id INTEGER PRIMARY KEY,
          url TEXT,
          canonical_url TEXT,
          title TEXT,
          author TEXT,
          published REAL,
          lang TEXT,
          text TEXT NOT NULL,
          content_hash TEXT,
          source TEXT,
          feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
          story_id INTEGER REFERENCES stories(id),
          reason TEXT,
          similarity REAL,
          added REAL NOT NULL
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_canonical ON articles(canonical_url);
        CREATE INDEX articles_time ON articles(coalesce(published, added));
        CREATE TABLE entries (
          id INTEGER PRIMARY KEY,
          feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
          entry_key TEXT NOT NULL,
          url TEXT,
          title TEXT,
          published REAL,
          seen REAL NOT NULL,
          article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
          UNIQUE(feed_id, entry_key)
        );
        CREATE TABLE templates (
          host TEXT PRIMARY KEY,
          pages INTEGER NOT NULL,
          counts BLOB NOT NULL
        );
        CREATE TABLE fetch_log (
          id INTEGER PRIMARY KEY,
          feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
          at REAL NOT NULL,
          status INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          error TEXT,
          duration REAL NOT NULL
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(
          title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
          INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
          INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
          INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        """,
        // 2: feeds leave the configuration without losing their history; filters by feed and language.
        """
        ALTER TABLE feeds ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE feeds ADD COLUMN origin TEXT;
        UPDATE feeds SET origin = url;
        CREATE INDEX feeds_origin ON feeds(origin);
        ALTER TABLE articles ADD COLUMN grouped_at REAL;
        CREATE INDEX articles_added ON articles(added);
        CREATE INDEX articles_feed ON articles(feed_id, coalesce(published, added));
        CREATE INDEX articles_lang ON articles(lang, coalesce(published, added));
        """,
        // 3: copies name their original; stories that turn out to be one event are merged, and the merged ids
        // keep resolving to the story they went into.
        """
        ALTER TABLE articles ADD COLUMN copy_of INTEGER;
        CREATE TABLE story_merges (
          from_id INTEGER PRIMARY KEY,
          into_id INTEGER NOT NULL,
          at REAL NOT NULL
        );
        CREATE INDEX story_merges_into ON story_merges(into_id);
        CREATE INDEX articles_content ON articles(content_hash, source);
        """,
        // 4: each article's categories (its feed entry's), to show and to filter by, case-insensitively.
        """
        CREATE TABLE article_categories (
          article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
          category TEXT NOT NULL COLLATE NOCASE,
          position INTEGER NOT NULL,
          PRIMARY KEY (article_id, category)
        ) WITHOUT ROWID;
        CREATE INDEX article_categories_category ON article_categories(category, article_id);
        """,
        // 5: the pages each site's template memory learned from lately (8-byte fingerprints), so that a page
        // fetched again does not count as another page of the site.
        """
        ALTER TABLE templates ADD COLUMN pages_seen BLOB NOT NULL DEFAULT x'';
        """,
    ]

    /// The schema version this build writes.
    static var latest: Int { steps.count }

    /// Brings the database up to `target` (the latest by default), one transaction per step.
    static func apply(to db: Connection, upTo target: Int = latest) throws {
        let current = Int(try db.query("PRAGMA user_version").first?.int(0) ?? 0)
        guard current <= latest else {
            throw StoreError("\(db.path) has schema version \(current), newer than this tidings (\(latest))")
        }
        for version in current..<max(current, target) {
            try db.transaction {
                try db.execute(steps[version])
                try db.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
