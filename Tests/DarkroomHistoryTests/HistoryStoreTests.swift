import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

@Suite("History store on a real SQLite file")
struct HistoryStoreTests {
    @Test("creates the schema in an empty file and reopens it with the data intact")
    func migrations() async throws {
        let dir = TempFolder()
        do {
            let s = try HistoryStore(path: dir.dbPath)
            try await s.addSubmitted("a lighthouse", id: "task_a")
        }
        let reopened = try HistoryStore(path: dir.dbPath)
        #expect(try await reopened.record(taskID: "task_a", endpoint: "http://127.0.0.1:1")?.request.prompt == "a lighthouse")
        let applied = try await reopened.pool.read { db in try HistoryMigrations.migrator.appliedMigrations(db) }
        #expect(applied == ["v1", "v2-task-identity", "v3-runs", "v4-index-on-prompt-changes", "v5-ids-reused-by-one-server", "v6-lineage",
                           "v7-stars-tags-hidden"])
        let mode = try await reopened.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("keeps the request, the status timeline and the results")
    func lifecycle() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let r = try await s.addSubmitted("a red kite", model: "gpt-image-2", id: "task_k")
        #expect(r.state == .queued)
        #expect(r.request.size == "1024x1024")
        #expect(r.submittedAt != nil)
        try await s.apply(ImageTask(id: "task_k", status: .processing, progress: 40))
        #expect(try await s.apply(ImageTask(id: "task_k", status: .processing, progress: 40)) == nil)
        let done = try #require(try await s.apply(ImageTask(id: "task_k", status: .succeeded, rawStatus: "SUCCESS", progress: 100,
                                                       resultURLs: ["https://x/0.png", "https://x/1.png"])))
        #expect(done.state == .succeeded)
        #expect(done.rawStatus == "SUCCESS")
        #expect(done.startedAt != nil && done.finishedAt != nil)
        #expect(done.events.map(\.state) == [.intent, .queued, .processing, .succeeded])
        #expect(done.results.map(\.url) == ["https://x/0.png", "https://x/1.png"])
        #expect(done.results.allSatisfy { $0.state == .pending })
        // A late answer never undoes a final state.
        #expect(try await s.apply(ImageTask(id: "task_k", status: .processing, progress: 90)) == nil)
        #expect(try await s.record(taskID: "task_k", endpoint: "http://127.0.0.1:1")?.state == .succeeded)
    }

    @Test("never stores the API key")
    func noKey() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("x", id: "task_1")
        let raw = try Data(contentsOf: URL(fileURLWithPath: dir.dbPath))
        #expect(!String(decoding: raw, as: UTF8.self).contains("sk-"))
    }

    @Test("turns intents of dead processes into submission unknown, and leaves live ones")
    func orphans() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let req = ImageRequest(model: "NanoBanana", prompt: "orphan")
        let valid = try RequestValidator.validate(req).get()
        let mine = try await s.recordIntent(req, valid: valid, profile: "p", endpoint: "b")
        let theirs = try await s.recordIntent(req, valid: valid, profile: "p", endpoint: "b")
        // A pid that cannot be alive: above the kernel's maximum.
        try await s.pool.write { db in try db.execute(sql: "UPDATE task SET owner_pid = 99999999 WHERE local_id = ?", arguments: [theirs]) }
        let unknown = try await s.recoverOrphanedIntents()
        #expect(unknown.map(\.localID) == [theirs])
        #expect(unknown.first?.request.prompt == "orphan")
        #expect(try await s.record(localID: mine)?.state == .intent)
    }

    @Test("records refused and uncertain submits apart")
    func submitFailures() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let req = ImageRequest(model: "NanoBanana", prompt: "x")
        let valid = try RequestValidator.validate(req).get()
        let a = try await s.recordIntent(req, valid: valid, profile: "p", endpoint: "b")
        let b = try await s.recordIntent(req, valid: valid, profile: "p", endpoint: "b")
        try await s.recordSubmitFailure(localID: a, message: "403", mayExist: false)
        try await s.recordSubmitFailure(localID: b, message: "timeout", mayExist: true)
        #expect(try await s.record(localID: a)?.state == .submitFailed)
        #expect(try await s.record(localID: b)?.state == .submitUnknown)
    }

    @Test("lists unfinished tasks of one endpoint")
    func unfinished() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("a", id: "t1", status: .queued, endpoint: "http://one")
        try await s.addSubmitted("b", id: "t2", status: .processing, endpoint: "http://one")
        try await s.addSubmitted("c", id: "t3", status: .succeeded, endpoint: "http://one")
        try await s.addSubmitted("d", id: "t4", status: .queued, endpoint: "http://two")
        #expect(try await s.unfinished(endpoint: "http://one").map(\.taskID) == ["t1", "t2"])
    }

    @Test("searches prompts by words and substrings, in any script")
    func fullText() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("A lighthouse at dusk, oil painting", id: "t1")
        try await s.addSubmitted("一只在屋顶上的猫", id: "t2")
        try await s.addSubmitted("Lighthouses of Brittany in fog", id: "t3")
        try await s.addSubmitted("a cat on a roof", model: "gpt-image-2", id: "t4", status: .failed)
        #expect(try await s.search(HistoryQuery(text: "lighthouse")).map(\.taskID) == ["t3", "t1"])
        #expect(try await s.search(HistoryQuery(text: "LIGHTHOUSE dusk")).map(\.taskID) == ["t1"])
        #expect(try await s.search(HistoryQuery(text: "猫")).map(\.taskID) == ["t2"])
        #expect(try await s.search(HistoryQuery(text: "屋顶上")).map(\.taskID) == ["t2"])
        #expect(try await s.search(HistoryQuery(text: "cat", states: [.failed])).map(\.taskID) == ["t4"])
        #expect(try await s.search(HistoryQuery(model: "gpt-image-2")).map(\.taskID) == ["t4"])
        #expect(try await s.search(HistoryQuery(text: "\"quoted\" AND OR NEAR(")).isEmpty)
        #expect(try await s.search(HistoryQuery(text: "50%_")).isEmpty)
        #expect(try await s.count(HistoryQuery(text: "lighthouse")) == 2)
    }

    @Test("filters by date")
    func dates() async throws {
        let dir = TempFolder()
        let clock = MutableDate(Date(timeIntervalSince1970: 1_000_000))
        let s = try HistoryStore(path: dir.dbPath, now: { clock.value })
        try await s.addSubmitted("old", id: "t1")
        clock.value = Date(timeIntervalSince1970: 2_000_000)
        try await s.addSubmitted("new", id: "t2")
        #expect(try await s.search(HistoryQuery(since: Date(timeIntervalSince1970: 1_500_000))).map(\.taskID) == ["t2"])
        #expect(try await s.search(HistoryQuery(until: Date(timeIntervalSince1970: 1_500_000))).map(\.taskID) == ["t1"])
    }

    @Test("pages newest first by keyset, each task exactly once")
    func paging() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        for i in 0..<250 { try await s.addSubmitted("prompt \(i)", id: "t\(i)") }
        var seen: [String] = []
        var before: Int64?
        while true {
            let page = try await s.search(HistoryQuery(before: before, limit: 40))
            if page.isEmpty { break }
            seen += page.compactMap(\.taskID)
            before = page.last?.localID
        }
        #expect(seen == (0..<250).reversed().map { "t\($0)" })
    }

    @Test("two stores on one file write at the same time without losing a row")
    func twoWriters() async throws {
        let dir = TempFolder()
        let a = try HistoryStore(path: dir.dbPath)
        let b = try HistoryStore(path: dir.dbPath)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for i in 0..<150 { try await a.addSubmitted("from a \(i)", id: "a\(i)") } }
            group.addTask { for i in 0..<150 { try await b.addSubmitted("from b \(i)", id: "b\(i)") } }
            try await group.waitForAll()
        }
        #expect(try await a.count() == 300)
        let check = try await a.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }

    @Test("lets only one claimer download a result")
    func claims() async throws {
        let dir = TempFolder()
        let a = try HistoryStore(path: dir.dbPath)
        let b = try HistoryStore(path: dir.dbPath)
        let r = try await a.addSubmitted("x", id: "t1")
        try await a.apply(ImageTask(id: "t1", status: .succeeded, progress: 100, resultURLs: ["https://x/0.png"]))
        #expect(try await a.pendingDownloads().count == 1)
        #expect(try await a.claimDownload(localID: r.localID, index: 0) == .granted)
        #expect(try await b.claimDownload(localID: r.localID, index: 0) == .runningHere)
        try await a.recordDownload(localID: r.localID, index: 0, file: SavedResult(path: "/p/0.png", bytes: 10, format: .png, width: 2, height: 1, sha256: "ab"))
        #expect(try await b.claimDownload(localID: r.localID, index: 0) == .notNeeded)
        #expect(try await b.claimDownload(localID: r.localID, index: 0, force: true) == .granted)
        #expect(try await a.claimDownload(localID: r.localID, index: 0, force: true) == .runningHere)
        // A forced download again keeps the result saved (its file stays in use) while it runs.
        #expect(try await a.record(localID: r.localID)?.results.first?.state == .saved)
        #expect(try await a.pendingDownloads().isEmpty)
    }

    @Test("claims several results of a task in one call, each as a single claim would be decided; a saved file's write reads the task back")
    func claimsTogether() async throws {
        let dir = TempFolder()
        let a = try HistoryStore(path: dir.dbPath)
        let r = try await a.addSubmitted("x", id: "t1")
        try await a.apply(ImageTask(id: "t1", status: .succeeded, progress: 100,
                                    resultURLs: ["https://x/0.png", "https://x/1.png", "https://x/2.png"]))
        #expect(try await a.claimDownload(localID: r.localID, index: 0) == .granted)
        let after = try await a.recordDownload(localID: r.localID, index: 0,
                                               file: SavedResult(path: "/p/0.png", bytes: 10, format: .png, width: 2, height: 1, sha256: "ab"))
        #expect(after?.results.map(\.state) == [.saved, .pending, .pending])
        // Result 1 is being fetched by another live process (pid 1 always exists).
        try await a.pool.write { db in
            try db.execute(sql: "UPDATE result SET state = 'downloading', claimed_by = 1, claimed_at = ? WHERE local_id = ? AND idx = 1",
                           arguments: [Date().timeIntervalSince1970, r.localID])
        }
        #expect(try await a.claimDownloads(localID: r.localID, indexes: [0, 1, 2]) == [.notNeeded, .heldElsewhere(pid: 1), .granted])
        #expect(try await a.claimDownloads(localID: r.localID, indexes: [2, 1]) == [.runningHere, .heldElsewhere(pid: 1)])
        #expect(try await a.record(localID: r.localID)?.results.map(\.state) == [.saved, .downloading, .downloading])
    }

    @Test("marks lost and expired tasks final")
    func ends() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("x", id: "t1")
        #expect(try await s.markEnded(taskID: "t1", endpoint: "http://127.0.0.1:1", as: .lost, message: "gone")?.state == .lost)
        #expect(try await s.apply(ImageTask(id: "t1", status: .processing)) == nil)
    }
}

