import Clocks
import Foundation
import Testing
@testable import DarkroomCore

/// `TaskPoller.untilIdle()`: what tests that move a clock by hand wait on, in
/// place of a sleep, between one step of the clock and the next.
@Suite("Task poller: waiting until it is idle", .timeLimit(.minutes(1)))
struct PollerIdleTests {
    /// A poller whose one task's first query has been sent and is held, unanswered.
    static func oneQueryInFlight() async -> (TaskPoller<TestClock<Duration>>, ScriptedQuerier) {
        let q = ScriptedQuerier(["a": [.task(task("a", .queued, 0))]], hold: true)
        let p = TaskPoller(client: q, clock: TestClock(), maxInFlight: 4, random: { 0.5 })
        await p.watch("a", age: .seconds(10))
        var calls = q.calls.makeAsyncIterator()
        #expect(await calls.next() == "a")
        return (p, q)
    }

    @Test("gives the next query's instant once no query is due or in flight, and never while one is")
    func stepsQueryByQuery() async throws {
        let clock = TestClock()
        let q = ScriptedQuerier(["a": [.task(task("a", .queued, 0)), .task(task("a", .processing, 50)), .task(task("a", .succeeded, 100, urls: ["https://x/0.png"]))],
                                 "b": [.task(task("b", .queued, 0))]], hold: true)
        let p = TaskPoller(client: q, clock: clock, maxInFlight: 4, random: { 0.5 })
        let start = clock.now
        await p.watch("a")
        await p.watch("b", age: .seconds(1))
        // Nothing due yet: idle, and the next wake is b's first query (2 s after its submit, 1 s ago).
        #expect(await p.untilIdle() == start.advanced(by: .seconds(1)))
        await tick(clock, .seconds(1))
        var calls = q.calls.makeAsyncIterator()
        #expect(await calls.next() == "b")
        // b's query is held in flight: untilIdle must not return until it is answered.
        let idle = Task { (await p.untilIdle(), q.inFlight) }
        q.releaseOne()
        let (wake, inFlight) = await idle.value
        #expect(inFlight == 0, "returned while a query was in flight")
        #expect(q.callCount == 1)
        // Then a's first query (2 s after its submit), and so on: each step sends exactly what was due.
        #expect(wake == start.advanced(by: .seconds(2)))
        await tick(clock, clock.now.duration(to: try #require(wake)))
        #expect(await calls.next() == "a")
        q.releaseOne()
        let next = await p.untilIdle()
        #expect(q.callCount == 2)
        #expect(next.map { clock.now.duration(to: $0) } ?? .zero > .zero)
        await p.shutdown()
    }

    @Test("returns nil once nothing is watched, and at once after shutdown")
    func nothingScheduled() async {
        let clock = TestClock()
        let q = ScriptedQuerier(["a": [.task(task("a", .succeeded, 100, urls: ["https://x/0.png"]))]])
        let p = TaskPoller(client: q, clock: clock, maxInFlight: 4, random: { 0.5 })
        await p.watch("a", age: .seconds(10))
        #expect(await p.untilIdle() == nil, "a finished at its first query: nothing is left to wake for")
        #expect(q.callCount == 1)
        await p.shutdown()
        #expect(await p.untilIdle() == nil)
    }

    @Test("a cancelled wait returns nil at once, while a query is still in flight")
    func cancelled() async {
        let (p, q) = await Self.oneQueryInFlight()
        let waiting = Task { await p.untilIdle() }
        waiting.cancel()
        #expect(await waiting.value == nil)
        #expect(q.heldCount == 1, "the query is still in flight")
        q.releaseOne()
        #expect(await p.untilIdle() != nil)
        await p.shutdown()
    }

    @Test("after shutdown it returns nil at once, even with a query that was in flight")
    func shutDownWhileBusy() async {
        let (p, q) = await Self.oneQueryInFlight()
        await p.shutdown()
        #expect(await p.untilIdle() == nil)
        q.releaseOne()
    }
}
