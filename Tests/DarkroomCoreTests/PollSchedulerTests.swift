import Clocks
import Foundation
import Synchronization
import Testing
@testable import DarkroomCore

@Suite("The poller's schedule")
struct PollSchedulerTests {
    func entry(_ id: String, due: Int, deadline: Int = 1_000) -> PollEntry<ContinuousClock.Instant> {
        let t0 = ContinuousClock.Instant.now
        return PollEntry(state: WatchState(id: id), due: t0.advanced(by: .seconds(due)), deadline: t0.advanced(by: .seconds(deadline)), generation: 1)
    }

    @Test("hands entries out first due first, in arrival order among equal times, an expiry counting as a wake-up")
    func order() {
        var q = DueQueue<ContinuousClock.Instant>()
        let t0 = ContinuousClock.Instant.now
        let entries = [("c", 30), ("a", 10), ("b1", 20), ("b2", 20), ("e", 50), ("b3", 20)]
        for (id, due) in entries {
            q.insert(PollEntry(state: WatchState(id: id), due: t0.advanced(by: .seconds(due)), deadline: t0.advanced(by: .seconds(1000)), generation: 1))
        }
        q.insert(PollEntry(state: WatchState(id: "expiring"), due: t0.advanced(by: .seconds(100)), deadline: t0.advanced(by: .seconds(15)), generation: 1))
        var out: [String] = []
        while let e = q.popFirst() { out.append(e.state.id) }
        #expect(out == ["a", "expiring", "b1", "b2", "b3", "c", "e"])
        #expect(q.isEmpty)
    }

    @Test("keeps its order over thousands of random inserts and pops")
    func heapProperty() {
        var q = DueQueue<ContinuousClock.Instant>()
        var rng = SeededRandom(seed: 7)
        let t0 = ContinuousClock.Instant.now
        var popped: [ContinuousClock.Instant] = []
        for round in 0..<3_000 {
            q.insert(PollEntry(state: WatchState(id: "\(round)"), due: t0.advanced(by: .milliseconds(Int(rng.next() % 10_000))),
                               deadline: t0.advanced(by: .seconds(100)), generation: 1))
            if round % 3 == 0, let e = q.popFirst() { popped.append(e.wake) }
        }
        var rest: [ContinuousClock.Instant] = []
        while let e = q.popFirst() { rest.append(e.wake) }
        #expect(rest == rest.sorted())
        #expect(popped.count + rest.count == 3_000)
    }
}

@Suite("Task poller: one timer for every task")
struct PollerTimerTests {
    @Test("200 tasks due at once take one wake-up of the timer, not 200")
    func oneWakeUp() async {
        let clock = TestClock()
        let ids = (0..<200).map { "t\($0)" }
        let q = ScriptedQuerier(Dictionary(uniqueKeysWithValues: ids.map { ($0, [QueryOutcome.task(task($0, .succeeded, 100))]) }))
        let p = TaskPoller(client: q, clock: clock, random: { 0.5 })
        var updates = p.updates.makeAsyncIterator()
        for id in ids { await p.watch(id) }
        await tick(clock, .seconds(2))
        for _ in ids { _ = await updates.next() }
        #expect(q.callCount == 200)
        #expect(await p.timerWakeUps == 1)
        #expect(await p.peakInFlight == 16)
        #expect(await p.watched.isEmpty)
    }

    @Test("tasks due a few milliseconds apart go out together, at most the coalescing window late")
    func coalesces() async {
        let clock = TestClock()
        // Ten tasks submitted 5 ms apart: due at 2.000, 2.005, ... 2.045 s.
        let ids = (0..<10).map { "t\($0)" }
        let q = ScriptedQuerier(Dictionary(uniqueKeysWithValues: ids.map { ($0, [QueryOutcome.task(task($0, .processing, 10))]) }))
        let p = TaskPoller(client: q, clock: clock, coalescing: .milliseconds(25), random: { 0.5 })
        var updates = p.updates.makeAsyncIterator()
        for (i, id) in ids.enumerated() {
            await p.watch(id)
            if i < ids.count - 1 { await clock.advance(by: .milliseconds(5)) }
        }
        // Now 45 ms after the first watch; go to 1 ms before the first is due.
        await clock.advance(by: .milliseconds(1954))
        #expect(q.callCount == 0)
        // Step a millisecond at a time to 2.1 s after the first watch. The first
        // goes out at its time; then the timer wakes at most once per 25 ms:
        // at 2.025 s for those due 2.005 to 2.025, at 2.050 s for the rest.
        func expected(_ ms: Int) -> Int { ms < 2025 ? 1 : ms < 2050 ? 6 : 10 }
        for ms in 2000...2100 {
            await clock.advance(by: .milliseconds(1))
            // Let what is due now go out (bounded), then check nothing else did.
            for _ in 0..<50_000 where q.callCount < expected(ms) { await Task.yield() }
            #expect(q.callCount == expected(ms), "at \(ms) ms: \(q.callCount) queries")
        }
        for _ in ids { _ = await updates.next() }
        #expect(await p.timerWakeUps == 3)
        await p.shutdown()
    }

