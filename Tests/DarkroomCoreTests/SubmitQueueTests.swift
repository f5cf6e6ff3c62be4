import Clocks
import DarkroomCore
import Synchronization
import Testing

/// The submit queue: a limit on submits at once, a 429 that holds the whole
/// queue, and nothing ever sent twice. Time is a test clock.
@Suite("Submit queue")
struct SubmitQueueTests {
    /// A job that waits until released, counting its starts.
    final class Gate: Sendable {
        let started = Mutex(0)
        let open = Mutex(false)
        func job() async throws -> Int {
            let n = started.withLock { $0 += 1; return $0 }
            while !open.withLock({ $0 }) { await Task.yield() }
            return n
        }
    }

    /// Lets other tasks run: until `condition` holds (bounded), then a little more.
    func settle(until condition: () -> Bool = { false }) async {
        var n = 0
        while !condition() && n < 100_000 { await Task.yield(); n += 1 }
        for _ in 0..<200 { await Task.yield() }
    }

    @Test("at most the limit run at once; the others wait their turn, and each runs once")
    func limit() async throws {
        let queue = SubmitQueue(limit: 2, clock: TestClock())
        let gate = Gate()
        let tasks = (0..<5).map { _ in Task { try await queue.run { try await gate.job() } } }
        await settle { gate.started.withLock { $0 } >= 2 }
        #expect(gate.started.withLock { $0 } == 2)
        #expect(await queue.inFlight == 2)
        gate.open.withLock { $0 = true }
        var done: [Int] = []
        for t in tasks { done.append(try await t.value) }
        #expect(done.sorted() == [1, 2, 3, 4, 5])
        #expect(gate.started.withLock { $0 } == 5)
        #expect(await queue.peak == 2)
        #expect(await queue.inFlight == 0)
    }

    @Test("a 429 holds every submit not yet started until its Retry-After; the refused one is not sent again")
    func rateLimited() async throws {
        let clock = TestClock()
        let queue = SubmitQueue(limit: 2, clock: clock)
        let calls = Mutex(0)
        await #expect(throws: ClientError.self) {
            try await queue.run { () async throws -> Int in
                calls.withLock { $0 += 1 }
                throw ClientError.api(.rateLimited(message: "slow down", retryAfter: .seconds(10)))
            }
        }
        #expect(calls.withLock { $0 } == 1)
        let next = Task { try await queue.run { calls.withLock { $0 += 1; return $0 } } }
        await settle()
        #expect(calls.withLock { $0 } == 1, "held")
        await clock.advance(by: .seconds(9))
        await settle()
        #expect(calls.withLock { $0 } == 1, "still held at 9 s")
        await clock.advance(by: .seconds(1))
        #expect(try await next.value == 2)
        // Other failures hold nothing.
        await #expect(throws: ClientError.self) {
            try await queue.run { () async throws -> Int in throw ClientError.api(.server(status: 500, message: "x")) }
        }
        #expect(try await queue.run { 7 } == 7)
    }

    @Test("a 429 without Retry-After holds for 5 s")
    func defaultHold() {
        #expect(SubmitQueue<TestClock<Duration>>.clientRateLimit(ClientError.api(.rateLimited(message: "", retryAfter: nil))) == .seconds(5))
        #expect(SubmitQueue<TestClock<Duration>>.clientRateLimit(ClientError.api(.server(status: 503, message: ""))) == nil)
    }
}
