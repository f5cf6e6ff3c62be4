import GRDB

/// The history's schema, one migration per version. Never edit a shipped
/// migration: add the next one.
enum HistoryMigrations {
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
        return m
    }
}
