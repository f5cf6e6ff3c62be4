import Synchronization

/// Runs an operation with a time limit that the caller enforces itself: when the
/// limit passes, the caller gets `Deadline.Exceeded` at once and the operation is
/// cancelled and left behind, even if it never returns (a transport stuck in a
/// read must not hold the caller forever).
public enum Deadline {
    public struct Exceeded: Error, Equatable, Sendable {
        public init() {}
    }

    /// - Parameters:
    ///   - limit: how long the operation may take.
    ///   - sleep: waits `limit`; tests pass a test clock's sleep.
    public static func run<T: Sendable>(_ limit: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void,
                                        _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
                guard race.begin(c) else { return }
                let work = Task {
                    do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    do { try await sleep(limit) } catch { return }
                    if race.finish(.failure(Exceeded())) { work.cancel() }
                }
                race.attach(work: work, timer: timer)
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// The first result wins; the loser is cancelled.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, Error>?
            var done = false
            var work: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }
        private let state = Mutex(State())

        /// Stores the caller; false (and the caller resumed with cancellation) when
        /// the task was cancelled before the race began.
        func begin(_ c: CheckedContinuation<T, Error>) -> Bool {
            let cancelled = state.withLock { s -> Bool in
                if s.done { return true }
                s.continuation = c
                return false
            }
            if cancelled { c.resume(throwing: CancellationError()) }
            return !cancelled
        }

        func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
            let finished = state.withLock { s -> Bool in
                s.work = work
                s.timer = timer
                return s.done
            }
            if finished { timer.cancel() }
        }

        /// Resumes the caller if nobody did yet; returns whether this call did.
        @discardableResult
        func finish(_ result: Result<T, Error>) -> Bool {
            let (c, timer) = state.withLock { s -> (CheckedContinuation<T, Error>?, Task<Void, Never>?) in
                guard !s.done else { return (nil, nil) }
                s.done = true
                defer { s.continuation = nil }
                return (s.continuation, s.timer)
            }
            guard let c else { return false }
            timer?.cancel()
            c.resume(with: result)
            return true
        }

        func cancel() {
            let work = state.withLock { $0.work }
            if finish(.failure(CancellationError())) { work?.cancel() }
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    public var nanoseconds: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : ns &+ atto / 1_000_000_000
    }
}
