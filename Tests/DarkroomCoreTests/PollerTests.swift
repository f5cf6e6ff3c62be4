import Clocks
import Foundation
import Synchronization
import Testing
@testable import DarkroomCore

/// Answers queries from a script per task, and reports each call as it happens.
/// With `hold`, each call waits until the test releases it.
final class ScriptedQuerier: TaskQuerying {
    private let state: Mutex<(scripts: [String: [QueryOutcome]], calls: [String], held: [CheckedContinuation<Void, Never>], inFlight: Int, peak: Int)>
    let calls: AsyncStream<String>
    private let callContinuation: AsyncStream<String>.Continuation
    let hold: Bool

    init(_ scripts: [String: [QueryOutcome]], hold: Bool = false) {
        state = Mutex((scripts, [], [], 0, 0))
        (calls, callContinuation) = AsyncStream.makeStream(of: String.self)
        self.hold = hold
    }

    var callCount: Int { state.withLock { $0.calls.count } }
    var peak: Int { state.withLock { $0.peak } }
    var heldCount: Int { state.withLock { $0.held.count } }
    var inFlight: Int { state.withLock { $0.inFlight } }

    func releaseOne() {
        let c: CheckedContinuation<Void, Never>? = state.withLock { $0.held.isEmpty ? nil : $0.held.removeFirst() }
        c?.resume()
    }

    func task(id: String) async throws -> ImageTask {
        let outcome: QueryOutcome = state.withLock { s in
            s.calls.append(id)
            s.inFlight += 1
            s.peak = max(s.peak, s.inFlight)
            var script = s.scripts[id] ?? []
            let next = script.count > 1 ? script.removeFirst() : (script.first ?? .failure(.taskNotFound(message: "")))
            s.scripts[id] = script
            return next
        }
        if hold {
            await withCheckedContinuation { c in
                state.withLock { $0.held.append(c) }
                callContinuation.yield(id)
            }
        } else {
            callContinuation.yield(id)
        }
        state.withLock { $0.inFlight -= 1 }
        switch outcome {
        case let .task(t): return t
        case let .failure(e): throw ClientError.api(e)
        }
    }
}

func task(_ id: String, _ status: TaskStatus, _ progress: Int? = nil, urls: [String] = [], error: String? = nil) -> ImageTask {
    ImageTask(id: id, status: status, progress: progress, resultURLs: urls, errorMessage: error)
}

@Suite("Watch policy")
struct WatchPolicyTests {
    let policy = WatchPolicy()

    @Test("publishes only changes and stops at a finished task")
    func changes() {
        var s = WatchState(id: "t")
        var (next, updates, decision) = policy.next(s, .task(task("t", .processing, 10)), random: 0.5)
        #expect(updates == [.task(task("t", .processing, 10))])
        #expect(decision == .pollAgain(after: .seconds(3)))
        s = next
        (next, updates, decision) = policy.next(s, .task(task("t", .processing, 10)), random: 0.5)
        #expect(updates.isEmpty)
        (_, updates, decision) = policy.next(next, .task(task("t", .succeeded, 100, urls: ["https://x/0.png"])), random: 0.5)
        #expect(updates.count == 1)
        #expect(decision == .stop)
    }

    @Test("backs off failures exponentially to 60 s and reports stale after three")
    func failures() {
        var s = WatchState(id: "t")
        var delays: [Duration] = []
        var all: [PollerUpdate] = []
        for _ in 0..<8 {
            let (n, u, d) = policy.next(s, .failure(.server(status: 502, message: "")), random: 1)
            s = n
            all += u
            if case let .pollAgain(after) = d { delays.append(after) }
        }
        #expect(delays == [.seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60), .seconds(60)])
        #expect(all == [.stale(id: "t", message: APIError.server(status: 502, message: "").description)])
        let (_, u, _) = policy.next(s, .task(task("t", .processing, 50)), random: 0.5)
        #expect(u == [.recovered(id: "t"), .task(task("t", .processing, 50))])
    }

