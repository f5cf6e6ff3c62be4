import Synchronization

/// A first-come, first-served limit on queries in flight, so a thousand watched
/// tasks never become a thousand concurrent requests and none of them starves.
/// A lock, not an actor: taking a free permit costs no hop between executors.
final class QueryPermits: Sendable {
    private struct State {
        var inUse = 0
        var peak = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// The most permits ever held at once (for tests and benchmarks).
    var peak: Int { state.withLock { $0.peak } }

    func acquire() async {
        let got = state.withLock { s -> Bool in
            guard s.inUse < limit else { return false }
            s.inUse += 1
            s.peak = max(s.peak, s.inUse)
            return true
        }
        if got { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            // A permit may have come free between the two locks: take it at once.
            let now = state.withLock { s -> Bool in
                if s.inUse < limit {
                    s.inUse += 1
                    s.peak = max(s.peak, s.inUse)
                    return true
                }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func release() {
        // Hand the permit straight to the longest waiter, if any.
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.inUse -= 1
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
