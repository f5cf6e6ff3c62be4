import Foundation
import Testing
@testable import DarkroomCore

/// The poll schedule's decisions alone: plain instants, no tasks, no timers,
/// no sockets (`PollBook`).
@Suite("The poll schedule's decisions")
struct PollBookTests {
    let t0 = ContinuousClock.now
    func at(_ ms: Int) -> ContinuousClock.Instant { t0.advanced(by: .milliseconds(ms)) }

    func book(_ entries: [(String, Int)], deadline: Int = 3_600_000) -> PollBook<ContinuousClock.Instant> {
        var b = PollBook<ContinuousClock.Instant>()
        for (id, due) in entries { b.watch(WatchState(id: id), due: at(due), deadline: at(deadline)) }
        return b
    }

    @Test("entries are taken first due first, only once due, and counted busy until answered")
    func firstDueFirst() {
        var b = book([("b", 200), ("a", 100), ("c", 300)])
        var expired: [String] = []
        let taken1 = b.takeDue(now: at(50), expired: &expired)

        #expect(taken1 == nil)
        let taken2 = b.takeDue(now: at(250), expired: &expired)

        #expect(taken2?.state.id == "a")
        let taken3 = b.takeDue(now: at(250), expired: &expired)

        #expect(taken3?.state.id == "b")
        let taken4 = b.takeDue(now: at(250), expired: &expired)

        #expect(taken4 == nil)
        #expect(b.busy == 2 && b.peak == 2)
        b.answered()
        #expect(b.busy == 1 && b.peak == 2)
        #expect(expired.isEmpty)
    }

    @Test("a task watched again or let go keeps no say: its old entry is dropped when it comes up")
    func staleEntries() {
        var b = book([("a", 100), ("b", 100)])
        b.watch(WatchState(id: "a"), due: at(500), deadline: at(3_600_000))
        b.stopWatching("b")
        var expired: [String] = []
        let taken5 = b.takeDue(now: at(200), expired: &expired)

        #expect(taken5 == nil, "a's first entry and b's are dropped")
        let a = b.takeDue(now: at(600), expired: &expired)
        #expect(a?.state.id == "a" && a.map(b.isLive) == true)
        #expect(Set(b.generations.keys) == ["a"])
    }

    @Test("an entry past its deadline is let go and listed, never queried")
    func expiry() {
        var b = book([("old", 100)], deadline: 1_000)
        var expired: [String] = []
        #expect(b.takeDue(now: at(1_000), expired: &expired) == nil)
        #expect(expired == ["old"])
        #expect(b.generations.isEmpty && b.busy == 0)
    }

    @Test("one timer, for the first entry, no sooner than the window after it last went off, and only while a worker could take it")
    func timer() {
        var b = book([("a", 100), ("b", 150)])
        #expect(b.timerTarget(canTake: true, coalescing: .milliseconds(250)) == at(100))
        #expect(b.timerTarget(canTake: false, coalescing: .milliseconds(250)) == nil)
        b.timerFired(at: at(0))
        #expect(b.timerTarget(canTake: true, coalescing: .milliseconds(250)) == at(250), "coalesced: b and a go out together")
        #expect(b.wakeUps == 1)
        b.paused = true
        #expect(b.timerTarget(canTake: true, coalescing: .milliseconds(250)) == nil)
        b.paused = false
        b.close()
        #expect(b.timerTarget(canTake: true, coalescing: .milliseconds(250)) == nil)
    }

    @Test("an answer puts the task back as the policy decided; a stale one changes nothing; pausing is said once")
    func apply() {
        var b = book([("a", 0), ("b", 0), ("c", 0)])
        var expired: [String] = []
        let a = b.takeDue(now: at(0), expired: &expired)!, bb = b.takeDue(now: at(0), expired: &expired)!
        let c = b.takeDue(now: at(0), expired: &expired)!
        b.apply(.pollAgain(after: .seconds(3)), to: a, next: WatchState(id: "a"), sent: at(10), delay: { $0 - .milliseconds(250) })
        #expect(b.queue.first?.due == at(10 + 2_750))
        b.apply(.stop, to: bb, next: WatchState(id: "b"), sent: at(10), delay: { $0 })
        #expect(!b.generations.keys.contains("b"))
        let applied6 = b.apply(.pauseAll(message: "key refused"), to: c, next: WatchState(id: "c"), sent: at(10), delay: { $0 })
        #expect(applied6)
        #expect(b.paused)
        // c is back at the floor, for when the poller resumes.
        let applied7 = b.apply(.pauseAll(message: "again"), to: c, next: WatchState(id: "c"), sent: at(20), delay: { $0 })
        #expect(applied7 == false)
        b.stopWatching("a")
        let applied8 = b.apply(.pollAgain(after: .seconds(3)), to: a, next: WatchState(id: "a"), sent: at(30), delay: { $0 })
        #expect(applied8 == false)
    }

    @Test("idle means nothing in flight and nothing due; the next wake is the timer's or the first entry's")
    func idle() {
        var b = book([("a", 1_000)])
        #expect(b.idleWake(now: at(0), timer: nil) == .some(at(1_000)))
        #expect(b.idleWake(now: at(0), timer: at(1_200)) == .some(at(1_200)))
        #expect(b.idleWake(now: at(1_000), timer: nil) == nil, "due now: work to do")
        var expired: [String] = []
        _ = b.takeDue(now: at(1_000), expired: &expired)
        #expect(b.idleWake(now: at(1_000), timer: nil) == nil, "a query in flight")
        b.answered()
        #expect(b.idleWake(now: at(1_000), timer: nil) == .some(nil), "nothing scheduled")
        b.close()
        #expect(b.idleWake(now: at(0), timer: nil) == .some(nil))
    }
}