    @Test("honours Retry-After up to 120 s")
    func retryAfter() {
        let (_, _, d) = policy.next(WatchState(id: "t"), .failure(.rateLimited(message: "", retryAfter: .seconds(30))), random: 0)
        #expect(d == .pollAgain(after: .seconds(30)))
        let (_, _, d2) = policy.next(WatchState(id: "t"), .failure(.rateLimited(message: "", retryAfter: .seconds(900))), random: 0)
        #expect(d2 == .pollAgain(after: .seconds(120)))
    }

    @Test("marks a task lost after five not-found answers, not at the first")
    func lost() {
        var s = WatchState(id: "t")
        var decisions: [WatchDecision] = []
        for _ in 0..<5 {
            let (n, _, d) = policy.next(s, .failure(.taskNotFound(message: "task_not_exist")), random: 0.5)
            s = n
            decisions.append(d)
        }
        #expect(decisions.dropLast().allSatisfy { if case .pollAgain = $0 { return true }; return false })
        #expect(decisions.last == .stop)
    }

    @Test("pauses everything on 401 and 403")
    func auth() {
        let (_, _, d) = policy.next(WatchState(id: "t"), .failure(.unauthorized(message: "bad")), random: 0.5)
        guard case .pauseAll = d else { Issue.record("expected pauseAll"); return }
    }
}

/// Advances a test clock a millisecond past `d`. TestClock only wakes sleepers
/// whose deadline is strictly past when they start sleeping, so a driver that
/// goes to sleep just after the clock reached its deadline exactly would never
/// wake; overshooting makes every expected wake-up certain, under any load.
func tick(_ clock: TestClock<Duration>, _ d: Duration) async {
    await clock.advance(by: d + .milliseconds(1))
}

@Suite("Task poller on a test clock")
struct TaskPollerTests {
    func poller(_ q: ScriptedQuerier, _ clock: TestClock<Duration>, maxInFlight: Int = 4) -> TaskPoller<TestClock<Duration>> {
        TaskPoller(client: q, clock: clock, maxInFlight: maxInFlight, random: { 0.5 })
    }

