import DarkroomCore
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// A task is known by (endpoint, task id), and histories written before that
/// rule upgrade in place with nothing lost.
@Suite("Task identity and the v2 migration")
struct IdentityTests {
    /// The fixture written by the v1 schema (see Fixtures/README.md), copied so the test can migrate it.
    func v1Copy(_ dir: TempFolder) throws -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/history-v1.sqlite")
        let path = dir.dbPath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        return path
    }

    @Test("a history written by the v1 schema upgrades in place: every task, event, result and search kept")
    func migratesV1() async throws {
        let dir = TempFolder()
        let path = try v1Copy(dir)
        let before = try DatabaseQueue(path: path)
        let counts: (Int, Int, Int) = try await before.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_event")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result")!)
        }
        try before.close()
        #expect(counts == (6, 17, 3))

        let s = try HistoryStore(path: path)
        let all = try await s.searchWithDetails(HistoryQuery(limit: 100))
        #expect(all.map(\.localID) == [6, 5, 4, 3, 2, 1])
        #expect(all.map(\.state) == [.succeeded, .submitFailed, .submitUnknown, .processing, .failed, .succeeded])
        #expect(all.reduce(0) { $0 + $1.events.count } == 17)
        #expect(all.reduce(0) { $0 + $1.results.count } == 3)
        let first = try #require(all.last)
        #expect(first.taskID == "task_000001")
        #expect(first.results.map(\.file?.path) == ["/home/user/.local/share/darkroom/results/task_000001/0.png",
                                                    "/home/user/.local/share/darkroom/results/task_000001/1.png"])
        #expect(first.request.size == "1024x1024")
        // Base URLs are stored normalised; the one on another endpoint is kept apart.
        #expect(Set(all.map(\.baseURL)) == ["http://127.0.0.1:8080", "https://api.example.com"])
        #expect(try await s.record(taskID: "task_000003", endpoint: "https://API.example.com:443/v1/")?.request.prompt == "a koi pond in spring")
        // The full-text index was made again from the rows.
        #expect(try await s.search(HistoryQuery(text: "lighthouse")).map(\.localID) == [1])
        #expect(try await s.search(HistoryQuery(text: "猫")).map(\.localID) == [2])
        // The same id on another endpoint is a new task; local ids go on from the highest.
        let other = try await s.addSubmitted("a second server's first task", id: "task_000001", endpoint: "http://127.0.0.1:9090")
        #expect(other.localID == 7)
        #expect(try await s.records(taskID: "task_000001").map(\.localID) == [7, 1])
        let check = try await s.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
        let fk = try await s.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(fk.isEmpty)
    }

    @Test("two endpoints that hand out the same id keep two tasks, each updated on its own")
    func sameIDTwoEndpoints() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let a = try await s.addSubmitted("on one", id: "task_000001", endpoint: "http://127.0.0.1:8001")
        let b = try await s.addSubmitted("on two", id: "task_000001", endpoint: "http://127.0.0.1:8002/")
        #expect(a.localID != b.localID)
        try await s.apply(ImageTask(id: "task_000001", status: .succeeded, progress: 100, resultURLs: ["http://127.0.0.1:8002/x.png"]),
                          endpoint: "http://127.0.0.1:8002")
        #expect(try await s.record(localID: a.localID)?.state == .queued)
        #expect(try await s.record(localID: b.localID)?.state == .succeeded)
    }

    @Test("one endpoint that hands out an id again (a restarted server): the newer task holds it, an unfinished older one ends as lost")
    func sameIDOneEndpointAgain() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let done = try await s.addSubmitted("finished before the restart", id: "task_000001", endpoint: "http://127.0.0.1:8001")
        try await s.apply(ImageTask(id: "task_000001", status: .succeeded, progress: 100, resultURLs: ["http://127.0.0.1:8001/a.png"]),
                          endpoint: "http://127.0.0.1:8001")
        let waiting = try await s.addSubmitted("unfinished at the restart", id: "task_000002", endpoint: "http://127.0.0.1:8001")
        // The same endpoint, written differently, hands both ids out again.
        let first = try await s.addSubmitted("after the restart", id: "task_000001", endpoint: "HTTP://127.0.0.1:8001/v1")
        let second = try await s.addSubmitted("after the restart, too", id: "task_000002", endpoint: "http://127.0.0.1:8001/")
        #expect(Set([done.localID, waiting.localID, first.localID, second.localID]).count == 4)
        #expect(try await s.record(taskID: "task_000001", endpoint: "http://127.0.0.1:8001")?.localID == first.localID)
        // An answer about the id now is about the newer task; the finished one keeps everything.
        try await s.apply(ImageTask(id: "task_000001", status: .processing, progress: 40), endpoint: "http://127.0.0.1:8001")
        #expect(try await s.record(localID: first.localID)?.progress == 40)
        let kept = try #require(try await s.record(localID: done.localID))
        #expect(kept.state == .succeeded && kept.resultURLs == ["http://127.0.0.1:8001/a.png"])
        let ended = try #require(try await s.record(localID: waiting.localID))
        #expect(ended.state == .lost)
        #expect(ended.error?.contains("gave this task's id to a newer task (#\(second.localID))") == true)
        #expect(try await s.unfinished().map(\.localID).sorted() == [first.localID, second.localID])
        // Adopting a known id adds nothing.
        #expect(try await s.adopt(taskID: "task_000002", profile: "default", endpoint: "http://127.0.0.1:8001")?.localID == second.localID)
        #expect(try await s.records(taskID: "task_000002").count == 2)
    }

    @Test("a journal entry goes to its own intent, even when an older task holds the same id")
    func journalEntryToItsIntent() async throws {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        let old = try await s.addSubmitted("before the restart", id: "task_000001", status: .succeeded, endpoint: "http://127.0.0.1:8001")
        let request = ImageRequest(model: "NanoBanana", prompt: "after the restart")
        let intent = try await s.recordIntent(request, valid: try RequestValidator.validate(request).get(), profile: "default",
                                              endpoint: "http://127.0.0.1:8001")
        try s.journal.append(.init(localID: intent, endpoint: "http://127.0.0.1:8001", profile: "default", taskID: "task_000001",
                                   status: "queued", at: Date()))
        let touched = try await s.replayJournal()
        #expect(touched.map(\.localID) == [intent])
        #expect(try await s.record(localID: intent)?.taskID == "task_000001")
        #expect(try await s.record(localID: old.localID)?.state == .succeeded)
        #expect(s.journal.entries().isEmpty)
    }

    @Test("endpoints are normalised: case, default port, trailing slash and /v1, user info")
    func normalise() {
        #expect(Endpoint.normalize("HTTPS://API.Example.com:443/v1/") == "https://api.example.com")
        #expect(Endpoint.normalize("http://127.0.0.1:80") == "http://127.0.0.1")
        #expect(Endpoint.normalize("http://127.0.0.1:8080/") == "http://127.0.0.1:8080")
        #expect(Endpoint.normalize("https://gw.example.com/openai/v1") == "https://gw.example.com/openai")
        #expect(Endpoint.normalize("https://user:sk-secret@gw.example.com") == "https://gw.example.com")
        #expect(Endpoint.normalize("not a url/") == "not a url")
    }

    @Test("a normal form remembered is the same when asked again, and after more endpoints than are remembered")
    func normaliseRemembered() {
        #expect(Endpoint.normalize("HTTPS://Remembered.Example.com:443/v1/") == "https://remembered.example.com")
        #expect(Endpoint.normalize("HTTPS://Remembered.Example.com:443/v1/") == "https://remembered.example.com")
        for port in 9000..<9100 { #expect(Endpoint.normalize("HTTP://Host.Example:\(port)/v1") == "http://host.example:\(port)") }
        #expect(Endpoint.normalize("HTTPS://Remembered.Example.com:443/v1/") == "https://remembered.example.com")
    }
}
