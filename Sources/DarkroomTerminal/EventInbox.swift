import DarkroomTUI
import Foundation

/// Events posted from other threads (the Studio, finished effects, signals) to
/// the terminal thread. Posting writes a byte to a pipe, so the loop can sleep
/// in `poll` on the keyboard and this pipe at once: no busy waiting.
final class EventInbox: @unchecked Sendable {
    // `queue` is guarded by `lock`; the pipe fds never change after init.
    private let lock = NSLock()
    private var queue: [Event] = []
    let readFD: Int32
    let writeFD: Int32

    init() {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
    }

    func post(_ e: Event) {
        lock.withLock { queue.append(e) }
        wake()
    }

    /// Wakes the loop without an event (async-signal-safe: one write).
    func wake() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    func drain() -> [Event] {
        var buf = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buf, buf.count) > 0 {}
        return lock.withLock {
            let out = queue
            queue.removeAll()
            return out
        }
    }
}
