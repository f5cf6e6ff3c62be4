import Foundation
import Synchronization

/// A wall clock that only moves when told to, for deterministic tests:
/// pass `now` to the simulator and `advance` wherever the code under test sleeps.
public final class ManualTime: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by d: Duration) {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        current.withLock { $0 = $0.addingTimeInterval(s) }
    }
}