    // A minute of a test clock in 1 ms steps: thousands of actor hops, 20 s of real time
    // alone but over a minute beside the whole suite on two cores. The limit guards a hang.
    @Test("with the default 250 ms window, two queries of a task are still 2 to 5 s apart", .timeLimit(.minutes(3)))
    func windowKeepsScheduleCeiling() async throws {
        let clock = TestClock()
        // Twelve tasks watched 40 ms apart, with seeded jitter: their queries keep
        // falling in different windows, so the timer takes many of them late, and
        // from the fourth query on, half the delays are the 5 s ceiling itself.
        let ids = (0..<12).map { "t\($0)" }
        let q = TimedQuerier(clock: clock)
        let rng = Mutex(SeededRandom(seed: 11))
        let p = TaskPoller(client: q, clock: clock, random: { rng.withLock { $0.unit() } })
        for id in ids {
            await p.watch(id)
            await clock.advance(by: .milliseconds(40))
        }
        let end = clock.now.advanced(by: .seconds(60))
        while let wake = await p.untilIdle(), wake < end {
            await clock.advance(by: clock.now.duration(to: wake) + .milliseconds(1))
        }
        await p.shutdown()
        let asked = q.asked.withLock { $0 }
        var gaps: [Duration] = []
        for id in ids {
            let times = asked.filter { $0.id == id }.map(\.at)
            #expect(times.count >= 12, "\(id) asked \(times.count) times")
            gaps += zip(times, times.dropFirst()).map { $0.duration(to: $1) }
        }
        // The rig steps 1 ms past each wake: that millisecond is the test's, not the poller's.
        // (No force-unwrap in the messages: a failure must stay a failure, never end the run.)
        #expect(gaps.allSatisfy { $0 >= .seconds(2) }, "shortest gap \(String(describing: gaps.min()))")
        #expect(gaps.allSatisfy { $0 <= .seconds(5) + .milliseconds(1) }, "longest gap \(String(describing: gaps.max()))")
        #expect(gaps.contains { $0 > .milliseconds(4_760) }, "the ceiling was never reached: longest gap \(String(describing: gaps.max()))")
    }

    @Test("a query that never answers frees its slot at its time limit, even when it is the only slot")
    func abandonedFreesSlot() async {
        let clock = TestClock()
        let q = StuckQuerier(stuck: "stuck")
        let p = TaskPoller(client: q, clock: clock, maxInFlight: 1, queryTimeout: .seconds(65),
                           timeoutSleep: { try await clock.sleep(for: $0) }, random: { 0.5 })
        await p.watch("stuck")
        await clock.advance(by: .milliseconds(100))
        await p.watch("other")
        for _ in 0..<120 {
            await clock.advance(by: .seconds(1))
            for _ in 0..<5 { await Task.yield() }
        }
        let asked = q.asked.withLock { $0 }
        // "stuck" holds the one slot from 2 s until it is abandoned (between 65 and
        // 97.5 s after it began); then "other" is asked, before "stuck" again.
        #expect(Array(asked.prefix(2)) == ["stuck", "other"], "asked: \(asked)")
        await p.shutdown()
    }
}

/// Answers "processing" at once and notes when each task was asked, on the test clock.
final class TimedQuerier: TaskQuerying {
    let clock: TestClock<Duration>
    let asked = Mutex<[(id: String, at: TestClock<Duration>.Instant)]>([])
    init(clock: TestClock<Duration>) { self.clock = clock }
    func task(id: String) async throws -> ImageTask {
        asked.withLock { $0.append((id, clock.now)) }
        return ImageTask(id: id, status: .processing, progress: 10)
    }
}
