import DarkroomCore
import Foundation
import GRDB

extension HistoryStore {
    /// Typical durations per kind of task (see `ProgressEstimate.kind`), from the
    /// newest 2,000 succeeded tasks.
    public func typicalDurations() async throws -> [String: TimeInterval] {
        // Rows are not Sendable: turn them into values inside the read, so the async read is used.
        let samples: [(String, Double)] = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT model, size, finished_at - COALESCE(submitted_at, created_at) AS seconds FROM task
                WHERE state = 'succeeded' AND finished_at IS NOT NULL ORDER BY local_id DESC LIMIT 2000
                """).map { r in (ProgressEstimate.kind(model: r["model"], size: r["size"]), r["seconds"] ?? 0) }
        }
        return ProgressEstimate.typicalDurations(samples)
    }
}
