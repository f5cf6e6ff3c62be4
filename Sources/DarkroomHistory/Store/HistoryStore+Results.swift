import DarkroomCore
import Foundation
import GRDB

/// The answer to "may this process fetch that result now?".
public enum DownloadClaim: Sendable, Equatable {
    /// Claimed: this process fetches it, then records the outcome.
    case granted
    /// Another live process is fetching it (its pid): wait for it to finish.
    case heldElsewhere(pid: Int32)
    /// This process is fetching it already.
    case runningHere
    /// Nothing to do: saved or expired (without `force`), or not in history.
    case notNeeded
}

extension HistoryStore {
    /// Claims a result for download, so two darkroom processes never fetch the
    /// same file. A claim older than `staleAfter` or held by a process that is
    /// gone can be taken over. With `force`, a saved or expired result is
    /// claimed too (to fetch it again): its state stays as it is meanwhile, so
    /// its file and preview stay in use.
    public func claimDownload(localID: Int64, index: Int, force: Bool = false, staleAfter: TimeInterval = 300) async throws -> DownloadClaim {
        try await claimDownloads(localID: localID, indexes: [index], force: force, staleAfter: staleAfter)[0]
    }

    /// `claimDownload` for several results of one task, in one transaction
    /// (each decided as that would); the claims come back in `indexes`' order.
    public func claimDownloads(localID: Int64, indexes: [Int], force: Bool = false, staleAfter: TimeInterval = 300) async throws -> [DownloadClaim] {
        let t = now().timeIntervalSince1970
        let me = Int(getpid())
        return try await pool.write { db in
            try indexes.map { index in try Self.claim(localID: localID, index: index, force: force, at: t, me: me, staleAfter: staleAfter, db: db) }
        }
    }

    private static func claim(localID: Int64, index: Int, force: Bool, at t: TimeInterval, me: Int, staleAfter: TimeInterval,
                              db: Database) throws -> DownloadClaim {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT state, claimed_by, claimed_at FROM result WHERE local_id = ? AND idx = ?"), arguments: [localID, index]) else { return .notNeeded }
        let state = ResultState(rawValue: row["state"]) ?? .pending
        let claimer: Int? = row["claimed_by"]
        let claimedAt: Double? = row["claimed_at"]
        // A claim counts while its process lives and it is fresh.
        let heldBy: Int? = claimer.flatMap { c in
            (c == me || ProcessLiveness.isAlive(Int32(c))) && (claimedAt ?? 0) >= t - staleAfter ? c : nil
        }
        if heldBy == me, state == .downloading || ((state == .saved || state == .expired) && force) { return .runningHere }
        switch state {
        case .refused:
            return .notNeeded
        case .saved, .expired:
            guard force else { return .notNeeded }
            if let h = heldBy { return .heldElsewhere(pid: Int32(h)) }
            try db.cachedStatement(sql: "UPDATE result SET claimed_by = ?, claimed_at = ?, updated_at = ? WHERE local_id = ? AND idx = ?").execute(
                           arguments: [me, t, t, localID, index])
            return .granted
        case .downloading:
            if let h = heldBy { return .heldElsewhere(pid: Int32(h)) }
        case .pending, .failed:
            break
        }
        try db.cachedStatement(sql: "UPDATE result SET state = 'downloading', claimed_by = ?, claimed_at = ?, updated_at = ? WHERE local_id = ? AND idx = ?").execute(
                       arguments: [me, t, t, localID, index])
        return .granted
    }

    /// Records a saved file. Returns the task as it stands then, read in the
    /// same transaction (nil if it is gone).
    @discardableResult
    public func recordDownload(localID: Int64, index: Int, file: SavedResult) async throws -> TaskRecord? {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE result SET state = 'saved', path = ?, bytes = ?, format = ?, width = ?, height = ?, sha256 = ?,
                    attempts = attempts + 1, error = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE local_id = ? AND idx = ?
                """).execute(arguments: [file.path, file.bytes, file.format.rawValue, file.width, file.height, file.sha256, t, localID, index])
            return try Self.record(localID: localID, db: db)
        }
    }

    /// Records a failed download; the URL stays, so it can be retried or shown.
    ///
    /// Downloading again never makes things worse: when the result is already
    /// saved and its file is still on disk, it stays saved (file, checksum,
    /// preview) and the failure is kept beside it as "re-download failed: ...".
    /// Returns whether the saved copy was kept.
    @discardableResult
    public func recordDownloadFailure(localID: Int64, index: Int, message: String, expired: Bool, refused: Bool = false) async throws -> Bool {
        let t = now().timeIntervalSince1970
        return try await pool.write { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT state, path FROM result WHERE local_id = ? AND idx = ?"), arguments: [localID, index])
            let path: String? = row?["path"]
            if (row?["state"] as String?) == ResultState.saved.rawValue, let path, FileManager.default.fileExists(atPath: path) {
                try db.cachedStatement(sql: """
                    UPDATE result SET error = ?, attempts = attempts + 1, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                    WHERE local_id = ? AND idx = ?
                    """).execute(arguments: ["re-download failed: \(message); the saved copy is kept", t, localID, index])
                return true
            }
            try db.cachedStatement(sql: """
                UPDATE result SET state = ?, error = ?, attempts = attempts + 1, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE local_id = ? AND idx = ?
                """).execute(arguments: [refused ? "refused" : expired ? "expired" : "failed", message, t, localID, index])
            return false
        }
    }

    /// Results of succeeded tasks that are not saved yet (pending, claimed by
    /// someone, or failed fewer than `maxAttempts` times), oldest first.
    /// `claimDownload` decides which of them may be fetched now.
    public func pendingDownloads(maxAttempts: Int = 3) async throws -> [(localID: Int64, result: ResultRecord)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT result.* FROM result JOIN task ON task.local_id = result.local_id
                WHERE task.state = 'succeeded'
                  AND (result.state IN ('pending', 'downloading') OR (result.state = 'failed' AND result.attempts < ?))
                ORDER BY result.local_id, result.idx
                """, arguments: [maxAttempts]).map { ($0["local_id"], RecordDecoding.result($0)) }
        }
    }

    /// The results of a task that another live process is downloading now.
    public func downloadsHeldElsewhere(localID: Int64, staleAfter: TimeInterval = 300) async throws -> [Int] {
        let t = now().timeIntervalSince1970
        let me = Int(getpid())
        return try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT idx, claimed_by, claimed_at FROM result WHERE local_id = ? AND claimed_by IS NOT NULL",
                             arguments: [localID]).compactMap { row -> Int? in
                let c: Int = row["claimed_by"]
                let at: Double = row["claimed_at"] ?? 0
                return c != me && ProcessLiveness.isAlive(Int32(c)) && at >= t - staleAfter ? row["idx"] : nil
            }
        }
    }
}
