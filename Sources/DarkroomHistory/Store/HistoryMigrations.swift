import Foundation
import DarkroomCore
import GRDB

/// The history's schema, one migration per version. Never edit a shipped
/// migration: add the next one.
enum HistoryMigrations {
    /// Brings the history at `path` up to date, also while other processes open
    /// it at the same moment (`darkroom submit &` in a loop on a new machine, a
    /// TUI and a watch started together after an upgrade).
    ///
    /// GRDB reads which migrations are applied before it takes SQLite's write
    /// lock, so two processes could both set out to apply the same one (the
    /// second failed: "table task already exists", "UNIQUE constraint failed",
    /// or a busy snapshot). So a history that needs migrating is migrated under
    /// a lock of its own (`MigrationLock`, on `<path>-lock`), one process at a
    /// time; the others wait for it, then find nothing left to do. A history
    /// already up to date (every open but the first after an install or an
    /// upgrade) takes no lock.
    static func migrate(_ pool: DatabasePool, path: String, lockTimeout: TimeInterval = 30) throws {
        let m = migrator
        if try pool.read({ try m.hasCompletedMigrations($0) }) { return }
        let lock = try MigrationLock(path: path + "-lock", timeout: lockTimeout)
        defer { lock.release() }
        try m.migrate(pool)
    }

