import DarkroomCore
import Foundation
import GRDB

extension HistoryStore {
    /// A page of tasks, newest first. Pass the last `localID` of a page as
    /// `before` to get the next one: every page costs the same, however deep.
    public func search(_ q: HistoryQuery) async throws -> [TaskRecord] {
        let (sql, args, order) = Self.sql(for: q, select: Self.taskColumns)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql + " ORDER BY \(order) DESC LIMIT ?", arguments: args + [max(1, min(q.limit, 1000))])
                .map { try RecordDecoding.record($0) }
        }
    }

    /// Every task the query matches (its `before` and `limit` ignored), oldest
    /// first, read page by page: for a run's tasks, or the unsent requests.
    public func searchAll(_ q: HistoryQuery) async throws -> [TaskRecord] {
        var q = q
        q.limit = 1000
        q.before = nil
        var out: [TaskRecord] = []
        while true {
            let page = try await search(q)
            out += page
            guard page.count == 1000, let last = page.last else { break }
            q.before = last.localID
        }
        return out.reversed()
    }

    /// A page like `search`, each task with its results and timeline, read in one
    /// transaction with three queries (not two more per task).
    public func searchWithDetails(_ q: HistoryQuery) async throws -> [TaskRecord] {
        let page = try await search(q)
        guard !page.isEmpty else { return [] }
        return try await pool.read { db in
            let ids = page.map(\.localID)
            let marks = ids.map { _ in "?" }.joined(separator: ",")
            var results: [Int64: [ResultRecord]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM result WHERE local_id IN (\(marks)) ORDER BY local_id, idx",
                                        arguments: StatementArguments(ids)) {
                results[row["local_id"], default: []].append(RecordDecoding.result(row))
            }
            var events: [Int64: [TaskEvent]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT local_id, state, progress, at FROM task_event WHERE local_id IN (\(marks)) ORDER BY id",
                                        arguments: StatementArguments(ids)) {
                events[row["local_id"], default: []].append(RecordDecoding.event(row))
            }
            return page.map { r in
                var r = r
                r.results = results[r.localID] ?? []
                r.events = events[r.localID] ?? []
                return r
            }
        }
    }

    /// How many tasks match (ignoring `before` and `limit`).
    public func count(_ q: HistoryQuery = HistoryQuery()) async throws -> Int {
        var all = q
        all.before = nil
        let (sql, args, _) = Self.sql(for: all, select: "COUNT(*)")
        return try await pool.read { db in try Int.fetchOne(db, sql: sql, arguments: args) ?? 0 }
    }

    /// Counts of tasks per state.
    public func stateCounts() async throws -> [TaskState: Int] {
        try await pool.read { db in
            var out: [TaskState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM task GROUP BY state") {
                if let s = TaskState(rawValue: row["state"]) { out[s] = row["n"] }
            }
            return out
        }
    }

    /// A task's columns with its tags and starred pictures, as `RecordDecoding` reads them.
    static let taskColumns = """
        task.*, (SELECT group_concat(tag, ' ') FROM task_tag WHERE task_tag.local_id = task.local_id) AS tags, \
        (SELECT group_concat(idx, ' ') FROM result WHERE result.local_id = task.local_id AND result.starred_at IS NOT NULL) AS starred_pictures
        """

    /// The query's SQL and arguments, and the column a page is ordered and
    /// keyed by (`before`): the one that lets SQLite walk the matches newest
    /// first and stop at the page size, instead of sorting them all.
    static func sql(for q: HistoryQuery, select: String) -> (String, StatementArguments, order: String) {
        var sql = "SELECT \(select) FROM task"
        var conditions: [String] = []
        var args: [DatabaseValueConvertible?] = []
        var order = "task.local_id"
        let terms = SearchTerms(q.text)
        let words = terms.words
        var tags = q.tags
        for t in terms.tags where !tags.contains(t) { tags.append(t) }
        // The trigram index matches substrings of three characters or more;
        // shorter words are matched with LIKE on the rows the index left.
        let indexed = words.filter { $0.count >= 3 }
        if !indexed.isEmpty {
            // The text index leads: its rowids are the tasks' ids.
            sql += " JOIN task_fts ON task_fts.rowid = task.local_id"
            order = "task_fts.rowid"
            conditions.append("task_fts MATCH ?")
            args.append(indexed.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND "))
        } else if let first = tags.first {
            // No text: the first tag's index leads (a few thousand rows at most, newest
            // first), so a rare tag or an unused one costs nothing, not a scan of every task.
            sql += " JOIN task_tag AS lead ON lead.local_id = task.local_id"
            order = "lead.local_id"
            conditions.append("lead.tag = ?")
            args.append(first.name)
            tags.removeFirst()
        }
        for w in words where w.count < 3 {
            conditions.append("task.prompt LIKE ? ESCAPE '\\'")
            let escaped = w.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            args.append("%\(escaped)%")
        }
        for t in tags {
            conditions.append("EXISTS (SELECT 1 FROM task_tag WHERE task_tag.tag = ? AND task_tag.local_id = task.local_id)")
            args.append(t.name)
        }
        if q.starred || terms.starred {
            conditions.append("(task.starred_at IS NOT NULL OR EXISTS (SELECT 1 FROM result WHERE result.local_id = task.local_id AND result.starred_at IS NOT NULL))")
        }
        switch q.hidden {
        case .all: break
        case .shown: conditions.append("task.hidden_at IS NULL")
        case .hidden: conditions.append("task.hidden_at IS NOT NULL")
        }
        if !q.states.isEmpty {
            conditions.append("task.state IN (\(q.states.map { _ in "?" }.joined(separator: ",")))")
            args += q.states.map(\.rawValue).sorted()
        }
        if let m = q.model { conditions.append("task.model = ?"); args.append(m) }
        if let r = q.run { conditions.append("task.run_id = ?"); args.append(r) }
        if let p = q.profile { conditions.append("task.profile = ?"); args.append(p) }
        if let s = q.since { conditions.append("task.created_at >= ?"); args.append(s.timeIntervalSince1970) }
        if let u = q.until { conditions.append("task.created_at < ?"); args.append(u.timeIntervalSince1970) }
        if let b = q.before {
            conditions.append("\(order) < ?")
            args.append(b)
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return (sql, StatementArguments(args), order)
    }
}

extension HistoryStore {
    /// Distinct prompts, most recently used first, optionally only those that
    /// match `text` (the same word search as `search`). For prompt recall.
    /// - Parameter limit: at most this many (1...1000, default 200).
    public func recentPrompts(matching text: String? = nil, limit: Int = 200) async throws -> [String] {
        let (sql, args, _) = Self.sql(for: HistoryQuery(text: text), select: "task.prompt AS prompt, MAX(task.local_id) AS last")
        let filter = sql.contains(" WHERE ") ? " AND task.prompt <> ''" : " WHERE task.prompt <> ''"
        return try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT prompt FROM (" + sql + filter + " GROUP BY task.prompt) ORDER BY last DESC LIMIT ?",
                                arguments: args + [max(1, min(limit, 1000))])
        }
    }
}
