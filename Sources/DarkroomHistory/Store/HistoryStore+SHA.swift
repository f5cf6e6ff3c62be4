import DarkroomCore
import Foundation
import GRDB

extension HistoryStore {
    /// The saved result whose bytes have this SHA-256 (the newest, if several), as
    /// (task, picture index): `darkroom recall` finds an original by its content.
    /// - Parameter path: the file's own path: a result saved at that path with those
    ///   bytes wins (a rerun can make a picture with the same bytes).
    public func result(sha256: String, path: String? = nil) async throws -> (TaskRecord, Int)? {
        let hit = try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT local_id, idx FROM result WHERE sha256 = ?
                ORDER BY (path = ?) DESC, local_id DESC LIMIT 1
                """, arguments: [sha256.lowercased(), path])
        }
        guard let hit, let record = try await record(localID: hit["local_id"]) else { return nil }
        return (record, hit["idx"])
    }
}