    @Test("polls 2 s after submit, then on the growing schedule, until it succeeds")
    func succeeds() async {
        let clock = TestClock()
        let done = task("t1", .succeeded, 100, urls: ["https://x/0.png"])
        let q = ScriptedQuerier(["t1": [.task(task("t1", .queued, 0)), .task(task("t1", .processing, 50)), .task(done)]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        await p.watch("t1")
        await clock.advance(by: .milliseconds(1999))
        #expect(q.callCount == 0)
        await tick(clock, .milliseconds(1))
        #expect(await updates.next() == .task(task("t1", .queued, 0)))
        await tick(clock, .seconds(3))
        #expect(await updates.next() == .task(task("t1", .processing, 50)))
        await tick(clock, .milliseconds(4500))
        #expect(await updates.next() == .task(done))
        #expect(await p.watched.isEmpty)
        #expect(q.callCount == 3)
    }

    @Test("stops watching a failed task and publishes its reason")
    func fails() async {
        let clock = TestClock()
        let failed = task("t1", .failed, 100, error: "content policy")
        let q = ScriptedQuerier(["t1": [.task(failed)]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        await p.watch("t1")
        await tick(clock, .seconds(2))
        #expect(await updates.next() == .task(failed))
        #expect(await p.watched.isEmpty)
    }

    @Test("waits out a 429's Retry-After")
    func rateLimited() async {
        let clock = TestClock()
        let done = task("t1", .succeeded, 100)
        let q = ScriptedQuerier(["t1": [.failure(.rateLimited(message: "busy", retryAfter: .seconds(30))), .task(done)]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        var calls = q.calls.makeAsyncIterator()
        await p.watch("t1")
        await tick(clock, .seconds(2))
        _ = await calls.next()
        await clock.advance(by: .seconds(29))
        for _ in 0..<50 { await Task.yield() }
        #expect(q.callCount == 1)
        await tick(clock, .seconds(1))
        #expect(await updates.next() == .task(done))
    }

    @Test("rides out a burst of 5xx, reporting stale and then recovered")
    func serverErrors() async {
        let clock = TestClock()
        let e = QueryOutcome.failure(.server(status: 503, message: "busy"))
        let done = task("t1", .succeeded, 100)
        let q = ScriptedQuerier(["t1": [e, e, e, .task(done)]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        var calls = q.calls.makeAsyncIterator()
        await p.watch("t1")
        await tick(clock, .seconds(2))
        _ = await calls.next()
        await tick(clock, .seconds(2)) // 2 s backoff (equal jitter of 2 s, floor 2 s)
        _ = await calls.next()
        await tick(clock, .seconds(3)) // 4 s x 0.75
        #expect(await updates.next() == .stale(id: "t1", message: APIError.server(status: 503, message: "busy").description))
        await tick(clock, .seconds(6)) // 8 s x 0.75
        #expect(await updates.next() == .recovered(id: "t1"))
        #expect(await updates.next() == .task(done))
    }

    @Test("reports one auth failure, pauses every task, and resumes on request")
    func authFailure() async {
        let clock = TestClock()
        let bad = QueryOutcome.failure(.unauthorized(message: "expired"))
        // Held queries: both are in flight before either answers, so both see the 401.
        let q = ScriptedQuerier(["a": [bad, .task(task("a", .succeeded, 100))], "b": [bad, .task(task("b", .succeeded, 100))]], hold: true)
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        var calls = q.calls.makeAsyncIterator()
        await p.watch("a")
        await p.watch("b")
        await tick(clock, .seconds(2))
        _ = await calls.next()
        _ = await calls.next()
        q.releaseOne()
        q.releaseOne()
        #expect(await updates.next() == .authFailed(message: APIError.unauthorized(message: "expired").description))
        await clock.advance(by: .seconds(60))
        for _ in 0..<50 { await Task.yield() }
        #expect(q.callCount == 2)
        #expect(await p.isPaused)
        await p.resume()
        #expect(await updates.next() == .resumed)
        _ = await calls.next()
        _ = await calls.next()
        q.releaseOne()
        q.releaseOne()
        var finished: Set<String> = []
        while finished.count < 2, case let .task(t)? = await updates.next() { finished.insert(t.id) }
        #expect(finished == ["a", "b"])
    }

    @Test("marks a task lost after repeated not-found answers")
    func lost() async {
        let clock = TestClock()
        let q = ScriptedQuerier(["t1": [.failure(.taskNotFound(message: "task_not_exist"))]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        var calls = q.calls.makeAsyncIterator()
        await p.watch("t1")
        await tick(clock, .seconds(2))
        for _ in 0..<4 {
            _ = await calls.next()
            await clock.advance(by: .seconds(60))
        }
        guard case .lost(id: "t1", _)? = await updates.next() else { Issue.record("expected lost"); return }
        #expect(q.callCount == 5)
    }

    @Test("gives up on a task still unfinished 24 h after submit")
    func expires() async {
        let clock = TestClock()
        let q = ScriptedQuerier(["t1": [.task(task("t1", .processing, 10))]])
        let p = poller(q, clock)
        var updates = p.updates.makeAsyncIterator()
        await p.watch("t1", age: .seconds(24 * 3600 - 10))
        await tick(clock, .seconds(2))
        #expect(await updates.next() == .task(task("t1", .processing, 10)))
        await tick(clock, .seconds(10))
        #expect(await updates.next() == .expired(id: "t1"))
        #expect(await p.watched.isEmpty)
    }

    @Test("keeps at most four queries in flight for 200 tasks, and serves them all")
    func concurrencyCap() async {
        let clock = TestClock()
        let ids = (0..<200).map { "t\($0)" }
        let q = ScriptedQuerier(Dictionary(uniqueKeysWithValues: ids.map { ($0, [QueryOutcome.task(task($0, .succeeded, 100))]) }), hold: true)
        let p = poller(q, clock)
        for id in ids { await p.watch(id) }
        await tick(clock, .seconds(2))
        var calls = q.calls.makeAsyncIterator()
        var seen: [String] = []
        while seen.count < 200 {
            guard let id = await calls.next() else { break }
            seen.append(id)
            #expect(q.heldCount <= 4)
            q.releaseOne()
        }
        while q.heldCount > 0 { q.releaseOne() }
        #expect(Set(seen).count == 200)
        #expect(q.peak <= 4)
        #expect(await p.peakInFlight == 4)
        for _ in 0..<200 where await !p.watched.isEmpty { await Task.yield() }
    }

    @Test("stops watching on request, without another query")
    func stopWatching() async {
        let clock = TestClock()
        let q = ScriptedQuerier(["t1": [.task(task("t1", .processing, 10))]])
        let p = poller(q, clock)
        await p.watch("t1")
        await p.stopWatching("t1")
        await clock.advance(by: .seconds(60))
        for _ in 0..<50 { await Task.yield() }
        #expect(q.callCount == 0)
        #expect(await p.watched.isEmpty)
    }
}

/// Answers "ok" at once, except for `stuck`, whose queries never return, even when cancelled.
final class StuckQuerier: TaskQuerying {
    let stuck: String
    let asked = Mutex<[String]>([])
    init(stuck: String) { self.stuck = stuck }
    func task(id: String) async throws -> ImageTask {
        asked.withLock { $0.append(id) }
        if id == stuck { await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in } }
        return ImageTask(id: id, status: .processing, progress: 10)
    }
}

@Suite("A query that never answers")
struct StuckQueryTests {
    /// A poller on `clock` whose queries about "stuck" never return, and the updates it publishes.
    func rig(_ clock: TestClock<Duration>) -> (TaskPoller<TestClock<Duration>>, StuckQuerier, Seen, Task<Void, Never>) {
        let q = StuckQuerier(stuck: "stuck")
        let p = TaskPoller(client: q, clock: clock, queryTimeout: .seconds(65),
                           timeoutSleep: { try await clock.sleep(for: $0) }, random: { 0.5 })
        let seen = Seen()
        let collector = Task { for await u in p.updates { seen.updates.withLock { $0.append(u) } } }
        return (p, q, seen, collector)
    }

    final class Seen: Sendable { let updates = Mutex<[PollerUpdate]>([]) }

    @Test("is abandoned at its time limit, and the other tasks go on being polled on their schedule")
    func abandoned() async {
        let clock = TestClock()
        let (p, q, seen, collector) = rig(clock)
        await p.watch("stuck")
        await p.watch("other")
        for _ in 0..<400 {
            await clock.advance(by: .seconds(1))
            for _ in 0..<5 { await Task.yield() }
        }
        let asked = q.asked.withLock { $0 }
        // Every 5 s at most (the schedule's cap) over 400 s: about 80 queries.
        #expect(asked.filter { $0 == "other" }.count >= 70, "other was asked \(asked.filter { $0 == "other" }.count) times")
        #expect(asked.filter { $0 == "stuck" }.count >= 3)
        let updates = seen.updates.withLock { $0 }
        #expect(updates.contains { if case .stale(id: "stuck", _, _) = $0 { return true }; return false })
        await p.shutdown()
        collector.cancel()
    }
}

@Suite("Watch policy: a server that stops answering")
struct SilentServerPolicyTests {
    @Test("the first status query that timed out reports the task stale at once (a 5xx needs three in a row)")
    func timeoutIsStaleAtOnce() {
        let policy = WatchPolicy()
        let (s, u, d) = policy.next(WatchState(id: "t"), .failure(.timedOut(duringSubmit: false)), random: 1)
        #expect(u == [.stale(id: "t", message: APIError.timedOut(duringSubmit: false).description, silent: true)])
        #expect(s.stale)
        guard case .pollAgain = d else { Issue.record("polling goes on: \(d)"); return }
        let (_, again, _) = policy.next(s, .failure(.timedOut(duringSubmit: false)), random: 1)
        #expect(again.isEmpty, "said once until it answers again")
    }
}

extension StuckQueryTests {
    @Test("the first query abandoned at its time limit reports the task stale at once, not after three silent minutes")
    func staleAfterFirstTimeout() async {
        let clock = TestClock()
        let (p, q, seen, collector) = rig(clock)
        await p.watch("stuck")
        // The first query goes at about 2 s and is abandoned between 65 and 98 s after; no second one ends by 120 s.
        for _ in 0..<120 {
            await clock.advance(by: .seconds(1))
            for _ in 0..<5 { await Task.yield() }
        }
        #expect(q.asked.withLock { $0 }.count <= 2)
        let updates = seen.updates.withLock { $0 }
        #expect(updates.contains(.stale(id: "stuck", message: APIError.timedOut(duringSubmit: false).description, silent: true)), "\(updates)")
        await p.shutdown()
        collector.cancel()
    }
}
