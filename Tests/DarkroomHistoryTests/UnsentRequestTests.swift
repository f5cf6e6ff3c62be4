import Clocks
import DarkroomCore
import DarkroomSimulator
import Foundation
import GRDB
import Testing
@testable import DarkroomHistory
@testable import DarkroomStudio

/// The requests of a run not sent yet: recorded before the first is sent,
/// taken one at a time just before sending, paused, resumed or cancelled by a
/// write to history, and paused when the process that held them died.
@Suite("Unsent requests of a run")
struct UnsentRequestTests {
    static func requests(_ n: Int) -> [(ImageRequest, ValidRequest)] {
        (1...n).map { i in
            let r = ImageRequest(model: "NanoBanana", prompt: "fox \(i)")
            return (r, try! RequestValidator.validate(r).get())
        }
    }

    @Test("a waiting request is taken once; paused or cancelled ones are not taken; resumed ones are")
    func takenOnce() async throws {
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        let run = try await store.createRun(expression: "fox {1|2|3}", axes: [("prompt", ["1", "2", "3"])], size: 3)
        let ids = try await store.recordWaiting(Self.requests(3), profile: "p", endpoint: "http://127.0.0.1:1/", run: run)
        #expect(try await store.unsent(run: run).map(\.localID) == ids)
        #expect(try await store.record(localID: ids[0])?.state == .waiting)

        #expect(try await store.takeWaiting(localID: ids[0]))
        #expect(try await !store.takeWaiting(localID: ids[0]), "taken twice")
        #expect(try await store.record(localID: ids[0])?.state == .intent)

        #expect(try await store.moveUnsent(ids, to: .paused) == [ids[1], ids[2]], "the intent is not unsent any more")
        #expect(try await !store.takeWaiting(localID: ids[1]))
        #expect(try await store.moveUnsent([ids[1]], to: .waiting) == [ids[1]])
        #expect(try await store.takeWaiting(localID: ids[1]))

        #expect(try await store.moveUnsent([ids[2]], to: .cancelled) == [ids[2]])
        let cancelled = try #require(try await store.record(localID: ids[2]))
        #expect(cancelled.state == .cancelled && cancelled.state.isFinal && cancelled.finishedAt != nil)
        #expect(cancelled.error?.contains("nothing was sent") == true)
        #expect(try await store.moveUnsent([ids[2]], to: .waiting).isEmpty, "a cancelled request never comes back")
        #expect(try await store.unsent(run: run).isEmpty)
    }

    @Test("requests left waiting by a process that died are paused at the next start; a live owner's are left alone")
    func orphansPaused() async throws {
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        let ids = try await store.recordWaiting(Self.requests(3), profile: "p", endpoint: "http://127.0.0.1:1/", run: nil)
        // A pid that certainly ended: a child that exited and was reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let db = try DatabaseQueue(path: folder.dbPath)
        try await db.write { try $0.execute(sql: "UPDATE task SET owner_pid = ? WHERE local_id IN (?, ?)", arguments: [child.processIdentifier, ids[0], ids[1]]) }

        let paused = try await store.recoverOrphanedWaiting()
        #expect(paused.map(\.localID) == [ids[0], ids[1]])
        #expect(paused.allSatisfy { $0.state == .paused && $0.error?.contains("darkroom stopped before its turn") == true })
        #expect(try await store.record(localID: ids[2])?.state == .waiting, "this process is alive: its request keeps its turn")
        #expect(try await !store.takeWaiting(localID: ids[0]), "a paused request is sent only once resumed")
    }

    // MARK: - Through a Studio, against the simulator

    struct Rig {
        let sim: SimulatorServer
        let folder: TempFolder
        let store: HistoryStore
        let studio: Studio<TestClock<Duration>>
    }

    func rig(limit: Int, apiKey: String = "sk-unsent-test-01", _ configure: (inout SimulatorConfig) -> Void = { _ in }) async throws -> Rig {
        var config = SimulatorConfig()
        configure(&config)
        let time = ManualTime()
        let sim = try await SimulatorServer.start(config: config, now: { time.now() })
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        let client = DarkroomClient(baseURL: sim.baseURL, apiKey: APIKey(apiKey)!, sleep: { time.advance(by: $0) })
        let studio = Studio(store: store, profile: "test", client: client, clock: TestClock(), downloader: nil, maxConcurrentSubmits: limit)
        try await studio.start()
        return Rig(sim: sim, folder: folder, store: store, studio: studio)
    }

    func prompts(_ n: Int) -> [ImageRequest] { (1...n).map { ImageRequest(model: "NanoBanana", prompt: "fox \($0)") } }

