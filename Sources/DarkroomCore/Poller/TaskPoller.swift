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
/// Every watched task sits in one schedule (`PollScheduler`): one timer sleeps
/// on the injected clock until the first is due, and at most `maxInFlight`
/// workers (default 16) query, first due first served, asking `WatchPolicy` what
/// to do next. A thousand watched tasks cost one timer and sixteen workers, not a
/// thousand sleeping tasks. The timer goes off at most every `coalescing`
/// (default 250 ms), so queries due close together go out together: their
/// answers come back together and are read in fewer wake-ups (BENCHMARKS.md,
/// "Poller"). No query goes out early, and two queries of a task stay within
/// the schedule's 2 to 5 s (`PollScheduler.latestDelay`).
///
/// The client it is given should not retry on its own (`RetryPolicy.none`):
/// backoff is the poller's job, per task, so one failing task never delays the others.
///
/// A query that has not answered within `queryTimeout` (default 65 s: the
/// client's 60 s plus a margin) is abandoned by the poller itself, whatever the
/// transport does, and counts as a timeout: one stuck connection never stops
/// the other tasks' polling. That limit runs on real time by default
/// (`timeoutSleep`), not on the schedule's clock, so a simulated clock whose
/// sleeps move time forward is not moved by it.
public actor TaskPoller<C: Clock> where C.Duration == Duration {
    public nonisolated let updates: AsyncStream<PollerUpdate>
    private nonisolated let scheduler: PollScheduler<C>
    /// How long after submit an unfinished task is given up (default 24 h).
    public let expiry: Duration
    /// How long a query may take before the poller abandons it (default 65 s; it
    /// is abandoned between that and 1.5 times that, see `QueryWatchdog`).
    public let queryTimeout: Duration

    /// - Parameters:
    ///   - maxInFlight: queries at once (default 16; over HTTP/1.1, as many
    ///     connections to the server).
    ///   - coalescing: the shortest time between two wake-ups of the schedule's
    ///     timer (default 250 ms); queries due closer together than that go out
    ///     together, at most that much late.
    public init(client: any TaskQuerying, clock: C, maxInFlight: Int = 16, coalescing: Duration = .milliseconds(250), policy: WatchPolicy = WatchPolicy(),
                expiry: Duration = .seconds(24 * 3600), queryTimeout: Duration = .seconds(65),
                timeoutSleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                random: @escaping @Sendable () -> Double = { ScheduleJitter.unit() }) {
        self.queryTimeout = queryTimeout
        self.expiry = expiry
        let (updates, continuation) = AsyncStream.makeStream(of: PollerUpdate.self)
        self.updates = updates
        scheduler = PollScheduler(client: client, clock: clock, limit: maxInFlight, coalescing: coalescing, policy: policy, random: random,
                                  continuation: continuation, watchdog: QueryWatchdog(limit: queryTimeout, sleep: timeoutSleep))
    }

    /// Queries from now on go through `client` (e.g. with a key read afresh).
    public func setClient(_ client: any TaskQuerying) {
        scheduler.setClient(client)
    }

    /// Queries sent so far.
    public var queryCount: Int { scheduler.queryCount }

    /// The ids being watched now.
    public var watched: Set<String> { scheduler.watched }

    /// Returns once no query is in flight and none is due, with the instant the
    /// poller wakes next (nil: nothing scheduled). A test that moves the clock
    /// by hand steps just past that instant (a `TestClock` sleep until exactly
    /// its `now` waits for the next step), then waits here again: the queries
    /// due then have been sent and answered, with no sleep. Waits for as long
    /// as a query takes (its time limit bounds that).
    public func untilIdle() async -> C.Instant? { await scheduler.untilIdle() }

    /// The most queries that were ever in flight at once.
    public var peakInFlight: Int { scheduler.peak }

    public var isPaused: Bool { scheduler.isPaused }

    /// How many times the schedule's timer went off: one per batch of due
    /// queries, not one per query (for tests and benchmarks).
    public var timerWakeUps: Int { scheduler.wakeUps }

    /// Starts watching a task (again, if it already was).
    /// - Parameters:
    ///   - age: how long ago it was submitted; the first query comes 2 s after
    ///     submit (at once for older tasks), and the 24 h expiry counts from submit.
    ///   - last: what is already known of it, so only changes are published.
    public func watch(_ id: String, age: Duration = .zero, last: ImageTask? = nil) {
        let start = scheduler.clock.now
        scheduler.watch(WatchState(id: id, last: last), due: start.advanced(by: max(.zero, PollSchedule.first - age)),
                        deadline: start.advanced(by: expiry - age))
    }

    /// Stops watching a task. It stays in history; nothing is sent to the server.
    public func stopWatching(_ id: String) {
        scheduler.stopWatching(id)
    }

    /// Stops every query and ends the update stream. Call it when done: until
    /// then the workers wait for work, and the poller is kept alive by them.
    public func shutdown() {
        scheduler.shutdown()
    }

    /// Resumes polling after an auth failure (e.g. once the key was fixed).
    public func resume() {
        scheduler.resume()
    }
}

/// Where the schedule's jitter comes from by default: SplitMix64, seeded once
/// from the system's generator. The system generator makes a `getrandom` call
/// each time it is asked; jitter needs no secrecy, only spread.
public enum ScheduleJitter {
    private static let generator = Mutex(SeededRandom(seed: UInt64.random(in: .min ... .max)))

    /// A number in 0..<1.
    public static func unit() -> Double { generator.withLock { $0.unit() } }
}
