import Synchronization

/// Notices the poller's queries that have not answered in time, whatever the
/// transport does, with one timer for all of them instead of one per query.
///
/// It ticks every `limit / 2` while queries are in flight (and sleeps not at all
/// when none are): a query still running at the third tick after it began is
/// abandoned, so each is given between `limit` and `1.5 × limit`. Abandoning
/// calls the handler given to `begin`, once, from the watchdog's own task; the
/// query's caller learns it from `end`, which then returns false.
final class QueryWatchdog: Sendable {
    private struct Entry {
        let tick: Int
        let abandon: @Sendable () -> Void
    }

    private struct State {
        var tick = 0
        var next = 0
        var inFlight: [Int: Entry] = [:]
        var ticking = false
    }

    private let limit: Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state = Mutex(State())

    init(limit: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.limit = limit
        self.sleep = sleep
    }

    /// Registers a query that starts now; returns its token for `end`.
    func begin(abandon: @escaping @Sendable () -> Void) -> Int {
        let (token, startTicking) = state.withLock { s -> (Int, Bool) in
            s.next += 1
            s.inFlight[s.next] = Entry(tick: s.tick, abandon: abandon)
            defer { s.ticking = true }
            return (s.next, !s.ticking)
        }
        if startTicking { Task { await self.tickWhileBusy() } }
        return token
    }

    /// The query answered. True when it is still the caller's to handle; false
    /// when it was abandoned first (its handler has run or is running).
    func end(_ token: Int) -> Bool {
        state.withLock { $0.inFlight.removeValue(forKey: token) != nil }
    }

    private func tickWhileBusy() async {
        while true {
            do { try await sleep(limit / 2) } catch {
                state.withLock { $0.ticking = false }
                return
            }
            let overdue: [Entry] = state.withLock { s in
                s.tick += 1
                let old = s.inFlight.filter { s.tick - $0.value.tick >= 3 }
                for k in old.keys { s.inFlight.removeValue(forKey: k) }
                return Array(old.values)
            }
            for e in overdue { e.abandon() }
            let idle = state.withLock { s -> Bool in
                if s.inFlight.isEmpty { s.ticking = false }
                return s.inFlight.isEmpty
            }
            if idle { return }
        }
    }
}
