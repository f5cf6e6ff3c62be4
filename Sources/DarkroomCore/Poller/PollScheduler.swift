import Synchronization

/// The poller's engine: one schedule for every watched task, one timer, and at
/// most `limit` workers that query.
///
/// - The schedule (`DueQueue`) holds each watched task with the time of its next
///   query. One timer sleeps on the clock until the first of them, and only
///   while a worker could take it.
/// - When an entry is due it goes to an idle worker, or to a new one while fewer
///   than `limit` exist. A worker that finishes a query takes the next due entry
///   itself, with no sleep and no hand-over, so a busy schedule costs no timer
///   per query. First due, first served: none starves.
/// - A query that outlives its time limit is abandoned by the `QueryWatchdog`:
///   it counts as a timeout, its worker is let go (and cancelled) and the slot
///   is free for the others at once.
/// - A task watched again, or let go, keeps its old entry in the schedule; the
///   entry's generation no longer matches and it is dropped when it comes up.
///
/// Thread-safe with one lock; nothing here waits while holding it.
final class PollScheduler<C: Clock>: Sendable where C.Duration == Duration {
    typealias Entry = PollEntry<C.Instant>

    private struct State {
        var client: any TaskQuerying
        /// What is due, what is let go, where answers go: the decisions (`PollBook`).
        var book = PollBook<C.Instant>()
        /// Workers waiting for an entry.
        var idle: [CheckedContinuation<Entry?, Never>] = []
        /// Live workers (busy or idle; abandoned ones are not counted), by number.
        var workers: [Int: Task<Void, Never>?] = [:]
        var workerNumber = 0
        var timer: (target: C.Instant, task: Task<Void, Never>)?
        /// Callers of `untilIdle()`, by number (so a cancelled one can be found).
        var idleWaiters: [(number: Int, continuation: CheckedContinuation<C.Instant?, Never>)] = []
        var idleWaiterNumber = 0
    }

    /// What to do after the lock is released.
    private struct Actions {
        var expired: [String] = []
        var handOver: [(CheckedContinuation<Entry?, Never>, Entry)] = []
        var start: [(number: Int, entry: Entry)] = []
        /// `untilIdle()` callers to resume, with the next wake.
        var idle: (waiters: [CheckedContinuation<C.Instant?, Never>], wake: C.Instant?) = ([], nil)
    }

    let clock: C
    let policy: WatchPolicy
    let limit: Int
    /// The shortest time between two wake-ups of the timer.
    let coalescing: Duration
    let random: @Sendable () -> Double
    let continuation: AsyncStream<PollerUpdate>.Continuation
    private let watchdog: QueryWatchdog
    private let state: Mutex<State>

    init(client: any TaskQuerying, clock: C, limit: Int, coalescing: Duration, policy: WatchPolicy,
         random: @escaping @Sendable () -> Double, continuation: AsyncStream<PollerUpdate>.Continuation, watchdog: QueryWatchdog) {
        self.clock = clock
        self.coalescing = coalescing
        self.limit = max(1, limit)
        self.policy = policy
        self.random = random
        self.continuation = continuation
        self.watchdog = watchdog
        state = Mutex(State(client: client))
    }

    var queryCount: Int { state.withLock { $0.book.queryCount } }
    var isPaused: Bool { state.withLock { $0.book.paused } }
    var peak: Int { state.withLock { $0.book.peak } }
    /// How many times the timer went off (for tests and benchmarks).
    var wakeUps: Int { state.withLock { $0.book.wakeUps } }
    var watched: Set<String> { state.withLock { Set($0.book.generations.keys) } }
    func setClient(_ c: any TaskQuerying) { state.withLock { $0.client = c } }

    /// Schedules a task's first query at `due`; it is given up at `deadline`.
    func watch(_ initial: WatchState, due: C.Instant, deadline: C.Instant) {
        let actions = state.withLock { s -> Actions in
            guard !s.book.closed else { return Actions() }
            s.book.watch(initial, due: due, deadline: deadline)
            return dispatch(&s)
        }
        perform(actions)
    }

    func stopWatching(_ id: String) {
        state.withLock { $0.book.stopWatching(id) }
    }

    func resume() {
        let (wasPaused, actions) = state.withLock { s -> (Bool, Actions) in
            guard s.book.paused else { return (false, Actions()) }
            s.book.paused = false
            return (true, dispatch(&s))
        }
        if wasPaused { continuation.yield(.resumed) }
        perform(actions)
    }

