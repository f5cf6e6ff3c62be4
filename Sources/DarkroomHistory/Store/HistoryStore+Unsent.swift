import DarkroomCore
import Foundation
import GRDB

/// The requests of a run that are not sent yet.
///
/// A run's requests are all recorded before the first is sent, as `waiting`
/// (owned by the process whose submit queue holds them). Each is sent only
/// after it is taken from `waiting` to `intent` in one write (`takeWaiting`), so
/// no request is ever sent twice, whichever processes look at it. A request
/// left `waiting` by a process that died becomes `paused` at the next start:
/// never sent by itself, it waits for the user to resume or cancel it.
extension HistoryStore {
    /// Records requests to be sent later by this process, in one durable write. Returns their local ids, in order.
    public func recordWaiting(_ requests: [(ImageRequest, ValidRequest)], profile: String, endpoint: Endpoint, run: Int64?) async throws -> [Int64] {
        try await insertDurably(requests, state: .waiting, profile: profile, endpoint: endpoint, run: run)
    }

    /// Takes a waiting request to send it now (`waiting` → `intent`, owned by
    /// this process). False when it is not waiting any more (paused, cancelled,
    /// or taken by someone else): then it must not be sent.
    public func takeWaiting(localID: Int64) async throws -> Bool {
        let t = now().timeIntervalSince1970
        let pid = OwnerToken.mine
        return try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE task SET state = 'intent', owner_pid = ?, updated_at = ? WHERE local_id = ? AND state = 'waiting'")
                .execute(arguments: [pid, t, localID])
            guard db.changesCount == 1 else { return false }
            try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, 'intent', NULL, ?)").execute(arguments: [localID, t])
            return true
        }
    }

    /// Puts a request of a run that was being sent (`intent`) back to `waiting`,
    /// owned by this process, when its submit certainly created nothing (a 429):
    /// it is sent again at its turn, or by `run resume` if this process stops.
    /// Returns whether it moved.
    @discardableResult
    public func requeue(localID: Int64, reason: String) async throws -> Bool {
        let t = now().timeIntervalSince1970
        let pid = OwnerToken.mine
        return try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE task SET state = 'waiting', owner_pid = ?, error = ?, updated_at = ? WHERE local_id = ? AND state = 'intent'")
                .execute(arguments: [pid, reason, t, localID])
            guard db.changesCount == 1 else { return false }
            try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, 'waiting', NULL, ?)").execute(arguments: [localID, t])
            return true
        }
    }

    /// Moves unsent requests from one unsent state to another and returns those
    /// moved: `paused` (held, owner cleared, with `reason`), `waiting` (to be
    /// sent by this process), or `cancelled` (final; nothing was sent).
    @discardableResult
    public func moveUnsent(_ localIDs: [Int64], to state: TaskState, reason: String? = nil) async throws -> [Int64] {
        precondition(state == .paused || state == .waiting || state == .cancelled, "not a state of an unsent request")
        let from: [TaskState] = switch state {
        case .waiting: [.paused]
        case .paused: [.waiting]
        default: [.waiting, .paused]
        }
        let t = now().timeIntervalSince1970
        let owner: Int64? = state == .waiting ? OwnerToken.mine : nil
        let message: String? = switch state {
        case .cancelled: reason ?? "cancelled before it was sent; nothing was sent"
        case .paused: reason ?? "paused before it was sent"
        default: nil
        }
        return try await pool.write { db in
            var moved: [Int64] = []
            for id in localIDs {
                try db.cachedStatement(sql: """
                    UPDATE task SET state = ?, owner_pid = ?, error = ?, updated_at = ?,
                        finished_at = CASE WHEN ? THEN ? ELSE NULL END
                    WHERE local_id = ? AND state IN (\(from.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                    """).execute(arguments: [state.rawValue, owner, message, t, state == .cancelled, t, id])
                guard db.changesCount == 1 else { continue }
                moved.append(id)
                try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, ?, NULL, ?)").execute(
                    arguments: [id, state.rawValue, t])
            }
            return moved
        }
    }

    /// Pauses the requests for `endpoint` this process still holds waiting (it
    /// is stopping before their turn); returns how many.
    @discardableResult
    public func pauseOwnWaiting(endpoint: Endpoint, reason: String) async throws -> Int {
        let t = now().timeIntervalSince1970
        let pid = OwnerToken.mine
        let endpoint = endpoint.text
        return try await pool.write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT local_id FROM task WHERE state = 'waiting' AND owner_pid = ? AND base_url = ?",
                                         arguments: [pid, endpoint])
            for id in ids {
                try db.cachedStatement(sql: "UPDATE task SET state = 'paused', owner_pid = NULL, error = ?, updated_at = ? WHERE local_id = ?").execute(
                    arguments: [reason, t, id])
                try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, 'paused', NULL, ?)").execute(arguments: [id, t])
            }
            return ids.count
        }
    }

    /// The unsent requests of a run (or of every run with nil), oldest first.
    public func unsent(run: Int64?) async throws -> [TaskRecord] {
        var q = HistoryQuery(states: Set(TaskState.unsent))
        q.run = run
        return try await searchAll(q)
    }

    /// Pauses the requests left waiting by processes that are gone (they were
    /// never sent), and returns every paused request, oldest first.
    public func recoverOrphanedWaiting() async throws -> [TaskRecord] {
        let t = now().timeIntervalSince1970
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT local_id, owner_pid FROM task WHERE state = 'waiting'")
            for row in rows {
                // Alive only if the same process (pid and start time) still runs.
                if let owner = row["owner_pid"] as Int64?, OwnerToken.isAlive(owner) { continue }
                let id: Int64 = row["local_id"]
                try db.cachedStatement(sql: "UPDATE task SET state = 'paused', owner_pid = NULL, error = ?, updated_at = ? WHERE local_id = ?").execute(
                    arguments: ["not sent: darkroom stopped before its turn; resume or cancel it", t, id])
                try db.cachedStatement(sql: "INSERT INTO task_event (local_id, state, progress, at) VALUES (?, 'paused', NULL, ?)").execute(arguments: [id, t])
            }
        }
        return try await searchAll(HistoryQuery(states: [.paused]))
    }
}