    @Test("a run is recorded whole, then sent through the queue: every request once, never more than the limit at once")
    func sentOnce() async throws {
        let r = try await rig(limit: 2)
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let run = try await r.store.createRun(expression: "fox {1..6}", axes: [], size: 6)
        let ids = try await r.studio.queue(prompts(6), run: run)
        #expect(try await r.store.unsent(run: run).count == 6, "all recorded before the first is sent")
        let outcomes = await r.studio.send(waiting: ids)
        let sent = outcomes.compactMap { if case let .sent(t) = $0 { t } else { nil } }
        #expect(sent.map(\.localID) == ids)
        #expect(Set(sent.compactMap(\.taskID)).count == 6)
        #expect(await r.sim.core.submitCount == 6)
        #expect(await r.studio.submitQueue.peak <= 2)
        // Sending the same ids again sends nothing: none is waiting.
        let again = await r.studio.send(waiting: ids)
        #expect(again.allSatisfy { if case .notSent = $0 { true } else { false } })
        #expect(await r.sim.core.submitCount == 6)
    }

    @Test("paused before their turn (by anyone writing to history), requests are not sent until resumed, then once")
    func pausedThenResumed() async throws {
        let r = try await rig(limit: 1)
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let ids = try await r.studio.queue(prompts(4), run: nil)
        // Another process's `darkroom run pause` is this write.
        try await r.store.moveUnsent(Array(ids[2...]), to: .paused, reason: "paused by the user before it was sent")
        let first = await r.studio.send(waiting: ids)
        #expect(first.filter { if case .sent = $0 { true } else { false } }.count == 2)
        #expect(await r.sim.core.submitCount == 2)
        #expect(try await r.store.record(localID: ids[3])?.state == .paused)

        let resumed = try await r.studio.resume(ids)
        #expect(resumed.count == 2 && resumed.allSatisfy { if case .sent = $0 { true } else { false } })
        #expect(await r.sim.core.submitCount == 4)
        #expect(try await r.studio.cancel(ids).isEmpty, "nothing is left to cancel")
    }

    @Test("after a refusal that is not a 429, the rest of the run is paused, not sent")
    func failurePausesTheRest() async throws {
        let r = try await rig(limit: 1, apiKey: "sk-wrong-key-0001") { $0.apiKey = "sk-right-key-0001" }
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let run = try await r.store.createRun(expression: "x", axes: [], size: 5)
        let ids = try await r.studio.queue(prompts(5), run: run)
        let outcomes = await r.studio.send(waiting: ids)
        guard case .failed(.submitFailed(_, .api(.unauthorized))) = outcomes[0] else {
            Issue.record("the first is refused: \(outcomes[0])")
            return
        }
        #expect(outcomes.dropFirst().allSatisfy { if case .notSent = $0 { true } else { false } })
        let left = try await r.store.unsent(run: run)
        #expect(left.map(\.localID) == Array(ids[1...]) && left.allSatisfy { $0.state == .paused })
        #expect(left.first?.error?.contains("#\(ids[0]) of the same run failed") == true)
    }

    @Test("a request made for another endpoint is never sent to this one")
    func otherEndpoint() async throws {
        let r = try await rig(limit: 2)
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let ids = try await r.store.recordWaiting(Self.requests(1), profile: "other", endpoint: "http://127.0.0.1:9/", run: nil)
        let outcomes = await r.studio.send(waiting: ids)
        guard case .notSent = outcomes[0] else { Issue.record("sent: \(outcomes[0])"); return }
        #expect(await r.sim.core.submitCount == 0)
        let kept = try await r.store.record(localID: ids[0])
        #expect(kept?.state == .paused && kept?.error?.contains("http://127.0.0.1:9") == true)
    }
}

extension UnsentRequestTests {
    @Test("a Studio shut down before a run's turn pauses what it held waiting; nothing of it was sent")
    func shutdownPauses() async throws {
        let r = try await rig(limit: 1)
        let ids = try await r.studio.queue(prompts(3), run: nil)
        await r.studio.shutdown()
        await r.sim.stop()
        for id in ids {
            let t = try await r.store.record(localID: id)
            #expect(t?.state == .paused && t?.error?.contains("closed before its turn") == true)
        }
        #expect(await r.sim.core.submitCount == 0)
    }
}

extension UnsentRequestTests {
    /// Waits (yielding, never sleeping) until `n` senders of the run wait for its release.
    func parked(_ r: Rig, run: Int64, _ n: Int) async -> Bool {
        let limit = ContinuousClock.now + .seconds(20)
        while (await r.studio.holdWaiters(run: run) ?? 0) < n {
            if ContinuousClock.now > limit { return false }
            await Task.yield()
        }
        return true
    }

