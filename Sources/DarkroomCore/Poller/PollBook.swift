/// The poll schedule's decisions, with no tasks, timers, clocks or locks: which
/// entry is due, which are let go, when the timer should go off, and where an
/// answered task goes next. `PollScheduler` holds one under its lock and does
/// what it decides (workers, the timer, the update stream); tests drive it with
/// plain instants.
struct PollBook<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    typealias Entry = PollEntry<Instant>

    var paused = false
    var closed = false
    var queryCount = 0
    /// Watched ids and the generation of their live entry.
    private(set) var generations: [String: Int] = [:]
    private var generation = 0
    private(set) var queue = DueQueue<Instant>()
    /// Entries taken and not yet answered (or abandoned).
    private(set) var busy = 0
    private(set) var peak = 0
    /// When the timer last went off, and how often it did.
    private(set) var lastFired: Instant?
    private(set) var wakeUps = 0

    /// Schedules a task's first query at `due`, given up at `deadline`. A task
    /// watched again keeps its old entry, which no longer counts. Nothing once closed.
    mutating func watch(_ initial: WatchState, due: Instant, deadline: Instant) {
        guard !closed else { return }
        generation += 1
        generations[initial.id] = generation
        queue.insert(Entry(state: initial, due: due, deadline: deadline, generation: generation))
    }

    mutating func stopWatching(_ id: String) { generations.removeValue(forKey: id) }

    mutating func close() {
        closed = true
        generations.removeAll()
    }

    /// Whether `entry` is still the live one of its task.
    func isLive(_ entry: Entry) -> Bool { !closed && generations[entry.state.id] == entry.generation }

    /// Pops the first entry when it is due at `now`: a live one is counted busy
    /// and returned; expired ones are let go (their ids added to `expired`),
    /// stale ones dropped.
    mutating func takeDue(now: Instant, expired: inout [String]) -> Entry? {
        while let top = queue.first, top.wake <= now {
            let e = queue.popFirst()!
            guard generations[e.state.id] == e.generation else { continue }
            if now >= e.deadline {
                generations.removeValue(forKey: e.state.id)
                expired.append(e.state.id)
                continue
            }
            busy += 1
            peak = max(peak, busy)
            return e
        }
        return nil
    }

    /// An answer came (or the query was abandoned): one less busy.
    mutating func answered() { busy -= 1 }

    /// When the one timer should go off: for the first entry, never sooner than
    /// `coalescing` after it last went off (entries due closer together are taken
    /// together), and only while a worker could take it (`canTake`). Nil: no timer.
    func timerTarget(canTake: Bool, coalescing: Duration) -> Instant? {
        guard !closed, !paused, canTake, let first = queue.first else { return nil }
        var target = first.wake
        if let last = lastFired { target = max(target, last.advanced(by: coalescing)) }
        return target
    }

    mutating func timerFired(at now: Instant) {
        lastFired = now
        wakeUps += 1
    }

    /// The next wake when nothing is in flight and nothing is due (for
    /// `untilIdle`): `.some(nil)` when nothing will wake; nil when there is work
    /// to do now. `timer`: the pending timer's target, if any.
    func idleWake(now: Instant, timer: Instant?) -> Instant?? {
        if closed { return .some(nil) }
        guard busy == 0 else { return nil }
        guard let first = queue.first else { return .some(nil) }
        if paused { return .some(first.wake) }
        if let timer, timer > now { return .some(timer) }
        return first.wake > now ? .some(first.wake) : nil
    }

    /// Puts an answered entry back as the policy decided, with its task's new
    /// state. `delay` turns the policy's delay into the schedule's (see
    /// `PollScheduler.latestDelay`). Returns true when this answer paused the
    /// poller (the first failed key). Nothing for an entry no longer live.
    @discardableResult
    mutating func apply(_ decision: WatchDecision, to entry: Entry, next: WatchState, sent: Instant,
                        delay: (Duration) -> Duration) -> Bool {
        guard isLive(entry) else { return false }
        var e = entry
        e.state = next
        switch decision {
        case .stop:
            generations.removeValue(forKey: entry.state.id)
            return false
        case let .pollAgain(after):
            e.due = sent.advanced(by: delay(after))
            queue.insert(e)
            return false
        case .pauseAll:
            let first = !paused
            paused = true
            e.due = sent.advanced(by: PollSchedule.floor)
            queue.insert(e)
            return first
        }
    }
}
