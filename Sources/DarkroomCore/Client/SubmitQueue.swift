/// Lets at most `limit` submits run at once, first come first served. When
/// one is refused with 429, no submit starts again until the server's
/// `Retry-After` has passed (5 s when it gave none): the whole queue slows,
/// not one request. It never sends anything again by itself: each job's own
/// outcome, success or error, is returned to its caller.
public actor SubmitQueue<C: Clock> where C.Duration == Duration {
    public nonisolated let limit: Int
    private let clock: C
    private let rateLimit: @Sendable (any Error) -> Duration?
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var holdUntil: C.Instant?
    /// The most submits that were ever running at once.
    public private(set) var peak = 0

    /// - Parameters:
    ///   - limit: submits at once (at least 1; default 2, config `max_concurrent_submits`).
    ///   - rateLimit: how long an error says to wait (nil: it is no rate limit). The
    ///     default reads `ClientError.api(.rateLimited)`.
    public init(limit: Int = 2, clock: C, rateLimit: @escaping @Sendable (any Error) -> Duration? = SubmitQueue.clientRateLimit) {
        self.limit = max(1, limit)
        self.clock = clock
        self.rateLimit = rateLimit
    }

    /// A 429 from the client: its Retry-After, or 5 s.
    public static func clientRateLimit(_ error: any Error) -> Duration? {
        if case let .api(.rateLimited(_, after))? = error as? ClientError { return after ?? .seconds(5) }
        return nil
    }

    /// Runs `job` when a place is free and no hold is on.
    public func run<T: Sendable>(_ job: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await job()
            release()
            return value
        } catch {
            if let wait = rateLimit(error) {
                let until = clock.now.advanced(by: wait)
                if holdUntil.map({ $0 < until }) ?? true { holdUntil = until }
            }
            release()
            throw error
        }
    }

    private func acquire() async {
        if running < limit && waiters.isEmpty {
            running += 1
            peak = max(peak, running)
        } else {
            // The place is handed over by `release`, in the order of arrival.
            await withCheckedContinuation { waiters.append($0) }
        }
        // A hold from a 429: wait it out (a later 429 may move it further).
        while let h = holdUntil, clock.now < h {
            do { try await clock.sleep(until: h, tolerance: nil) } catch { break }
        }
    }

    private func release() {
        if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
    }

    /// Submits running now.
    public var inFlight: Int { running }
}
