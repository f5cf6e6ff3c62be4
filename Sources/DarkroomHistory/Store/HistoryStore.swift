import DarkroomCore
import Foundation
import GRDB

/// darkroom's memory: every task it submitted, with its request, status history,
/// results and downloaded files, in one SQLite file (WAL mode) that several
/// darkroom processes can share.
///
/// - A task is known by (endpoint, task id): `Endpoint` values are normalised
///   with `Endpoint.normalize`, so two servers may hand out the same ids.
/// - Every call is `async` and runs on GRDB's own queues, never on a thread of
///   the cooperative pool: a history locked by another process (up to
///   `busyTimeout`, default 10 s) slows that one call, never the caller's
///   event loop or the poller.
/// - The API key is never stored here. Writes are short transactions; the
///   intent written before a submit is committed with `synchronous = FULL`.
public final class HistoryStore: Sendable {
    public let path: String
    let pool: DatabasePool
    let now: @Sendable () -> Date
    let pid: Int32

    /// Opens (creating if needed) the store at `path` and migrates it.
    /// - Parameters:
    ///   - busyTimeout: how long a call waits for another process's lock before it fails.
    ///   - now: the wall clock, injectable for tests.
    public init(path: String, busyTimeout: TimeInterval = 10, now: @escaping @Sendable () -> Date = { Date() }) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try HistoryMigrations.openAndMigrate(path: path, configuration: config, within: busyTimeout)
        self.path = path
        self.now = now
        self.pid = getpid()
    }

    /// The history's file name in its folder.
    public static let fileName = "history.sqlite"

    /// `<data>/history.sqlite`: where the history of darkroom's data folder lives.
    public static func path(in paths: DarkroomPaths) -> String {
        paths.dataDirectory.appendingPathComponent(fileName).path
    }

    /// The store in darkroom's data folder: `<data>/history.sqlite`.
    public convenience init(paths: DarkroomPaths) throws {
        try self.init(path: Self.path(in: paths))
    }

    /// Where task ids go when this file cannot take them (see `SubmitJournal`).
    public var journal: SubmitJournal {
        SubmitJournal(path: (path as NSString).deletingLastPathComponent + "/submitted-ids.jsonl")
    }

    // MARK: - Submit lifecycle

    /// Durably records that a request is about to be sent, before it is sent.
    /// Returns the new task's local id.
    public func recordIntent(_ request: ImageRequest, valid: ValidRequest, profile: String, endpoint: Endpoint, run: Int64? = nil) async throws -> Int64 {
        try await insertDurably([(request, valid)], state: .intent, profile: profile, endpoint: endpoint, run: run)[0]
    }

    /// Inserts tasks in one transaction committed with `synchronous = FULL` (they
    /// must survive a crash or power loss), owned by this process, with their first event.
    func insertDurably(_ requests: [(ImageRequest, ValidRequest)], state: TaskState, profile: String, endpoint: Endpoint,
                       run: Int64?) async throws -> [Int64] {
        let t = now().timeIntervalSince1970
        let encoder = JSONEncoder()
        let rows = try requests.map { (String(decoding: try encoder.encode($0.0), as: UTF8.self), $0.0, $0.1) }
        let endpoint = endpoint.text
        let pid = OwnerToken.mine
        return try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var ids: [Int64] = []
            try db.inTransaction {
                for (requestJSON, request, valid) in rows {
                    try db.cachedStatement(sql: """
                        INSERT INTO task (profile, base_url, model, prompt, task_type, size, aspect_ratio, quality, n, output_format,
                                          request_json, state, owner_pid, created_at, updated_at, run_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [profile, endpoint, valid.modelID, request.prompt, valid.taskType.rawValue,
                                         valid.size?.name ?? valid.rawSize, valid.aspectRatio?.rawValue, valid.quality?.rawValue,
                                         valid.n, valid.outputFormat.rawValue, requestJSON, state.rawValue, pid, t, t, run])
                    let id = db.lastInsertedRowID
                    ids.append(id)
                    try Self.insertOrigins(request.origins, child: id, db: db)
                    try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, ?, NULL, ?)").execute(
                        arguments: [id, state.rawValue, t])
                }
                return .commit
            }
            return ids
        }
    }

    /// Records the server's answer to a submit: the task id, committed at once.
    /// Returns the task as written (nil if its intent row is gone).
    @discardableResult
    public func recordSubmitted(localID: Int64, task: ImageTask) async throws -> TaskRecord? {
        try await recordSubmittedRetiring(localID: localID, task: task).record
    }

    /// `recordSubmitted`, also returning the local ids of the earlier tasks that
    /// held the same id here and ended as lost (see `retireEarlierHolders`), so
    /// that a caller can show where they stand. Everything in one transaction.
    public func recordSubmittedRetiring(localID: Int64, task: ImageTask) async throws -> (record: TaskRecord?, retired: [Int64]) {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            guard let endpoint = try String.fetchOne(db.cachedStatement(sql: "SELECT base_url FROM task WHERE local_id = ?"), arguments: [localID])
            else { return (nil, []) }
            let retired = try Self.retireEarlierHolders(of: task.id, endpoint: endpoint, newer: localID, at: t, db: db)
            try db.cachedStatement(sql: "UPDATE task SET task_id = ?, submitted_at = ?, owner_pid = NULL, updated_at = ? WHERE local_id = ?").execute(
                           arguments: [task.id, t, t, localID])
            try Self.apply(task, localID: localID, at: t, db: db)
            return (try Self.record(localID: localID, db: db), retired)
        }
    }

    /// Records a submit that did not produce a task id.
    /// - Parameters:
    ///   - mayExist: true when the request may have reached the server (timeout,
    ///     dropped connection, 5xx): the task is then "submission unknown".
    ///   - failure: when it certainly did not, why (unreachable, refused, a file unread).
    public func recordSubmitFailure(localID: Int64, message: String, mayExist: Bool, failure: SubmitFailure? = nil) async throws {
        let state: TaskState = mayExist ? .submitUnknown : .submitFailed
        let t = now().timeIntervalSince1970
        try await pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE task SET state = ?, error = ?, submit_failure = ?, owner_pid = NULL, updated_at = ?,
                    finished_at = CASE WHEN ? THEN NULL ELSE ? END WHERE local_id = ?
                """).execute(arguments: [state.rawValue, message, mayExist ? nil : failure?.rawValue, t, mayExist, t, localID])
            try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, ?, NULL, ?)").execute(
                arguments: [localID, state.rawValue, t])
        }
    }

    /// Turns intents left behind by processes that are gone into "submission
    /// unknown", and returns every task in that state (oldest first).
    public func recoverOrphanedIntents() async throws -> [TaskRecord] {
        let t = now().timeIntervalSince1970
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT local_id, owner_pid FROM task WHERE state = 'intent'")
            for row in rows {
                // Alive only if the same process (pid and start time) still runs.
                if let owner = row["owner_pid"] as Int64?, OwnerToken.isAlive(owner) { continue }
                let id: Int64 = row["local_id"]
                try db.cachedStatement(sql: "UPDATE task SET state = 'submit_unknown', owner_pid = NULL, error = ?, updated_at = ? WHERE local_id = ?").execute(
                               arguments: ["darkroom stopped before the server answered; the task may or may not exist", t, id])
                try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, 'submit_unknown', NULL, ?)").execute(arguments: [id, t])
            }
        }
        return try await search(HistoryQuery(states: [.submitUnknown], limit: 1000)).reversed()
    }

    // MARK: - Updates from the server

    /// Applies what the server at `endpoint` said about a task. Returns the record
    /// when it changed, nil when nothing changed or the task is not in history.
    @discardableResult
    public func apply(_ task: ImageTask, endpoint: Endpoint) async throws -> TaskRecord? {
        try await apply([task], endpoint: endpoint)[0]
    }

    /// `apply` for several answers at once, in one write transaction: what the
    /// Studio does with the answers of a burst of queries. Returns, for each
    /// task in order, its record when something changed, nil otherwise.
    /// Either all are written or none (the error is thrown).
    public func apply(_ tasks: [ImageTask], endpoint: Endpoint) async throws -> [TaskRecord?] {
        let t = now().timeIntervalSince1970
        let endpoint = endpoint.text
        // Each record is read back in the same transaction: what was written, with
        // no second trip to a reader connection.
        return try await pool.write { db in
            try tasks.map { task in
                guard let id = try Self.localID(taskID: task.id, endpoint: endpoint, db: db),
                      try Self.apply(task, localID: id, at: t, db: db) else { return nil }
                return try Self.record(localID: id, db: db)
            }
        }
    }

    /// Marks a watched task lost or expired (ends the server never reports).
    @discardableResult
    public func markEnded(taskID: String, endpoint: Endpoint, as end: WatchEnd, message: String) async throws -> TaskRecord? {
        let state: TaskState = end == .lost ? .lost : .expired
        let t = now().timeIntervalSince1970
        let endpoint = endpoint.text
        return try await pool.write { db in
            guard let id = try Self.localID(taskID: taskID, endpoint: endpoint, db: db) else { return nil }
            try Self.end(localID: id, as: state, message: message, at: t, db: db)
            return try Self.record(localID: id, db: db)
        }
    }

    /// Adds a task known only by its id (e.g. `darkroom watch ID` for a task
    /// submitted elsewhere), so that it is watched and kept like the others.
    /// Returns the task, whether it was new or already known on that endpoint.
    @discardableResult
    public func adopt(taskID: String, profile: String, endpoint: Endpoint) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        let endpoint = endpoint.text
        try await pool.write { db in
            guard try Self.localID(taskID: taskID, endpoint: endpoint, db: db) == nil else { return }
            try db.cachedStatement(sql: """
                INSERT INTO task (task_id, profile, base_url, model, prompt, n, request_json, state, created_at, submitted_at, updated_at)
                VALUES (?, ?, ?, '', '', 1, '{}', 'unknown', ?, ?, ?)
                """).execute(arguments: [taskID, profile, endpoint, t, t, t])
        }
        return try await record(taskID: taskID, endpoint: Endpoint(stored: endpoint))
    }

    /// The task this endpoint means by `taskID` now: the newest one that holds it
    /// (a server may hand out an id again after a restart, see `retireEarlierHolders`).
    static func localID(taskID: String, endpoint: String, db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT local_id FROM task WHERE base_url = ? AND task_id = ? ORDER BY local_id DESC LIMIT 1"),
                           arguments: [endpoint, taskID])
    }

    /// A server handed out `taskID` again (a test server restarted on the same
    /// address with a fresh counter): from now on it answers for the newer task.
    /// Earlier tasks of this endpoint that hold the id and are still unfinished
    /// can no longer be asked about, so they end as lost, saying why; finished
    /// ones keep everything. Returns the local ids it ended.
    static func retireEarlierHolders(of taskID: String, endpoint: String, newer: Int64, at t: Double, db: Database) throws -> [Int64] {
        let ids = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT local_id FROM task WHERE base_url = ? AND task_id = ? AND local_id < ? AND state IN \(unfinishedStates)
            """), arguments: [endpoint, taskID, newer])
        let message = "the server gave this task's id to a newer task (#\(newer)), so it can no longer be asked about this one"
        for id in ids { try end(localID: id, as: .lost, message: message, at: t, db: db) }
        return ids
    }

    /// `TaskState.watchable` (the server still owes an answer) as an SQL list.
    static let unfinishedStates = "(" + TaskState.watchable.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// Ends a task that the server will not finish for us (lost, expired), saying why,
    /// with the event in its timeline.
    static func end(localID: Int64, as state: TaskState, message: String, at t: Double, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE task SET state = ?, error = ?, finished_at = ?, updated_at = ? WHERE local_id = ?").execute(
                       arguments: [state.rawValue, message, t, t, localID])
        try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, ?, NULL, ?)").execute(arguments: [localID, state.rawValue, t])
    }

    /// Writes a server update into a row. Returns whether anything changed.
    @discardableResult
    static func apply(_ task: ImageTask, localID: Int64, at t: Double, db: Database) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT state, progress, raw_status, error, result_urls_json, started_at FROM task WHERE local_id = ?"),
                                         arguments: [localID]) else { return false }
        let oldState = TaskState(rawValue: row["state"]) ?? .unknown
        // A final state never goes back (a late, stale answer must not undo it).
        if oldState.isFinal { return false }
        let state = TaskState(task.status)
        let urlsJSON = JSONValue.array(task.resultURLs.map { .string($0) }).serialized()
        let oldProgress: Int? = row["progress"]
        let changed = oldState != state || oldProgress != task.progress || (row["raw_status"] as String?) != task.rawStatus
            || (row["error"] as String?) != task.errorMessage || (row["result_urls_json"] as String) != urlsJSON
        guard changed else { return false }
        let startedAt: Double? = row["started_at"]
        try db.cachedStatement(sql: """
            UPDATE task SET state = ?, raw_status = ?, progress = ?, error = ?, result_urls_json = ?,
                started_at = ?, finished_at = CASE WHEN ? THEN ? ELSE finished_at END, updated_at = ?
            WHERE local_id = ?
            """).execute(arguments: [state.rawValue, task.rawStatus, task.progress, task.errorMessage, urlsJSON,
                             startedAt ?? (state == .processing || state.isFinal ? t : nil),
                             task.status.isFinished, t, t, localID])
        if oldState != state || oldProgress != task.progress {
            try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, ?, ?, ?)").execute(
                           arguments: [localID, state.rawValue, task.progress, t])
        }
        for (i, url) in task.resultURLs.enumerated() {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO result (local_id, idx, url, state, updated_at) VALUES (?, ?, ?, 'pending', ?)").execute(
                           arguments: [localID, i, url, t])
        }
        return true
    }

    // MARK: - Reading

    /// One task with its results and timeline.
    public func record(localID: Int64) async throws -> TaskRecord? {
        try await pool.read { db in try Self.record(localID: localID, db: db) }
    }

    static func record(localID: Int64, db: Database) throws -> TaskRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.taskColumns) FROM task WHERE local_id = ?"), arguments: [localID]) else { return nil }
        return try fullRecord(row, db: db)
    }

    /// The task with this id on this endpoint (the newest, if the server handed it out again).
    public func record(taskID: String, endpoint: Endpoint) async throws -> TaskRecord? {
        let endpoint = endpoint.text
        return try await pool.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.taskColumns) FROM task WHERE base_url = ? AND task_id = ? ORDER BY local_id DESC LIMIT 1"),
                                             arguments: [endpoint, taskID])
            else { return nil }
            return try Self.fullRecord(row, db: db)
        }
    }

    /// Every task with this id, on any endpoint (newest first): for a user who
    /// names a task by its id alone.
    public func records(taskID: String) async throws -> [TaskRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.taskColumns) FROM task WHERE task_id = ? ORDER BY local_id DESC", arguments: [taskID])
                .map { try Self.fullRecord($0, db: db) }
        }
    }

    /// Stops (`watched` false) or resumes following a task; returns it.
    @discardableResult
    public func setWatched(localID: Int64, _ watched: Bool) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE task SET unwatched_at = ?, updated_at = ? WHERE local_id = ?").execute(
                           arguments: [watched ? nil : t, t, localID])
        }
        return try await record(localID: localID)
    }

    /// Tasks the user stopped watching that the server still owes an answer for, on one endpoint.
    public func unwatched(endpoint: Endpoint) async throws -> [TaskRecord] {
        let endpoint = endpoint.text
        return try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.taskColumns) FROM task WHERE task_id IS NOT NULL AND state IN \(Self.unfinishedStates)
                  AND unwatched_at IS NOT NULL AND base_url = ? ORDER BY local_id
                """, arguments: [endpoint]).map { try RecordDecoding.record($0) }
        }
    }

    /// Tasks the server still owes an answer for and the user watches, on one endpoint (oldest first).
    public func unfinished(endpoint: Endpoint? = nil) async throws -> [TaskRecord] {
        let endpoint = endpoint?.text
        return try await pool.read { db in
            var sql = "SELECT \(Self.taskColumns) FROM task WHERE task_id IS NOT NULL AND state IN \(Self.unfinishedStates) AND unwatched_at IS NULL"
            var args = StatementArguments()
            if let e = endpoint { sql += " AND base_url = ?"; args += [e] }
            sql += " ORDER BY local_id"
            return try Row.fetchAll(db, sql: sql, arguments: args).map { try RecordDecoding.record($0) }
        }
    }

    /// A task with its results and timeline; the statements are prepared once per connection.
    static func fullRecord(_ row: Row, db: Database) throws -> TaskRecord {
        var r = try RecordDecoding.record(row)
        r.results = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM result WHERE local_id = ? ORDER BY idx"), arguments: [r.localID])
            .map(RecordDecoding.result)
        r.events = try Row.fetchAll(db.cachedStatement(sql: "SELECT state, progress, at FROM task_event WHERE local_id = ? ORDER BY id"),
                                    arguments: [r.localID]).map(RecordDecoding.event)
        return r
    }
}

