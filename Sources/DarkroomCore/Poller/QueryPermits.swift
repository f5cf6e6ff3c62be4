/// A first-come, first-served limit on queries in flight, so a thousand watched
/// tasks never become a thousand concurrent requests and none of them starves.
actor QueryPermits {
    private let limit: Int
    private var inUse = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// The most permits ever held at once (for tests and benchmarks).
    private(set) var peak = 0

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            peak = max(peak, inUse)
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            // Hand the permit straight to the longest waiter.
            waiters.removeFirst().resume()
        }
    }
}
