import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// Histories written while `(base_url, task_id)` was unique (schema v4) upgrade
/// in place with nothing lost, and then take an id their server hands out again.
@Suite("The v5 migration: ids a server hands out again")
struct MigrationV5Tests {
    @Test("a history written by the v4 schema upgrades in place: tasks, events, results, search and local ids kept")
    func migratesV4() async throws {
        let dir = TempFolder()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/history-v4.sqlite")
        try FileManager.default.createDirectory(atPath: (dir.dbPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: dir.dbPath)

        let s = try HistoryStore(path: dir.dbPath)
        let (migrations, counts, problems) = try await s.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_event")!,
              try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result")!],
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(migrations.contains("v5-ids-reused-by-one-server") && migrations.last == HistoryMigrations.latest)
        #expect(counts == [11, 40, 14])
        #expect(problems == 0)
        let three = try #require(try await s.record(taskID: "task_si00004", endpoint: "http://127.0.0.1:18999"))
        #expect(three.localID == 3 && three.state == .succeeded && three.request.prompt == "standin 3")
        #expect(three.results.map(\.state) == [.saved, .saved, .saved])
        // The prompt index still finds them (every word, newest first: "standin again 3" and "standin 3").
        #expect(try await s.search(HistoryQuery(text: "standin 3", limit: 10)).map(\.localID) == [8, 3])

        // The id the restarted server handed out again now goes to the newer task;
        // local ids go on from the highest ever given.
        let request = ImageRequest(model: "NanoBanana", prompt: "after the upgrade")
        let intent = try await s.recordIntent(request, valid: try RequestValidator.validate(request).get(), profile: "default",
                                              endpoint: "http://127.0.0.1:18999")
        #expect(intent == 12)
        let newer = try #require(try await s.recordSubmitted(localID: intent, task: ImageTask(id: "task_si00004", status: .queued)))
        #expect(newer.taskID == "task_si00004")
        #expect(try await s.record(taskID: "task_si00004", endpoint: "http://127.0.0.1:18999")?.localID == 12)
        #expect(try await s.record(localID: 3)?.results.map(\.state) == [.saved, .saved, .saved])
        let added = try await s.search(HistoryQuery(text: "after the upgrade", limit: 10))
        #expect(added.map(\.localID) == [12])
    }
}
