import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// The prompt search index (FTS5, trigram) follows the prompt, and only the
/// prompt: a task's every progress change is one row written, not the index
/// row deleted and written again with it.
@Suite("The prompt search index")
struct SearchIndexTests {
    /// The index's own storage (segments) and SQLite's count of rows changed.
    static func indexBlocks(_ path: String) throws -> Int {
        let db = try DatabaseQueue(path: path)
        defer { try? db.close() }
        return try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM task_fts_data")! }
    }

    @Test("status and progress changes leave the index as it was, and every prompt is still found")
    func progressLeavesTheIndex() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let t = try await s.addSubmitted("a lighthouse at dusk", id: "task_a")
        try await s.addSubmitted("a red fox in snow", id: "task_b")
        let before = try Self.indexBlocks(dir.dbPath)
        for p in stride(from: 5, through: 95, by: 5) {
            try await s.apply(ImageTask(id: "task_a", status: .processing, progress: p))
        }
        try await s.apply(ImageTask(id: "task_a", status: .succeeded, progress: 100, resultURLs: ["http://127.0.0.1:1/a.png"]))
        #expect(try Self.indexBlocks(dir.dbPath) == before, "20 changes of one task rewrote the prompt index")
        #expect(try await s.search(HistoryQuery(text: "lighthouse")).map(\.localID) == [t.localID])
        #expect(try await s.search(HistoryQuery(text: "fox")).count == 1)
    }

    @Test("a history migrated from v1 gets the same index rule, and its prompts are still found")
    func migratedRule() async throws {
        let dir = TempFolder()
        let path = try IdentityTests().v1Copy(dir)
        let s = try HistoryStore(path: path)
        let db = try DatabaseQueue(path: path)
        let trigger = try await db.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '__task_fts_au'") }
        try db.close()
        #expect(trigger?.contains(#"AFTER UPDATE OF "prompt" ON "task""#) == true, "\(trigger ?? "no trigger")")
        let all = try await s.searchWithDetails(HistoryQuery(limit: 100))
        let prompt = try #require(all.first?.request.prompt)
        let word = try #require(prompt.split(separator: " ").max { $0.count < $1.count })
        #expect(try await s.search(HistoryQuery(text: String(word))).contains { $0.localID == all.first?.localID })
    }
}
