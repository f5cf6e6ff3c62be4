import Foundation

/// When to ask about an unfinished task again: 2 s after submit, then every
/// 2 s growing by x1.5 to a 5 s cap, with about ±20% jitter, never sooner than 2 s
/// (the page recommends polling every 2 to 5 s).
public enum PollSchedule {
    public static let first: Duration = .seconds(2)
    public static let floor: Duration = .seconds(2)
    public static let cap: Duration = .seconds(5)
    public static let growth = 1.5
    public static let jitter = 0.2

    /// The delay before poll number `poll` (1 is the first poll after submit).
    /// `random` is in 0..<1 and spreads the delay by ±20%; the result is always
    /// within 2...5 s (the cap may be jittered down, never below the 2 s floor).
    public static func delay(beforePoll poll: Int, random: Double) -> Duration {
        let base = min(seconds(cap), seconds(first) * pow(growth, Double(max(0, poll - 1))))
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        let jittered = min(seconds(cap), max(seconds(floor), base * factor))
        return .milliseconds(Int((jittered * 1000).rounded()))
    }
}