    @Test("while a run is held (X asks), nothing of it is taken from waiting; released, every request goes once")
    func heldThenReleased() async throws {
        let r = try await rig(limit: 1)
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let run = try await r.store.createRun(expression: "fox {1..6}", axes: [], size: 6)
        let ids = try await r.studio.queue(prompts(6), run: run)
        // Two go before the question.
        _ = await r.studio.send(waiting: Array(ids[..<2]))
        #expect(await r.studio.hold(run: run) == 4, "the hold counts the run's unsent requests")
        let sending = Task { await r.studio.send(waiting: Array(ids[2...])) }
        #expect(await parked(r, run: run, 4), "every sender waits for the answer")
        #expect(await r.sim.core.submitCount == 2, "nothing sent while held")
        for id in ids[2...] { #expect(try await r.store.record(localID: id)?.state == .waiting, "nothing taken from waiting") }
        await r.studio.release(run: run)
        let outcomes = await sending.value
        #expect(outcomes.allSatisfy { if case .sent = $0 { true } else { false } })
        #expect(await r.sim.core.submitCount == 6)
        #expect(await r.studio.holdWaiters(run: run) == nil)
    }

    @Test("cancelled while held, the run's requests end as not sent, cancelled, and nothing more is sent")
    func heldThenCancelled() async throws {
        let r = try await rig(limit: 1)
        defer { Task { await r.studio.shutdown(); await r.sim.stop() } }
        let run = try await r.store.createRun(expression: "fox {1..5}", axes: [], size: 5)
        let ids = try await r.studio.queue(prompts(5), run: run)
        await r.studio.hold(run: run)
        let sending = Task { await r.studio.send(waiting: ids) }
        #expect(await parked(r, run: run, 5))
        #expect(try await r.studio.cancel(ids).count == 5)
        await r.studio.release(run: run)
        let outcomes = await sending.value
        #expect(outcomes.allSatisfy { if case .notSent(_, .cancelled) = $0 { true } else { false } }, "\(outcomes)")
        #expect(await r.sim.core.submitCount == 0)
    }

    @Test("a Studio shut down while a run is held lets its senders end, with the requests paused")
    func heldThenShutDown() async throws {
        let r = try await rig(limit: 1)
        let run = try await r.store.createRun(expression: "fox {1..3}", axes: [], size: 3)
        let ids = try await r.studio.queue(prompts(3), run: run)
        await r.studio.hold(run: run)
        let sending = Task { await r.studio.send(waiting: ids) }
        #expect(await parked(r, run: run, 3))
        await r.studio.shutdown()
        let outcomes = await sending.value
        await r.sim.stop()
        #expect(outcomes.allSatisfy { if case .notSent(_, .paused) = $0 { true } else { false } }, "\(outcomes)")
        #expect(await r.sim.core.submitCount == 0)
    }
}

extension UnsentRequestTests {
    @Test("an owner whose process id now belongs to a live unrelated process (or to this one) is dead: its requests are paused, its intent becomes submission unknown")
    func reusedProcessID() async throws {
        let folder = TempFolder()
        let store = try HistoryStore(path: folder.dbPath)
        let ids = try await store.recordWaiting(Self.requests(3), profile: "p", endpoint: "http://127.0.0.1:1/", run: nil)
        #expect(try await store.takeWaiting(localID: ids[2]), "one was being sent")
        // A live process that is not the owner: same pid as the owner had, another start time.
        let stranger = Process()
        stranger.executableURL = URL(fileURLWithPath: "/bin/sleep")
        stranger.arguments = ["30"]
        try stranger.run()
        defer { stranger.terminate() }
        let started = try #require(OwnerToken.startTime(of: stranger.processIdentifier))
        let deadOwner = OwnerToken.make(pid: stranger.processIdentifier, started: started - 1)
        #expect(!OwnerToken.isAlive(deadOwner) && OwnerToken.isAlive(OwnerToken.make(pid: stranger.processIdentifier, started: started)))
        // This very process, had an earlier one with its id died holding the rows.
        let me = getpid()
        let earlierMe = OwnerToken.make(pid: me, started: try #require(OwnerToken.startTime(of: me)) - 1)
        let db = try DatabaseQueue(path: folder.dbPath)
        try await db.write {
            try $0.execute(sql: "UPDATE task SET owner_pid = ? WHERE local_id = ?", arguments: [deadOwner, ids[0]])
            try $0.execute(sql: "UPDATE task SET owner_pid = ? WHERE local_id IN (?, ?)", arguments: [earlierMe, ids[1], ids[2]])
        }
        let paused = try await store.recoverOrphanedWaiting()
        #expect(Set(paused.map(\.localID)) == [ids[0], ids[1]], "\(paused.map(\.localID))")
        let unknown = try await store.recoverOrphanedIntents()
        #expect(unknown.map(\.localID) == [ids[2]], "the one in flight is submission unknown")
        #expect(OwnerToken.isAlive(OwnerToken.mine), "this process is its own owner")
    }
}
