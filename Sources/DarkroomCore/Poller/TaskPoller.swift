import Foundation

/// Anything that can answer "what is the state of task X?". `DarkroomClient`
/// is one; tests use scripted ones.
public protocol TaskQuerying: Sendable {
    func task(id: String) async throws -> ImageTask
}

extension DarkroomClient: TaskQuerying {}

/// Watches every unfinished task and publishes each change as a `PollerUpdate`.
///
/// One driver per watched task sleeps on the injected clock until its next
/// query is due, waits for one of `maxInFlight` permits (default 4, first come
/// first served), queries, and asks `WatchPolicy` what to do next. The client it
/// is given should not retry on its own (`RetryPolicy.none`): backoff is the
/// poller's job, per task, so one failing task never delays the others.
///
/// A query that has not answered within `queryTimeout` (default 65 s: the
/// client's 60 s plus a margin) is abandoned by the poller itself, whatever the
/// transport does, and counts as a timeout: one stuck connection never stops
/// the other tasks' polling. That limit runs on real time by default
/// (`timeoutSleep`), not on the schedule's clock, so a simulated clock whose
/// sleeps move time forward is not moved by it.
public actor TaskPoller<C: Clock> where C.Duration == Duration {
    public nonisolated let updates: AsyncStream<PollerUpdate>
    private let continuation: AsyncStream<PollerUpdate>.Continuation
    private var client: any TaskQuerying
    private let clock: C
    private let policy: WatchPolicy
    private let random: @Sendable () -> Double
    private let permits: QueryPermits
    /// How long after submit an unfinished task is given up (default 24 h).
    public let expiry: Duration
    /// How long a query may take before the poller abandons it (default 65 s).
    public let queryTimeout: Duration
    private let timeoutSleep: @Sendable (Duration) async throws -> Void
    private var drivers: [String: (generation: Int, task: Task<Void, Never>)] = [:]
    private var generation = 0
    private var paused = false
    private var pauseWaiters: [CheckedContinuation<Void, Never>] = []
    /// Queries sent so far.
    public private(set) var queryCount = 0

    public init(client: any TaskQuerying, clock: C, maxInFlight: Int = 4, policy: WatchPolicy = WatchPolicy(),
                expiry: Duration = .seconds(24 * 3600), queryTimeout: Duration = .seconds(65),
                timeoutSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.queryTimeout = queryTimeout
        self.timeoutSleep = timeoutSleep
        (updates, continuation) = AsyncStream.makeStream(of: PollerUpdate.self)
        self.client = client
        self.clock = clock
        self.policy = policy
        self.random = random
        self.expiry = expiry
        self.permits = QueryPermits(limit: maxInFlight)
    }

    /// Queries from now on go through `client` (e.g. with a key read afresh).
    public func setClient(_ client: any TaskQuerying) {
        self.client = client
    }

    /// The ids being watched now.
    public var watched: Set<String> { Set(drivers.keys) }

    /// The most queries that were ever in flight at once.
    public var peakInFlight: Int { get async { await permits.peak } }

    public var isPaused: Bool { paused }

    /// Starts watching a task (again, if it already was).
    /// - Parameters:
    ///   - age: how long ago it was submitted; the first query comes 2 s after
    ///     submit (at once for older tasks), and the 24 h expiry counts from submit.
    ///   - last: what is already known of it, so only changes are published.
    public func watch(_ id: String, age: Duration = .zero, last: ImageTask? = nil) {
        drivers[id]?.task.cancel()
        let start = clock.now
        let firstDue = start.advanced(by: max(.zero, PollSchedule.first - age))
        let deadline = start.advanced(by: expiry - age)
        generation += 1
        let g = generation
        drivers[id] = (g, Task { [weak self] in
            await self?.drive(WatchState(id: id, last: last), generation: g, firstDue: firstDue, deadline: deadline)
        })
    }

    /// Stops watching a task. It stays in history; nothing is sent to the server.
    public func stopWatching(_ id: String) {
        drivers.removeValue(forKey: id)?.task.cancel()
    }

    /// Stops every driver and ends the update stream.
    public func shutdown() {
        for d in drivers.values { d.task.cancel() }
        drivers.removeAll()
        resume()
        continuation.finish()
    }

    /// Resumes polling after an auth failure (e.g. once the key was fixed).
    public func resume() {
        guard paused else { return }
        paused = false
        let waiters = pauseWaiters
        pauseWaiters.removeAll()
        for w in waiters { w.resume() }
        continuation.yield(.resumed)
    }

    private func waitWhilePaused() async {
        guard paused else { return }
        await withCheckedContinuation { pauseWaiters.append($0) }
    }

    private func pauseAll(_ message: String) {
        guard !paused else { return }
        paused = true
        continuation.yield(.authFailed(message: message))
    }

    private func drive(_ initial: WatchState, generation g: Int, firstDue: C.Instant, deadline: C.Instant) async {
        var state = initial
        var due = firstDue
        while !Task.isCancelled {
            let wake = min(due, deadline)
            if clock.now < wake {
                do { try await clock.sleep(until: wake, tolerance: nil) } catch { return }
            }
            if Task.isCancelled { return }
            if clock.now >= deadline {
                continuation.yield(.expired(id: state.id))
                finish(state.id, generation: g)
                return
            }
            await waitWhilePaused()
            await permits.acquire()
            if Task.isCancelled { await permits.release(); return }
            queryCount += 1
            // Deadlines are absolute and counted from when the query was sent, so
            // a clock that moves while this driver is busy never makes it miss a
            // wake-up, and queries of one task are always at least 2 s apart.
            let sent = clock.now
            let outcome = await query(state.id, client: client)
            await permits.release()
            if Task.isCancelled { return }
            let (next, updates, decision) = policy.next(state, outcome, random: random())
            state = next
            for u in updates { continuation.yield(u) }
            switch decision {
            case .stop:
                finish(state.id, generation: g)
                return
            case let .pollAgain(after):
                due = sent.advanced(by: after)
            case let .pauseAll(message):
                pauseAll(message)
                due = sent.advanced(by: PollSchedule.floor)
            }
        }
    }

    private nonisolated func query(_ id: String, client: any TaskQuerying) async -> QueryOutcome {
        do {
            return .task(try await Deadline.run(queryTimeout, sleep: timeoutSleep) {
                try await client.task(id: id)
            })
        } catch is Deadline.Exceeded {
            return .failure(.timedOut(duringSubmit: false))
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

    private func finish(_ id: String, generation g: Int) {
        if drivers[id]?.generation == g { drivers.removeValue(forKey: id) }
    }
}
