import DarkroomCore
import Foundation
import GRDB

extension HistoryStore {
    /// Claims a result for download, so two darkroom processes never fetch the
    /// same file. A claim older than `staleAfter` (a process that died) can be
    /// taken over. Returns false when someone else holds it or it is saved.
    public func claimDownload(localID: Int64, index: Int, force: Bool = false, staleAfter: TimeInterval = 300) throws -> Bool {
        let t = now().timeIntervalSince1970
        let me = Int(getpid())
        return try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, claimed_by, claimed_at FROM result WHERE local_id = ? AND idx = ?",
                                             arguments: [localID, index]) else { return false }
            let state = ResultState(rawValue: row["state"]) ?? .pending
            let claimer: Int? = row["claimed_by"]
            let claimedAt: Double? = row["claimed_at"]
            let free: Bool
            switch state {
            case .pending, .failed: free = true
            case .saved, .expired: free = force
            case .downloading:
                // A claim is void when its process is gone or it is too old.
                let dead = claimer.map { $0 != me && !ProcessLiveness.isAlive(Int32($0)) } ?? true
                free = dead || (claimedAt ?? 0) < t - staleAfter
            }
            guard free else { return false }
            try db.execute(sql: "UPDATE result SET state = 'downloading', claimed_by = ?, claimed_at = ?, updated_at = ? WHERE local_id = ? AND idx = ?",
                           arguments: [me, t, t, localID, index])
            return true
        }
    }

    /// Records a saved file.
    public func recordDownload(localID: Int64, index: Int, file: SavedResult) throws {
        let t = now().timeIntervalSince1970
        try pool.write { db in
            try db.execute(sql: """
                UPDATE result SET state = 'saved', path = ?, bytes = ?, format = ?, width = ?, height = ?, sha256 = ?,
                    attempts = attempts + 1, error = NULL, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE local_id = ? AND idx = ?
                """, arguments: [file.path, file.bytes, file.format.rawValue, file.width, file.height, file.sha256, t, localID, index])
        }
    }

    /// Records a failed download; the URL stays, so it can be retried or shown.
    public func recordDownloadFailure(localID: Int64, index: Int, message: String, expired: Bool) throws {
        let t = now().timeIntervalSince1970
        try pool.write { db in
            try db.execute(sql: """
                UPDATE result SET state = ?, error = ?, attempts = attempts + 1, claimed_by = NULL, claimed_at = NULL, updated_at = ?
                WHERE local_id = ? AND idx = ?
                """, arguments: [expired ? "expired" : "failed", message, t, localID, index])
        }
    }

    /// Results of succeeded tasks that are not saved yet (pending, claimed by
    /// someone, or failed fewer than `maxAttempts` times), oldest first.
    /// `claimDownload` decides which of them may be fetched now.
    public func pendingDownloads(maxAttempts: Int = 3) throws -> [(localID: Int64, result: ResultRecord)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT result.* FROM result JOIN task ON task.local_id = result.local_id
                WHERE task.state = 'succeeded'
                  AND (result.state IN ('pending', 'downloading') OR (result.state = 'failed' AND result.attempts < ?))
                ORDER BY result.local_id, result.idx
                """, arguments: [maxAttempts]).map { ($0["local_id"], RecordDecoding.result($0)) }
        }
    }
}
