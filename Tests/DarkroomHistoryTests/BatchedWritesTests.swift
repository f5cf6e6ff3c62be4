import DarkroomCore
import DarkroomTestSupport
import Foundation
import GRDB
import Synchronization
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// Counts the write transactions that changed tasks.
final class TaskCommitCounter: TransactionObserver, Sendable {
    let commits = Mutex(0)
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "task" }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

@Suite("History: several answers in one write")
struct BatchedApplyTests {
    /// A history holding two queued tasks, task_1 and task_2 (the folder must outlive the store).
    static func twoTasks() async throws -> (TempFolder, HistoryStore) {
        let dir = TempFolder()
        let s = try HistoryStore(path: dir.dbPath)
        for n in 1...2 { try await s.addSubmitted("prompt \(n)", id: "task_\(n)") }
        return (dir, s)
    }

    @Test("writes answers in order in one transaction: a record for each change, nil for no change or an unknown task")
    func inOrder() async throws {
        let (dir, s) = try await Self.twoTasks()
        defer { withExtendedLifetime(dir) {} }
        let base = "http://127.0.0.1:1"
        let first = try await s.apply([ImageTask(id: "task_1", status: .processing, progress: 40),
                                       ImageTask(id: "task_unknown", status: .processing, progress: 10),
                                       ImageTask(id: "task_2", status: .succeeded, progress: 100, resultURLs: ["https://x/2.png"])], endpoint: Endpoint(base))
        #expect(first.map { $0?.taskID } == ["task_1", nil, "task_2"])
        #expect(first[0]?.progress == 40 && first[2]?.state == .succeeded && first[2]?.results.count == 1)
        // The same answers again change nothing.
        let again = try await s.apply([ImageTask(id: "task_1", status: .processing, progress: 40)], endpoint: Endpoint(base))
        #expect(again.count == 1 && again[0] == nil)
    }

    @Test("either every answer of the batch is written or none")
    func allOrNothing() async throws {
        let (dir, s) = try await Self.twoTasks()
        defer { withExtendedLifetime(dir) {} }
        // A write of task_2 fails (as a full disk would) after task_1's was made.
        try await s.pool.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse BEFORE UPDATE ON task WHEN NEW.task_id = 'task_2' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        await #expect(throws: (any Error).self) {
            try await s.apply([ImageTask(id: "task_1", status: .processing, progress: 40),
                               ImageTask(id: "task_2", status: .processing, progress: 40)], endpoint: "http://127.0.0.1:1")
        }
        #expect(try await s.record(taskID: "task_1", endpoint: "http://127.0.0.1:1")?.progress != 40)
    }
}

extension StudioTests {
    @Test("answers that come while a write waits on the history are written together, in one transaction")
    func answersWrittenTogether() async throws {
        // The first write waits on the lock until the test lets it go: long enough for the other
        // answers to arrive on a busy machine (with 10 s it gave up first, once, in a full run).
        let r = try await rig(busyTimeout: 90)
        defer { Task { await r.sim.stop(); await r.studio.shutdown() } }
        var ids: [Int64] = []
        for i in 0..<6 { ids.append(try await r.studio.submit(ImageRequest(model: "NanoBanana", prompt: "burst \(i)")).localID) }
        var before: [Int64: Double] = [:]
        for id in ids { before[id] = try #require(try await r.store.record(localID: id)).updatedAt.timeIntervalSince1970 }
        let counter = TaskCommitCounter()
        r.store.pool.add(transactionObserver: counter, extent: .databaseLifetime)
        // Another process holds the history: the first answer's write waits on it.
        let lock = try LockHolder(path: r.store.path)
        #expect(await r.stepToNextQuery())
        // The six first queries were answered; the five after the first queue up behind its write.
        // They come over loopback HTTP: on a busy machine that is longer than any number of
        // yields (a clean-clone CI run once waited past 10,000), so this waits on the count.
        let deadline = ContinuousClock.now + .seconds(30)
        while await r.studio.pendingUpdates.count < 5, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await r.studio.pendingUpdates.count == 5)
        lock.release()
        var changed = Set<Int64>()
        for await event in r.studio.events {
            if case let .changed(rec) = event, let t = before[rec.localID], rec.updatedAt.timeIntervalSince1970 > t { changed.insert(rec.localID) }
            if changed.count == ids.count { break }
        }
        // One write for the first answer, one for the five that waited (one each before).
        #expect(counter.commits.withLock { $0 } == 2)
    }
}
