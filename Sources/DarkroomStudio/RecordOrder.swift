import DarkroomCore
/// Keeps what `Studio.events` says of each task in the order the history saw it.
///
/// A record reaches the Studio's actor after an `await` on the history (a read,
/// or a write that reads the task back), and those awaits resume on the shared
/// thread pool before hopping back to the actor: two records of one task, read
/// one after the other, can arrive in the other order. Emitted as they arrive,
/// the older one would be the last word on the task (a task "downloading"
/// after it said "saved"; `darkroom watch` then waits forever).
///
/// So each record takes a ticket on the actor *before* its read or write is
/// started, and is emitted only if no record of the same task with a later
/// ticket was emitted already. A record read after another was started sees
/// everything that one saw, so dropping the earlier one loses no news.
struct RecordOrder {
    private var issued: UInt64 = 0
    private var lastEmitted: [Int64: UInt64] = [:]

    /// A place in the order, for a record about to be read or written now.
    mutating func ticket() -> UInt64 {
        issued += 1
        return issued
    }

    /// Whether a record of task `localID` that holds `ticket` may be emitted:
    /// false when one with a later ticket was emitted already. Records that
    /// share a ticket (one write for several answers) are all admitted.
    mutating func admit(_ localID: Int64, ticket: UInt64) -> Bool {
        if let last = lastEmitted[localID], last > ticket { return false }
        lastEmitted[localID] = ticket
        return true
    }
}
