import DarkroomCore
import DarkroomTestSupport
import Foundation
import Synchronization
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// A 429 on a run's submit created no task: the request goes back to waiting
/// and is sent once the queue's hold is over, never marked refused.
@Suite("A run's request refused with 429")
struct RateLimitedRunTests {
    @Test("the request refused with 429 waits again and is sent after Retry-After; nothing is marked refused")
    func requeued() async throws {
        let posts = Mutex(0)
        let server = try ScriptedHTTPServer { r in
            guard r.method == "POST" else {
                return .respond(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"task_id":"x","status":"queued"}"#.utf8))
            }
            let n = posts.withLock { $0 += 1; return $0 }
            if n == 1 {
                return .respond(status: 429, headers: ["Content-Type": "application/json", "Retry-After": "1"],
                                body: Array(#"{"error":{"message":"busy","type":"new_api_error","code":"rate_limited"}}"#.utf8))
            }
            return .respond(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"task_id":"task_\#(n)","status":"queued"}"#.utf8))
        }
        defer { server.stop() }
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        let client = DarkroomClient(baseURL: server.baseURL, apiKey: APIKey("sk-ratelimit-test-01")!)
        let studio = Studio(store: store, profile: "test", client: client, clock: ContinuousClock(), downloader: nil, maxConcurrentSubmits: 1)
        try await studio.start()
        defer { Task { await studio.shutdown() } }
        let run = try await store.createRun(expression: "fox {1|2}", axes: [], size: 2)
        let ids = try await studio.queue([ImageRequest(model: "NanoBanana", prompt: "fox 1"), ImageRequest(model: "NanoBanana", prompt: "fox 2")], run: run)
        let outcomes = await studio.send(waiting: ids)
        #expect(outcomes.allSatisfy { if case .sent = $0 { true } else { false } }, "\(outcomes)")
        #expect(posts.withLock { $0 } == 3, "the refused one once more, the other once")
        var taken = 0
        for id in ids {
            let r = try #require(try await store.record(localID: id))
            #expect(r.taskID != nil && r.state != .submitFailed, "#\(id) is \(r.state)")
            taken += r.events.filter { $0.state == .intent }.count
        }
        #expect(taken == 3, "one of them taken, back to waiting, taken again")
    }
}

/// A server that takes status queries and never answers them is said after the
/// first query that timed out, not minutes later.
@Suite("A server that stops answering")
struct SilentServerStudioTests {
    @Test("a test server that accepts the status query and never answers: the Studio says the task is stale after the first timeout")
    func silentAfterFirstTimeout() async throws {
        let server = try ScriptedHTTPServer { r in
            r.method == "POST"
                ? .respond(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"task_id":"quiet_1","status":"queued","progress":"10%"}"#.utf8))
                : .stall
        }
        defer { server.stop() }
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        var client = DarkroomClient(baseURL: server.baseURL, apiKey: APIKey("sk-silent-test-0001")!, retry: RetryPolicy(maxAttempts: 1))
        client.requestTimeout = .milliseconds(500)
        let studio = Studio(store: store, profile: "test", client: client, clock: ContinuousClock(), downloader: nil)
        try await studio.start()
        defer { Task { await studio.shutdown() } }
        let events = studio.events
        _ = try await studio.submit(ImageRequest(model: "NanoBanana", prompt: "silence"))
        // The first query goes 2 s after the submit and is given up 0.5 s later: said by then,
        // well before three failures in a row (about 9.5 s) would have said it.
        let said = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await e in events { if case let .stale(id, m, _) = e, id == "quiet_1" { return m } }
                return nil
            }
            group.addTask { try? await Task.sleep(for: .seconds(6)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(said == APIError.timedOut(duringSubmit: false).description, "\(String(describing: said))")
    }
}