    /// Returns once no query is in flight and none is due: the poller waits on
    /// its clock (or is paused). Gives the instant of the next wake (a query or
    /// an expiry); nil when nothing is scheduled, or once shut down. For tests that move
    /// a clock by hand: step just past that instant, then wait here again, with no sleep.
    /// A cancelled caller gets nil at once (so a test's time limit ends the wait).
    func untilIdle() async -> C.Instant? {
        let number = state.withLock { s -> Int in
            s.idleWaiterNumber += 1
            return s.idleWaiterNumber
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<C.Instant?, Never>) in
                let wake = state.withLock { s -> C.Instant?? in
                    // Checked under the lock: a cancellation after it finds the waiter below.
                    if Task.isCancelled { return .some(nil) }
                    if let wake = idleWake(s) { return .some(wake) }
                    s.idleWaiters.append((number, c))
                    return .none
                }
                if let wake { c.resume(returning: wake) }
            }
        } onCancel: {
            let c = state.withLock { s -> CheckedContinuation<C.Instant?, Never>? in
                guard let i = s.idleWaiters.firstIndex(where: { $0.number == number }) else { return nil }
                return s.idleWaiters.remove(at: i).continuation
            }
            c?.resume(returning: nil)
        }
    }

    /// The next wake when the poller is idle (see `untilIdle`), nil when it is
    /// not. The wake is the timer's (coalescing may set it a little after the
    /// first entry's time); an entry due with no timer pending is work to do.
    private func idleWake(_ s: State) -> C.Instant?? {
        // Shut down: nothing will wake, whatever was in flight (its workers were cancelled).
        s.book.idleWake(now: clock.now, timer: s.timer?.target)
    }

    /// Hands the waiters of `untilIdle()` over to `perform` if the poller is idle now.
    private func releaseIdleWaiters(_ s: inout State, _ a: inout Actions) {
        guard !s.idleWaiters.isEmpty, let wake = idleWake(s) else { return }
        a.idle = (s.idleWaiters.map(\.continuation), wake)
        s.idleWaiters.removeAll()
    }

    /// Stops the timer and every worker, and ends the update stream.
    func shutdown() {
        let (idle, workers, timer, idleWaiters) = state.withLock { s in
            s.book.close()
            defer { s.idle.removeAll(); s.workers.removeAll(); s.timer = nil; s.idleWaiters.removeAll() }
            return (s.idle, s.workers.values.compactMap { $0 }, s.timer?.task, s.idleWaiters.map(\.continuation))
        }
        timer?.cancel()
        for w in workers { w.cancel() }
        for c in idle { c.resume(returning: nil) }
        for c in idleWaiters { c.resume(returning: nil) }
        continuation.finish()
    }

    // MARK: - Handing out due entries

    /// Gives due entries to idle workers or new ones while there is room, and
    /// sets the timer for the next one. Runs under the lock.
    private func dispatch(_ s: inout State) -> Actions {
        var a = Actions()
        guard !s.book.closed else { return a }
        while !s.book.paused, !s.idle.isEmpty || s.workers.count < limit, let e = takeDue(&s, &a) {
            if !s.idle.isEmpty {
                a.handOver.append((s.idle.removeLast(), e))
            } else {
                s.workerNumber += 1
                s.workers[s.workerNumber] = .some(nil)  // its task is stored by `perform`
                a.start.append((s.workerNumber, e))
            }
        }
        setTimer(&s)
        releaseIdleWaiters(&s, &a)
        return a
    }

    /// The first due entry (`PollBook.takeDue`); expired ones listed in `a`.
    private func takeDue(_ s: inout State, _ a: inout Actions) -> Entry? {
        s.book.takeDue(now: clock.now, expired: &a.expired)
    }

    /// One timer, for the first entry, and only while a worker could take it.
    /// It goes off at most once per `coalescing`: entries due closer together
    /// than that are taken together, a few milliseconds late, for one wake-up.
    private func setTimer(_ s: inout State) {
        guard let target = s.book.timerTarget(canTake: !s.idle.isEmpty || s.workers.count < limit, coalescing: coalescing) else {
            s.timer?.task.cancel()
            s.timer = nil
            return
        }
        if let t = s.timer, t.target <= target { return }
        s.timer?.task.cancel()
        s.timer = (target, Task { [clock] in
            do { try await clock.sleep(until: target, tolerance: nil) } catch { return }
            self.timerFired(target)
        })
    }

    private func timerFired(_ target: C.Instant) {
        let actions = state.withLock { s -> Actions in
            if s.timer?.target == target { s.timer = nil }
            s.book.timerFired(at: clock.now)
            return dispatch(&s)
        }
        perform(actions)
    }

    private func perform(_ a: Actions) {
        for id in a.expired { continuation.yield(.expired(id: id)) }
        for c in a.idle.waiters { c.resume(returning: a.idle.wake) }
        for (c, e) in a.handOver { c.resume(returning: e) }
        for (number, e) in a.start {
            let task = Task { await self.work(number: number, first: e) }
            let closed = state.withLock { s -> Bool in
                if s.workers[number] != nil { s.workers[number] = .some(task) }
                return s.book.closed
            }
            if closed { task.cancel() }
        }
    }

    // MARK: - Workers

    private func work(number: Int, first: Entry) async {
        var entry = first
        while true {
            guard await query(entry, worker: number) else { return }
            guard let next = await nextEntry() else { return }
            entry = next
        }
    }

    /// The next due entry, at once if there is one; otherwise waits, idle, until
    /// the timer hands one over. Nil when the poller shuts down.
    private func nextEntry() async -> Entry? {
        var a = Actions()
        let now = state.withLock { s -> Entry? in
            guard !s.book.closed, !s.book.paused else { return nil }
            return takeDue(&s, &a)
        }
        perform(a)
        if let now { return now }
        return await withCheckedContinuation { (c: CheckedContinuation<Entry?, Never>) in
            var a = Actions()
            let ready = state.withLock { s -> Entry?? in
                if s.book.closed { return .some(nil) }
                if !s.book.paused, let e = takeDue(&s, &a) { return .some(e) }
                s.idle.append(c)
                setTimer(&s)
                return .none
            }
            perform(a)
            if let ready { c.resume(returning: ready) }
        }
    }

    /// Queries one entry and schedules what follows. False when the query was
    /// abandoned: this worker is let go.
    private func query(_ entry: Entry, worker: Int) async -> Bool {
        let client = state.withLock { s -> any TaskQuerying in
            s.book.queryCount += 1
            return s.client
        }
        // Deadlines are counted from when the query was sent, so queries of one
        // task are always at least the schedule's floor apart.
        let sent = clock.now
        let token = watchdog.begin { [self] in self.abandon(entry, sent: sent, worker: worker) }
        let outcome = await Self.ask(entry.state.id, client: client)
        guard watchdog.end(token) else { return false }
        state.withLock { $0.book.answered() }
        complete(entry, outcome, sent: sent)
        return true
    }

    /// The watchdog gave up on a query: it counts as a timeout, and its worker's
    /// slot is free now.
    private func abandon(_ entry: Entry, sent: C.Instant, worker: Int) {
        let task = state.withLock { s -> Task<Void, Never>? in
            s.book.answered()
            return s.workers.removeValue(forKey: worker) ?? nil
        }
        task?.cancel()
        complete(entry, .failure(.timedOut(duringSubmit: false)), sent: sent)
    }

    /// Applies the policy to an answer: publishes what changed and puts the task
    /// back in the schedule, unless it ended or was let go meanwhile.
    private func complete(_ entry: Entry, _ outcome: QueryOutcome, sent: C.Instant) {
        let (next, updates, decision) = policy.next(entry.state, outcome, random: random())
        var pausedNow = false
        let (live, actions) = state.withLock { s -> (Bool, Actions) in
            guard s.book.isLive(entry) else {
                var a = Actions()
                releaseIdleWaiters(&s, &a)
                return (false, a)
            }
            pausedNow = s.book.apply(decision, to: entry, next: next, sent: sent, delay: latestDelay)
            return (true, dispatch(&s))
        }
        guard live else { perform(actions); return }
        for u in updates { continuation.yield(u) }
        if pausedNow, case let .pauseAll(message) = decision { continuation.yield(.authFailed(message: message)) }
        perform(actions)
    }

    /// The delay to schedule for a query the policy wants `after` from now.
    /// The timer may take an entry up to `coalescing` late, so a delay of the
    /// regular schedule (2 to 5 s) is brought down to at most 5 s less the
    /// window (never under the 2 s floor): two queries of a task stay at most
    /// 5 s apart when the poller is not saturated. Backoffs longer than 5 s are kept.
    func latestDelay(_ after: Duration) -> Duration {
        guard after <= PollSchedule.cap else { return after }
        return min(after, max(PollSchedule.floor, PollSchedule.cap - coalescing))
    }

    private static func ask(_ id: String, client: any TaskQuerying) async -> QueryOutcome {
        do {
            return .task(try await client.task(id: id))
        } catch let ClientError.api(e) {
            return .failure(e)
        } catch let ClientError.invalidTaskID(id) {
            return .failure(.taskNotFound(message: "\"\(id)\" is not a valid task id"))
        } catch let e as APIError {
            return .failure(e)
        } catch {
            return .failure(.connectionLost(message: TerminalSanitizer.clean(String(describing: error)), duringSubmit: false))
        }
    }
}
