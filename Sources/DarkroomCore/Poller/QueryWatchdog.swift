import Synchronization

/// Abandons the poller's queries that have not answered in time, whatever the
/// transport does, with one timer for all of them instead of one per query.
///
/// It ticks every `limit / 2` while queries are in flight (and sleeps not at all
/// when none are): a query still running at the third tick after it began is
/// abandoned, so each is given between `limit` and `1.5 × limit`. The caller gets
/// `nil` at once; the abandoned work is cancelled and left to end on its own.
final class QueryWatchdog: Sendable {
    private struct Entry {
        let tick: Int
        let resume: @Sendable (QueryOutcome?) -> Void
        var work: Task<Void, Never>?
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

    /// Runs `query`; returns its outcome, or nil when it was abandoned.
    func run(_ query: @escaping @Sendable () async -> QueryOutcome) async -> QueryOutcome? {
        await withCheckedContinuation { (c: CheckedContinuation<QueryOutcome?, Never>) in
            let once = Once(c)
            // Registered before the work starts, so a quick answer always finds its entry.
            let (id, startTicking) = state.withLock { s -> (Int, Bool) in
                s.next += 1
                s.inFlight[s.next] = Entry(tick: s.tick, resume: { once.resume($0) }, work: nil)
                defer { s.ticking = true }
                return (s.next, !s.ticking)
            }
            let work = Task {
                let outcome = await query()
                once.resume(outcome)
                self.remove(id)
            }
            state.withLock { $0.inFlight[id]?.work = work }
            if startTicking { Task { await self.tickWhileBusy() } }
        }
    }

    private func remove(_ id: Int) {
        _ = state.withLock { $0.inFlight.removeValue(forKey: id) }
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
            for e in overdue {
                e.resume(nil)
                e.work?.cancel()
            }
            let idle = state.withLock { s -> Bool in
                if s.inFlight.isEmpty { s.ticking = false }
                return s.inFlight.isEmpty
            }
            if idle { return }
        }
    }

    /// Resumes a continuation once, whoever comes first.
    private final class Once: Sendable {
        private let c: Mutex<CheckedContinuation<QueryOutcome?, Never>?>
        init(_ c: CheckedContinuation<QueryOutcome?, Never>) { self.c = Mutex(c) }
        func resume(_ v: QueryOutcome?) {
            let taken = c.withLock { c -> CheckedContinuation<QueryOutcome?, Never>? in
                defer { c = nil }
                return c
            }
            taken?.resume(returning: v)
        }
    }
}