final class MutableDate: @unchecked Sendable {
    var value: Date
    init(_ d: Date) { value = d }
}

@Suite("Prompt recall from history")
struct PromptRecallTests {
    @Test("distinct prompts, most recently used first; a search keeps only matching ones")
    func recent() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("a red fox in snow", id: "task_1")
        try await s.addSubmitted("a lighthouse at dusk", id: "task_2")
        try await s.addSubmitted("a red fox in snow", id: "task_3")
        try await s.addSubmitted("一只猫 on a roof", id: "task_4")
        #expect(try await s.recentPrompts() == ["一只猫 on a roof", "a red fox in snow", "a lighthouse at dusk"])
        #expect(try await s.recentPrompts(limit: 2).count == 2)
        #expect(try await s.recentPrompts(matching: "fox") == ["a red fox in snow"])
        #expect(try await s.recentPrompts(matching: "roof 猫") == ["一只猫 on a roof"])
        #expect(try await s.recentPrompts(matching: "nothing like it").isEmpty)
    }
}

@Suite("Pages with details")
struct PageDetailsTests {
    @Test("a page with details has each task's results and timeline, the same as reading them one by one")
    func sameAsOneByOne() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        try await s.addSubmitted("a", id: "task_a")
        try await s.addSubmitted("b", id: "task_b")
        try await s.apply(ImageTask(id: "task_a", status: .succeeded, progress: 100, resultURLs: ["https://x/0.png", "https://x/1.png"]))
        let page = try await s.searchWithDetails(HistoryQuery(limit: 10))
        #expect(page.count == 2)
        var oneByOne: [TaskRecord] = []
        for t in page { if let r = try await s.record(localID: t.localID) { oneByOne.append(r) } }
        #expect(oneByOne == page)
        #expect(page.first { $0.taskID == "task_a" }?.results.count == 2)
        #expect(try await s.searchWithDetails(HistoryQuery(text: "nothing like it")).isEmpty)
    }

    @Test("an error is described by its own words, control characters stripped; one without words, by its localized description")
    func describesErrors() {
        struct Worded: Error, CustomStringConvertible { var description: String { "the disk said no\u{1B}[2J" } }
        struct Wordless: Error { let code = 7 }
        #expect(HistoryStore.describe(Worded()) == "the disk said no")
        let wordless = HistoryStore.describe(Wordless())
        #expect(wordless.hasPrefix("The operation could not be completed."), "\(wordless)")
        #expect(!wordless.contains("code: 7"), "not the value's fields")
    }
}