    /// The newest migration: what a history written by this version has last.
    static let latest = "v7-stars-tags-hidden"

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE task (
                    local_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id TEXT UNIQUE,
                    profile TEXT NOT NULL,
                    base_url TEXT NOT NULL,
                    model TEXT NOT NULL,
                    prompt TEXT NOT NULL,
                    task_type TEXT,
                    size TEXT,
                    aspect_ratio TEXT,
                    quality TEXT,
                    n INTEGER NOT NULL,
                    output_format TEXT,
                    request_json TEXT NOT NULL,
                    state TEXT NOT NULL,
                    raw_status TEXT,
                    progress INTEGER,
                    error TEXT,
                    result_urls_json TEXT NOT NULL DEFAULT '[]',
                    owner_pid INTEGER,
                    created_at REAL NOT NULL,
                    submitted_at REAL,
                    started_at REAL,
                    finished_at REAL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX task_by_state ON task(state, local_id);
                CREATE INDEX task_by_model ON task(model, local_id);
                CREATE INDEX task_by_created ON task(created_at);
                CREATE TABLE task_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    local_id INTEGER NOT NULL REFERENCES task(local_id) ON DELETE CASCADE,
                    state TEXT NOT NULL,
                    progress INTEGER,
                    at REAL NOT NULL
                );
                CREATE INDEX task_event_by_task ON task_event(local_id, id);
                CREATE TABLE result (
                    local_id INTEGER NOT NULL REFERENCES task(local_id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL,
                    url TEXT NOT NULL,
                    state TEXT NOT NULL,
                    path TEXT,
                    bytes INTEGER,
                    format TEXT,
                    width INTEGER,
                    height INTEGER,
                    sha256 TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    claimed_by INTEGER,
                    claimed_at REAL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (local_id, idx)
                );
                CREATE INDEX result_by_state ON result(state);
                """)
            // Trigram tokens give substring search in any script (CJK included);
            // terms shorter than three characters fall back to LIKE.
            try db.create(virtualTable: "task_fts", using: FTS5()) { t in
                t.synchronize(withTable: "task")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("prompt")
            }
        }
        // A task is known by (endpoint, task id): two servers may hand out the same
        // ids. A task the user stopped watching keeps when (`unwatched_at`), so it
        // stays unwatched across restarts until watched again. A refused submit keeps
        // why (`submit_failure`: unreachable, refused, invalid_reference). `task_id` was unique across the whole history; it now is per
        // `base_url`, which holds the normalised endpoint. SQLite cannot drop a
        // column constraint, so the table is rebuilt (its rows, ids, events and
        // results all kept) and the full-text index made again from it.
        m.registerMigration("v2-task-identity") { db in
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT base_url FROM task") {
                let raw: String = row["base_url"]
                let normal = Endpoint.normalize(raw)
                if normal != raw { try db.execute(sql: "UPDATE task SET base_url = ? WHERE base_url = ?", arguments: [normal, raw]) }
            }
            // Local ids are never reused: keep AUTOINCREMENT's high-water mark.
            let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'task'") ?? 0
            try db.execute(sql: "DROP TABLE task_fts")
            try db.execute(sql: """
                CREATE TABLE task_v2 (
                    local_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id TEXT,
                    profile TEXT NOT NULL,
                    base_url TEXT NOT NULL,
                    model TEXT NOT NULL,
                    prompt TEXT NOT NULL,
                    task_type TEXT,
                    size TEXT,
                    aspect_ratio TEXT,
                    quality TEXT,
                    n INTEGER NOT NULL,
                    output_format TEXT,
                    request_json TEXT NOT NULL,
                    state TEXT NOT NULL,
                    raw_status TEXT,
                    progress INTEGER,
                    error TEXT,
                    result_urls_json TEXT NOT NULL DEFAULT '[]',
                    owner_pid INTEGER,
                    created_at REAL NOT NULL,
                    submitted_at REAL,
                    started_at REAL,
                    finished_at REAL,
                    updated_at REAL NOT NULL,
                    unwatched_at REAL,
                    submit_failure TEXT,
                    UNIQUE (base_url, task_id)
                );
                INSERT INTO task_v2 SELECT local_id, task_id, profile, base_url, model, prompt, task_type, size, aspect_ratio, quality,
                    n, output_format, request_json, state, raw_status, progress, error, result_urls_json, owner_pid, created_at,
                    submitted_at, started_at, finished_at, updated_at, NULL, NULL FROM task;
                DROP TABLE task;
                ALTER TABLE task_v2 RENAME TO task;
                CREATE INDEX task_by_state ON task(state, local_id);
                CREATE INDEX task_by_model ON task(model, local_id);
                CREATE INDEX task_by_created ON task(created_at);
                CREATE INDEX task_by_task_id ON task(task_id);
                """)
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'task'", arguments: [highest])
            try db.create(virtualTable: "task_fts", using: FTS5()) { t in
                t.synchronize(withTable: "task")
                t.tokenizer = FTS5TokenizerDescriptor(components: ["trigram"])
                t.column("prompt")
            }
        }
        // Runs: the requests of one submit with several values, or one batch. A task
        // names its run (`run_id`, NULL for a single submit); older rows have none.
        m.registerMigration("v3-runs") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at REAL NOT NULL,
                    expression TEXT NOT NULL,
                    axes_json TEXT NOT NULL DEFAULT '[]',
                    size INTEGER NOT NULL
                );
                ALTER TABLE task ADD COLUMN run_id INTEGER REFERENCES run(id);
                CREATE INDEX task_by_run ON task(run_id, local_id);
                """)
        }
        // The prompt index follows the prompt only. GRDB's synchronising trigger
        // fired on every UPDATE of a task, so each status or progress change
        // deleted and rewrote the task's index row (nine rows changed instead of
        // one, a new index segment each time, twice the SQLite time per change).
        m.registerMigration("v4-index-on-prompt-changes") { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS "__task_fts_au";
                CREATE TRIGGER "__task_fts_au" AFTER UPDATE OF "prompt" ON "task" BEGIN
                    INSERT INTO "task_fts"("task_fts", "rowid", "prompt") VALUES('delete', old."local_id", old."prompt");
                    INSERT INTO "task_fts"("rowid", "prompt") VALUES (new."local_id", new."prompt");
                END;
                """)
        }
        // One server may hand out an id it gave before (a test server restarted on
        // the same address with a fresh counter): (base_url, task_id) is no longer
        // unique; the newest task with an id is the one the server now means. The
        // table is rebuilt as in v2 (rows, local ids, events, results, the prompt
        // index's rows all kept); its triggers go with the old table and are made again.
        // The schema is written out, not shared with v2's: a migration must keep
        // doing what it did when it shipped.
        m.registerMigration("v5-ids-reused-by-one-server") { db in
            let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'task'") ?? 0
            try db.execute(sql: """
                CREATE TABLE task_v5 (
                    local_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task_id TEXT,
                    profile TEXT NOT NULL,
                    base_url TEXT NOT NULL,
                    model TEXT NOT NULL,
                    prompt TEXT NOT NULL,
                    task_type TEXT,
                    size TEXT,
                    aspect_ratio TEXT,
                    quality TEXT,
                    n INTEGER NOT NULL,
                    output_format TEXT,
                    request_json TEXT NOT NULL,
                    state TEXT NOT NULL,
                    raw_status TEXT,
                    progress INTEGER,
                    error TEXT,
                    result_urls_json TEXT NOT NULL DEFAULT '[]',
                    owner_pid INTEGER,
                    created_at REAL NOT NULL,
                    submitted_at REAL,
                    started_at REAL,
                    finished_at REAL,
                    updated_at REAL NOT NULL,
                    unwatched_at REAL,
                    submit_failure TEXT,
                    run_id INTEGER REFERENCES run(id)
                );
                INSERT INTO task_v5 SELECT local_id, task_id, profile, base_url, model, prompt, task_type, size, aspect_ratio, quality,
                    n, output_format, request_json, state, raw_status, progress, error, result_urls_json, owner_pid, created_at,
                    submitted_at, started_at, finished_at, updated_at, unwatched_at, submit_failure, run_id FROM task;
                DROP TABLE task;
                ALTER TABLE task_v5 RENAME TO task;
                CREATE INDEX task_by_state ON task(state, local_id);
                CREATE INDEX task_by_model ON task(model, local_id);
                CREATE INDEX task_by_created ON task(created_at);
                CREATE INDEX task_by_task_id ON task(task_id);
                CREATE INDEX task_by_run ON task(run_id, local_id);
                CREATE INDEX task_by_endpoint_and_id ON task(base_url, task_id, local_id);
                CREATE TRIGGER "__task_fts_ai" AFTER INSERT ON "task" BEGIN
                    INSERT INTO "task_fts"("rowid", "prompt") VALUES (new."local_id", new."prompt");
                END;
                CREATE TRIGGER "__task_fts_ad" AFTER DELETE ON "task" BEGIN
                    INSERT INTO "task_fts"("task_fts", "rowid", "prompt") VALUES('delete', old."local_id", old."prompt");
                END;
                CREATE TRIGGER "__task_fts_au" AFTER UPDATE OF "prompt" ON "task" BEGIN
                    INSERT INTO "task_fts"("task_fts", "rowid", "prompt") VALUES('delete', old."local_id", old."prompt");
                    INSERT INTO "task_fts"("rowid", "prompt") VALUES (new."local_id", new."prompt");
                END;
                """)
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'task'", arguments: [highest])
        }
        // Lineage: which pictures a task was made from (a remix). The parent is not a
        // foreign key: a parent deleted or never known (another history) leaves the
        // child's rows, and the hash still names the bytes that were sent.
        m.registerMigration("v6-lineage") { db in
            try db.execute(sql: """
                CREATE TABLE task_parent (
                    child INTEGER NOT NULL REFERENCES task(local_id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    parent INTEGER NOT NULL,
                    parent_task_id TEXT,
                    picture INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    PRIMARY KEY (child, position)
                );
                CREATE INDEX task_parent_by_parent ON task_parent(parent, child);
                """)
        }
        // Curation: a star on a task (`task.starred_at`) or on one picture
        // (`result.starred_at`), a hidden task (`task.hidden_at`: kept, left out of
        // lists), and tags (`task_tag`, one row per task and tag, lower case; the
        // index by tag finds a tag's tasks newest first).
        m.registerMigration(latest) { db in
            try db.execute(sql: """
                ALTER TABLE task ADD COLUMN starred_at REAL;
                ALTER TABLE task ADD COLUMN hidden_at REAL;
                ALTER TABLE result ADD COLUMN starred_at REAL;
                CREATE TABLE task_tag (
                    local_id INTEGER NOT NULL REFERENCES task(local_id) ON DELETE CASCADE,
                    tag TEXT NOT NULL,
                    added_at REAL NOT NULL,
                    PRIMARY KEY (local_id, tag)
                ) WITHOUT ROWID;
                CREATE INDEX task_tag_by_tag ON task_tag(tag, local_id);
                CREATE INDEX task_starred ON task(starred_at) WHERE starred_at IS NOT NULL;
                CREATE INDEX task_hidden ON task(hidden_at) WHERE hidden_at IS NOT NULL;
                CREATE INDEX result_starred ON result(local_id) WHERE starred_at IS NOT NULL;
                """)
        }
        return m
    }
}

extension HistoryMigrations {
    /// Opens the pool and migrates the file, again while SQLite answers "busy"
    /// at once, for up to `seconds`. Several processes opening a new history
    /// together all switch it to WAL; SQLite does not wait on its busy handler
    /// for every step of that, so one of them could fail outright. Migrations
    /// are transactions: a try that failed left nothing half done.
    static func openAndMigrate(path: String, configuration: GRDB.Configuration, within seconds: TimeInterval) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool, path: path)
                return pool
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(20_000)
            }
        }
    }
}
