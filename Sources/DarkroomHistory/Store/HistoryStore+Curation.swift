import DarkroomCore
import Foundation
import GRDB

/// Stars, tags and hidden tasks: what the user keeps, files and puts away.
/// Each call changes one task and returns it as now stored (nil: no such task).
extension HistoryStore {
    /// Stars the task (`picture` nil) or one of its pictures (its result index),
    /// or takes the star off (`on` false). Off for the task takes every star off,
    /// its pictures' too: a task shown starred is not starred any more. A picture
    /// the task does not have is refused with `CurationError.noSuchPicture`.
    @discardableResult
    public func setStarred(localID: Int64, picture: Int? = nil, _ on: Bool) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            guard try Self.exists(localID, db) else { return nil }
            if let picture {
                try db.execute(sql: "UPDATE result SET starred_at = ? WHERE local_id = ? AND idx = ?", arguments: [on ? t : nil, localID, picture])
                guard db.changesCount > 0 else { throw CurationError.noSuchPicture(localID: localID, index: picture) }
            } else {
                try db.execute(sql: "UPDATE task SET starred_at = ? WHERE local_id = ?", arguments: [on ? t : nil, localID])
                if !on { try db.execute(sql: "UPDATE result SET starred_at = NULL WHERE local_id = ?", arguments: [localID]) }
            }
            return try Self.record(localID: localID, db: db)
        }
    }

    /// Hides the task (kept, with its files, but left out of lists, searches and
    /// the gallery until shown again) or shows it (`on` false).
    @discardableResult
    public func setHidden(localID: Int64, _ on: Bool) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            try db.execute(sql: "UPDATE task SET hidden_at = CASE WHEN ? THEN COALESCE(hidden_at, ?) ELSE NULL END WHERE local_id = ?",
                           arguments: [on, t, localID])
            return try Self.record(localID: localID, db: db)
        }
    }

    /// Adds and removes tags (adding one the task has, or removing one it has
    /// not, changes nothing).
    @discardableResult
    public func changeTags(localID: Int64, add: [TaskTag] = [], remove: [TaskTag] = []) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            guard try Self.exists(localID, db) else { return nil }
            for tag in remove {
                try db.execute(sql: "DELETE FROM task_tag WHERE local_id = ? AND tag = ?", arguments: [localID, tag.name])
            }
            for tag in add {
                try db.execute(sql: "INSERT OR IGNORE INTO task_tag (local_id, tag, added_at) VALUES (?, ?, ?)", arguments: [localID, tag.name, t])
            }
            return try Self.record(localID: localID, db: db)
        }
    }

    /// Gives the task exactly these tags (the TUI's `T` line), in one write; a tag
    /// it keeps keeps when it was added.
    @discardableResult
    public func setTags(localID: Int64, _ tags: [TaskTag]) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            guard try Self.exists(localID, db) else { return nil }
            let names = tags.map(\.name)
            let marks = names.map { _ in "?" }.joined(separator: ",")
            var args: [any DatabaseValueConvertible] = [localID]
            args += names
            try db.execute(sql: "DELETE FROM task_tag WHERE local_id = ?" + (names.isEmpty ? "" : " AND tag NOT IN (\(marks))"),
                           arguments: StatementArguments(args))
            for name in names {
                try db.execute(sql: "INSERT OR IGNORE INTO task_tag (local_id, tag, added_at) VALUES (?, ?, ?)", arguments: [localID, name, t])
            }
            return try Self.record(localID: localID, db: db)
        }
    }

    /// Every tag in use with how many tasks carry it, most used first (then by
    /// name): for completion.
    public func tagCounts() async throws -> [(tag: TaskTag, count: Int)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT tag, COUNT(*) AS n FROM task_tag GROUP BY tag ORDER BY n DESC, tag")
                .map { (TaskTag(stored: $0["tag"]), $0["n"]) }
        }
    }

    /// Hidden tasks created before `createdBefore`, with their results, oldest
    /// first: what `purge` would remove.
    public func purgeCandidates(createdBefore: Date) async throws -> [TaskRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.taskColumns) FROM task WHERE hidden_at IS NOT NULL AND created_at < ? ORDER BY local_id",
                             arguments: [createdBefore.timeIntervalSince1970])
                .map { try Self.fullRecord($0, db: db) }
        }
    }

    /// Removes hidden tasks' rows (events, results, tags, lineage rows as a child
    /// go with them; a child of a removed task keeps its record of what was sent).
    /// A task no longer hidden is kept: the list was shown before the user said
    /// yes, and another process may have shown it since. So is one that has not
    /// ended (`TaskState.isFinal`): the server may still make, and bill, it.
    /// Returns the ids removed. The files are the caller's to remove (after this returns).
    public func purge(localIDs: [Int64]) async throws -> [Int64] {
        let final = TaskState.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return try await pool.write { db in
            var removed: [Int64] = []
            for id in localIDs {
                try db.execute(sql: "DELETE FROM task WHERE local_id = ? AND hidden_at IS NOT NULL AND state IN (\(final))", arguments: [id])
                if db.changesCount > 0 { removed.append(id) }
            }
            return removed
        }
    }

    static func exists(_ localID: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM task WHERE local_id = ?"), arguments: [localID]) ?? false
    }
}

/// A curation call refused.
public enum CurationError: Error, Equatable, CustomStringConvertible {
    case noSuchPicture(localID: Int64, index: Int)

    public var description: String {
        switch self {
        case .noSuchPicture(let id, let i): return "Task #\(id) has no picture \(i + 1)."
        }
    }
}
