import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory

/// Stars, tags and hidden tasks (schema v7): a history written by the schema
/// before it (v6, the committed `Fixtures/history-v6.sqlite`) upgrades in place,
/// then keeps what the user curates, across a reopen.
@Suite("The v7 migration and curation: stars, tags, hidden")
struct MigrationV7Tests {
    func upgraded() throws -> (TempFolder, HistoryStore) {
        let dir = TempFolder()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/history-v6.sqlite")
        try FileManager.default.createDirectory(atPath: (dir.dbPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: dir.dbPath)
        return (dir, try HistoryStore(path: dir.dbPath))
    }

    func tags(_ names: String...) -> [TaskTag] { names.map { try! TaskTag.parse($0).get() } }

    @Test("a v6 history upgrades in place: every task, result, run and lineage row kept, nothing starred, tagged or hidden")
    func upgradesV6() async throws {
        let (dir, s) = try upgraded()
        _ = dir
        let (migrations, counts, problems) = try await s.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result")!,
              try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_parent")!,
              try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_tag")!],
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(migrations.drop(while: { $0 != "v6-lineage" }).prefix(2) == ["v6-lineage", "v7-stars-tags-hidden"])
        #expect(counts == [6, 7, 1, 1, 0])
        #expect(problems == 0)
        let all = try await s.search(HistoryQuery(limit: 10))
        #expect(all.map(\.localID) == [6, 5, 4, 3, 2, 1])
        #expect(all.allSatisfy { !$0.isStarred && !$0.isHidden && $0.tags.isEmpty })
        #expect(try await s.search(HistoryQuery(text: "京都", limit: 10)).map(\.localID) == [2])
        #expect(try await s.record(localID: 5)?.request.origins.first?.localID == 1)
    }

    @Test("stars on a task and on a picture, tags and hidden are kept across a reopen")
    func keptAcrossReopen() async throws {
        let (dir, s) = try upgraded()
        try await s.setStarred(localID: 1, picture: 1, true)
        try await s.setStarred(localID: 3, true)
        try await s.changeTags(localID: 1, add: tags("Lighthouse", "oil"))
        try await s.changeTags(localID: 3, add: tags("fox", "oil"))
        try await s.changeTags(localID: 3, remove: tags("OIL"))
        try await s.setHidden(localID: 6, true)
        await #expect(throws: CurationError.noSuchPicture(localID: 2, index: 4)) { try await s.setStarred(localID: 2, picture: 4, true) }
        #expect(try await s.setStarred(localID: 99, true) == nil)

        let again = try HistoryStore(path: dir.dbPath)
        let one = try #require(try await again.record(localID: 1))
        #expect(one.starredAt == nil && one.starredPictures == [1] && one.isStarred)
        #expect(one.tags.map(\.name) == ["lighthouse", "oil"])
        #expect(try await again.record(localID: 3)?.tags.map(\.name) == ["fox"])
        #expect(try await again.record(localID: 6)?.isHidden == true)
        #expect(try await again.tagCounts().map { "\($0.tag)=\($0.count)" } == ["fox=1", "lighthouse=1", "oil=1"])
        // Off for the task takes its pictures' stars too.
        try await again.setStarred(localID: 1, picture: 0, true)
        try await again.setStarred(localID: 1, false)
        #expect(try await again.record(localID: 1)?.isStarred == false)
        try await again.setStarred(localID: 1, picture: 1, true)
        // Off again.
        try await again.setStarred(localID: 1, picture: 1, false)
        try await again.setHidden(localID: 6, false)
        #expect(try await again.record(localID: 1)?.isStarred == false)
        #expect(try await again.record(localID: 6)?.isHidden == false)
    }

    @Test("search takes #tag, * and words together; hidden tasks are left out of what is shown, and found alone")
    func searchWithTags() async throws {
        let (dir, s) = try upgraded()
        _ = dir
        try await s.changeTags(localID: 3, add: tags("fox", "keep"))
        try await s.changeTags(localID: 4, add: tags("fox"))
        try await s.changeTags(localID: 1, add: tags("keep"))
        try await s.setStarred(localID: 4, picture: 0, true)
        try await s.setStarred(localID: 1, true)
        try await s.setHidden(localID: 3, true)
        func ids(_ text: String?, hidden: HiddenFilter = .shown, starred: Bool = false, tags: [TaskTag] = []) async throws -> [Int64] {
            var q = HistoryQuery(text: text, limit: 50)
            q.hidden = hidden
            q.starred = starred
            q.tags = tags
            return try await s.search(q).map(\.localID)
        }
        #expect(try await ids("#fox") == [4])
        #expect(try await ids("#fox", hidden: .all) == [4, 3])
        #expect(try await ids("#FOX fog") == [4])
        #expect(try await ids("#fox red", hidden: .all) == [3])
        #expect(try await ids("*") == [4, 1])
        #expect(try await ids("* #keep") == [1])
        #expect(try await ids("* lighthouse dusk") == [1])
        #expect(try await ids(nil, hidden: .hidden) == [3])
        #expect(try await ids(nil, starred: true, tags: tags("keep")) == [1])
        #expect(try await ids("#nosuch") == [])
        #expect(try await ids("#keep #fox", hidden: .all) == [3])
        #expect(try await ids("#keep", hidden: .all) == [3, 1])
        // Pages keyed by the tag's index: the next page after #3 holds #1.
        var nextPage = HistoryQuery(text: "#keep", before: 3, limit: 1)
        nextPage.hidden = .all
        #expect(try await s.search(nextPage).map { $0.localID } == [1])
        var shown = HistoryQuery(text: "#fox")
        shown.hidden = .shown
        #expect(try await s.count(shown) == 1)
        // A search page carries tags and picture stars, as a full record does.
        let page = try await s.search(HistoryQuery(text: "#fox", limit: 5))
        #expect(page.first?.tags.map(\.name) == ["fox"] && page.first?.starredPictures == [0])
    }

    @Test("purge removes hidden tasks' rows only, and only those still hidden")
    func purgeRows() async throws {
        let (dir, s) = try upgraded()
        _ = dir
        try await s.changeTags(localID: 1, add: tags("gone"))
        try await s.setHidden(localID: 1, true)
        try await s.setHidden(localID: 6, true)
        let due = try await s.purgeCandidates(createdBefore: Date().addingTimeInterval(3600))
        #expect(due.map(\.localID) == [1, 6])
        #expect(due[0].results.count == 2)
        try await s.setHidden(localID: 6, false)
        #expect(try await s.purge(localIDs: [1, 6, 2]) == [1])
        #expect(try await s.record(localID: 1) == nil)
        #expect(try await s.record(localID: 6) != nil)
        #expect(try await s.record(localID: 2) != nil)
        #expect(try await s.tagCounts().isEmpty)
        // The remix of #1 keeps what was sent.
        #expect(try await s.record(localID: 5)?.request.origins.first?.localID == 1)
        #expect(try await s.purgeCandidates(createdBefore: Date(timeIntervalSince1970: 0)).isEmpty)
    }
}
