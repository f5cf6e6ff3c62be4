import Foundation

/// A clock on `ManualTime` whose sleeps do not wait: sleeping moves the
/// simulated time to the deadline. Lets the real poller, CLI and simulator run
/// a whole task lifetime in milliseconds, deterministically, in tests and benchmarks.
public struct SimulatedClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        /// Time since the ManualTime's epoch.
        public let offset: Duration
        public func advanced(by d: Duration) -> Instant { Instant(offset: offset + d) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    public let time: ManualTime
    public init(time: ManualTime) { self.time = time }

    public var now: Instant { Instant(offset: .milliseconds(Int64((time.now().timeIntervalSince1970 * 1000).rounded()))) }
    public var minimumResolution: Duration { .milliseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let gap = now.duration(to: deadline)
        if gap > .zero { time.advance(by: gap) }
        await Task.yield()
        try Task.checkCancellation()
    }
}