extension HistoryStore {
    /// Whether a failed history call may well succeed if tried again soon: the
    /// file locked by another program, not a full disk or a damaged file.
    public static func isTransient(_ error: any Error) -> Bool {
        guard let e = error as? DatabaseError else { return false }
        return e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED
    }

    /// An error from the history as a sentence ("database is locked", "database or
    /// disk is full"), without SQL or Swift type names.
    public static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError {
            let m = e.message ?? "SQLite error \(e.resultCode.rawValue)"
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "\(m): another program holds it"
            case .SQLITE_FULL: return "\(m)"
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN: return "\(m): check the file's permissions"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return "\(m): the file is damaged. Move it aside (e.g. add .damaged to its name) and darkroom starts a new history; "
                    + "the pictures and their .json sidecars stay where they are, and `sqlite3 FILE .recover` may rescue its rows"
            default: return m
            }
        }
        // Foundation's file errors (a data folder that is a file, say) in words.
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain { return FileErrorText.describe(error) }
        // Cast through Any: Swift warns that `any Error as? CustomStringConvertible`
        // always succeeds, yet on Linux it fails for an error that does not conform.
        if let e = (error as Any) as? any CustomStringConvertible { return TerminalSanitizer.clean(e.description) }
        return TerminalSanitizer.clean(error.localizedDescription)
    }
}

/// The two ends of a watched task that darkroom decides, not the server.
public enum WatchEnd: Sendable { case lost, expired }

enum ProcessLiveness {
    /// Whether a process with this id exists (it may belong to another user).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
