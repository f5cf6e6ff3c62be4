import Foundation
import Synchronization

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
    /// What the drivers share; they run outside the actor, so a query costs no hop to it.
    private nonisolated let shared: PollerShared<C>
    /// How long after submit an unfinished task is given up (default 24 h).
    public let expiry: Duration
    /// How long a query may take before the poller abandons it (default 65 s; it
    /// is abandoned between that and 1.5 times that, see `QueryWatchdog`).
    public let queryTimeout: Duration
    private var drivers: [String: (generation: Int, task: Task<Void, Never>)] = [:]
    private var generation = 0

    public init(client: any TaskQuerying, clock: C, maxInFlight: Int = 4, policy: WatchPolicy = WatchPolicy(),
                expiry: Duration = .seconds(24 * 3600), queryTimeout: Duration = .seconds(65),
                timeoutSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.queryTimeout = queryTimeout
        self.expiry = expiry
        let (updates, continuation) = AsyncStream.makeStream(of: PollerUpdate.self)
        self.updates = updates
        shared = PollerShared(client: client, clock: clock, policy: policy, random: random, continuation: continuation,
                              permits: QueryPermits(limit: maxInFlight), watchdog: QueryWatchdog(limit: queryTimeout, sleep: timeoutSleep))
    }

    /// Queries from now on go through `client` (e.g. with a key read afresh).
    public func setClient(_ client: any TaskQuerying) {
        shared.setClient(client)
    }

    /// Queries sent so far.
    public var queryCount: Int { shared.queryCount }

    /// The ids being watched now.
    public var watched: Set<String> { Set(drivers.keys) }

    /// The most queries that were ever in flight at once.
    public var peakInFlight: Int { shared.permits.peak }

    public var isPaused: Bool { shared.isPaused }

    /// Starts watching a task (again, if it already was).
    /// - Parameters:
    ///   - age: how long ago it was submitted; the first query comes 2 s after
    ///     submit (at once for older tasks), and the 24 h expiry counts from submit.
    ///   - last: what is already known of it, so only changes are published.
    public func watch(_ id: String, age: Duration = .zero, last: ImageTask? = nil) {
        drivers[id]?.task.cancel()
        let start = shared.clock.now
        let firstDue = start.advanced(by: max(.zero, PollSchedule.first - age))
        let deadline = start.advanced(by: expiry - age)
        generation += 1
        let g = generation
        let shared = self.shared
        drivers[id] = (g, Task { [weak self] in
            if await shared.drive(WatchState(id: id, last: last), firstDue: firstDue, deadline: deadline) {
                await self?.finish(id, generation: g)
            }
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
        shared.resume()
        shared.continuation.finish()
    }

    /// Resumes polling after an auth failure (e.g. once the key was fixed).
    public func resume() {
        shared.resume()
    }

    private func finish(_ id: String, generation g: Int) {
        if drivers[id]?.generation == g { drivers.removeValue(forKey: id) }
    }
}

/// The part of the poller its drivers use, safe from any thread: the clock,
/// the client, the policy, the permits, the pause gate and the update stream.
final class PollerShared<C: Clock>: Sendable where C.Duration == Duration {
    private struct State {
        var client: any TaskQuerying
        var paused = false
        var pauseWaiters: [CheckedContinuation<Void, Never>] = []
        var queryCount = 0
    }

    let clock: C
    let policy: WatchPolicy
    let random: @Sendable () -> Double
    let continuation: AsyncStream<PollerUpdate>.Continuation
    let permits: QueryPermits
    let watchdog: QueryWatchdog
    private let state: Mutex<State>

    init(client: any TaskQuerying, clock: C, policy: WatchPolicy, random: @escaping @Sendable () -> Double,
         continuation: AsyncStream<PollerUpdate>.Continuation, permits: QueryPermits, watchdog: QueryWatchdog) {
        self.clock = clock
        self.policy = policy
        self.random = random
        self.continuation = continuation
        self.permits = permits
        self.watchdog = watchdog
        state = Mutex(State(client: client))
    }

    var queryCount: Int { state.withLock { $0.queryCount } }
    var isPaused: Bool { state.withLock { $0.paused } }
    func setClient(_ c: any TaskQuerying) { state.withLock { $0.client = c } }

    func resume() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>]? in
            guard s.paused else { return nil }
            s.paused = false
            defer { s.pauseWaiters.removeAll() }
            return s.pauseWaiters
        }
        guard let waiters else { return }
        for w in waiters { w.resume() }
        continuation.yield(.resumed)
    }

    private func pauseAll(_ message: String) {
        let first = state.withLock { s -> Bool in
            guard !s.paused else { return false }
            s.paused = true
            return true
        }
        if first { continuation.yield(.authFailed(message: message)) }
    }

    private func waitWhilePaused() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let wait = state.withLock { s -> Bool in
                if s.paused { s.pauseWaiters.append(c) }
                return s.paused
            }
            if !wait { c.resume() }
        }
    }

    /// Follows one task until it ends; true when it ended on its own (not cancelled).
    func drive(_ initial: WatchState, firstDue: C.Instant, deadline: C.Instant) async -> Bool {
        var state = initial
        var due = firstDue
        while !Task.isCancelled {
            let wake = min(due, deadline)
            if clock.now < wake {
                do { try await clock.sleep(until: wake, tolerance: nil) } catch { return false }
            }
            if Task.isCancelled { return false }
            if clock.now >= deadline {
                continuation.yield(.expired(id: state.id))
                return true
            }
            if isPaused { await waitWhilePaused() }
            await permits.acquire()
            if Task.isCancelled { permits.release(); return false }
            let client = self.state.withLock { s -> any TaskQuerying in
                s.queryCount += 1
                return s.client
            }
            // Deadlines are absolute and counted from when the query was sent, so
            // a clock that moves while this driver is busy never makes it miss a
            // wake-up, and queries of one task are always at least 2 s apart.
            let sent = clock.now
            let id = state.id
            let outcome = await watchdog.run { await Self.ask(id, client: client) } ?? .failure(.timedOut(duringSubmit: false))
            permits.release()
            if Task.isCancelled { return false }
            let (next, updates, decision) = policy.next(state, outcome, random: random())
            state = next
            for u in updates { continuation.yield(u) }
            switch decision {
            case .stop:
                return true
            case let .pollAgain(after):
                due = sent.advanced(by: after)
            case let .pauseAll(message):
                pauseAll(message)
                due = sent.advanced(by: PollSchedule.floor)
            }
        }
        return false
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
