/// One watched task in the poller's schedule.
struct PollEntry<Instant: InstantProtocol>: Sendable {
    var state: WatchState
    /// When it is next queried.
    var due: Instant
    /// When it is given up (`expiry` after submit).
    let deadline: Instant
    /// Which `watch` call made it; an entry whose id was watched again or let go since is dropped.
    let generation: Int

    /// When the schedule must look at it again: its next query or its expiry.
    var wake: Instant { min(due, deadline) }
}

/// The poller's schedule: a binary min-heap of entries by wake time, first come
/// first served among equal times. Insert and removal of the first are O(log n).
struct DueQueue<Instant: InstantProtocol>: Sendable {
    private var heap: [(entry: PollEntry<Instant>, order: Int)] = []
    private var inserted = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The entry that wakes first, if any.
    var first: PollEntry<Instant>? { heap.first?.entry }

    mutating func insert(_ e: PollEntry<Instant>) {
        inserted += 1
        heap.append((e, inserted))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard precedes(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popFirst() -> PollEntry<Instant>? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast().entry
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, precedes(l, m) { m = l }
            if r < heap.count, precedes(r, m) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return top
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let x = heap[a], y = heap[b]
        let wx = x.entry.wake, wy = y.entry.wake
        return wx < wy || (wx == wy && x.order < y.order)
    }
}
