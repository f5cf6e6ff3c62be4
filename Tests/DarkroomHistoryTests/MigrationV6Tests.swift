import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory

/// Lineage (schema v6): a history written by the schema before it (v5, the
/// committed `Fixtures/history-v5.sqlite`) upgrades in place, and then records
/// which pictures a task was made from.
@Suite("The v6 migration: lineage")
struct MigrationV6Tests {
    func upgraded() throws -> (TempFolder, HistoryStore) {
        let dir = TempFolder()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/history-v5.sqlite")
        try FileManager.default.createDirectory(atPath: (dir.dbPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: dir.dbPath)
        return (dir, try HistoryStore(path: dir.dbPath))
    }

    @Test("a v5 history upgrades in place: every task, event, result and run kept, found by search")
    func upgradesV5() async throws {
        let (dir, s) = try upgraded()
        _ = dir
        let (migrations, counts, problems) = try await s.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result")!,
              try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_parent")!],
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(migrations.drop(while: { $0 != "v5-ids-reused-by-one-server" }).prefix(2) == ["v5-ids-reused-by-one-server", "v6-lineage"])
        #expect(counts == [6, 6, 1, 0])
        #expect(problems == 0)
        let first = try #require(try await s.record(localID: 1))
        #expect(first.request.prompt == "a lighthouse at dusk" && first.results.count == 2 && first.request.origins.isEmpty)
        #expect(first.results.allSatisfy { $0.file?.sha256.count == 64 })
        #expect(try await s.search(HistoryQuery(text: "一只猫在屋顶上", limit: 10)).map(\.localID) == [2])
        #expect(try await s.children(of: 1).isEmpty)
    }

    @Test("after the upgrade a remix records its parents; children and the family tree are found; a parent deleted leaves the child's record")
    func lineage() async throws {
        let (dir, s) = try upgraded()
        _ = dir
        let parent = try #require(try await s.record(localID: 1))
        func remix(_ prompt: String, _ origins: [PictureOrigin]) async throws -> Int64 {
            var r = ImageRequest(model: "gpt-image-2", prompt: prompt, references: ["https://example.com/x.png"], size: "1024x1024")
            r.origins = origins
            return try await s.recordIntent(r, valid: try RequestValidator.validate(r, inspect: { .success(.unopened($0)) }).get(),
                                            profile: "default", endpoint: "http://127.0.0.1:18998")
        }
        let sha = try #require(parent.results[1].file?.sha256)
        let child = try await remix("at dusk", [PictureOrigin(localID: 1, taskID: parent.taskID, index: 1, sha256: sha)])
        let grandchild = try await remix("at night", [PictureOrigin(localID: child, taskID: nil, index: 0, sha256: String(repeating: "a", count: 64))])
        let both = try await remix("both", [PictureOrigin(localID: 1, taskID: parent.taskID, index: 0, sha256: sha),
                                            PictureOrigin(localID: 3, taskID: nil, index: 0, sha256: sha)])
        #expect(try await s.children(of: 1) == [LineageChild(localID: child, picture: 1), LineageChild(localID: both, picture: 0)])
        let tree = try await s.lineage(of: 1)
        #expect(tree.children.map(\.localID) == [child, both])
        #expect(tree.children[0].children.map(\.localID) == [grandchild])
        let read = try #require(try await s.record(localID: child))
        #expect(read.request.origins == [PictureOrigin(localID: 1, taskID: parent.taskID, index: 1, sha256: sha)])
        // The parent's row goes: the child still names what was sent.
        try await s.pool.write { db in try db.execute(sql: "DELETE FROM task WHERE local_id = 1") }
        #expect(try await s.record(localID: child)?.request.origins.first?.sha256 == sha)
        #expect(try await s.children(of: 1).count == 2)
    }
}
