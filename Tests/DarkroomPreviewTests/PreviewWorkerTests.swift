import DarkroomPreview
import Foundation
import Testing

@Suite("The preview worker")
struct PreviewWorkerTests {
    final class Inbox: @unchecked Sendable {
        let condition = NSCondition()
        var got: [(PreviewKey, String)] = []
        func add(_ k: PreviewKey, _ o: PreviewWorker.Outcome) {
            let word: String = switch o {
            case .ready: "ready"
            case let .failed(f): "failed: \(f.message)"
            case .dropped: "dropped"
            }
            condition.withLock { got.append((k, word)); condition.broadcast() }
        }
        /// Waits for `n` outcomes (a condition variable, not a sleep).
        func wait(for n: Int) -> [(PreviewKey, String)] {
            condition.withLock {
                while got.count < n { _ = condition.wait(until: Date().addingTimeInterval(10)) }
                return got
            }
        }
    }

    @Test("renders off the caller's thread, and a corrupt file is a failure message")
    func rendersAndFails() throws {
        let good = try Fixtures.file(Fixtures.png(Fixtures.quadrants), "good.png")
        let bad = try Fixtures.file(Data("garbage".utf8), "bad.png")
        let inbox = Inbox()
        let worker = PreviewWorker { inbox.add($0, $1) }
        defer { worker.stop() }
        worker.request(PreviewKey(path: good, columns: 4, rows: 2))
        _ = inbox.wait(for: 1)
        worker.request(PreviewKey(path: bad, columns: 4, rows: 2))
        let got = inbox.wait(for: 2)
        #expect(got[0].1 == "ready")
        #expect(got[1].1 == "failed: not a PNG, JPEG or WebP image")
    }

    @Test("past the pending limit the oldest requests are dropped and reported; the newest is served first")
    func drops() throws {
        let path = try Fixtures.file(Fixtures.png(Fixtures.quadrants), "q.png")
        let inbox = Inbox()
        // The first outcome is held until every request is in, so the queue fills deterministically.
        let gate = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        let worker = PreviewWorker(maxPending: 2) { k, o in
            if k.columns == 1 { started.signal(); gate.wait() }
            inbox.add(k, o)
        }
        defer { worker.stop() }
        worker.request(PreviewKey(path: path, columns: 1, rows: 2))
        started.wait()
        #expect(worker.pendingCount == 0)
        for i in 2...10 { worker.request(PreviewKey(path: path, columns: i, rows: 2)) }
        gate.signal()
        let got = inbox.wait(for: 10)
        #expect(got.filter { $0.1 == "dropped" }.map(\.0.columns) == Array(2...8))
        #expect(got.filter { $0.1 == "ready" }.map(\.0.columns) == [1, 10, 9], "newest first after the one in progress")
    }

    @Test("a refit of the same file reuses the decoded bitmap, even after the file is gone")
    func reuse() throws {
        let path = try Fixtures.file(Fixtures.png(Fixtures.quadrants), "q.png")
        let worker = PreviewWorker { _, _ in }
        defer { worker.stop() }
        guard case .ready = worker.render(PreviewKey(path: path, columns: 8, rows: 4)) else { Issue.record("no first render"); return }
        try FileManager.default.removeItem(atPath: path)
        guard case let .ready(p) = worker.render(PreviewKey(path: path, columns: 4, rows: 2)) else { Issue.record("the refit decoded again"); return }
        #expect(p.columns == 4)
    }
}
