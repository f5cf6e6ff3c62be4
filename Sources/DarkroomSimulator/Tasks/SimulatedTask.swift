import DarkroomCore
import Foundation

/// One task in the simulator, with its whole future fixed at creation: how long
/// it waits in the queue, how long it runs, and how it ends. Its state at any
/// moment is a pure function of the time elapsed since submit.
public struct SimulatedTask: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case succeed
        case fail(reason: String)
    }

    public let id: String
    public let model: String
    public let prompt: String
    public let taskType: String
    public let n: Int
    /// Width over height of the pictures to paint.
    public let aspect: Double
    /// The format results are encoded in (`output_format`, default PNG).
    public var format: OutputFormat = .png
    /// SHA-256 (hex) of each uploaded reference file, in the order received: tests
    /// check the bytes that arrived.
    public var uploads: [String] = []
    /// The reference URLs sent in `image`/`images`.
    public var imageURLs: [String] = []
    public let createdAt: Date
    /// Seconds spent queued, then running (already divided by the speed factor).
    public let queuedFor: Double
    public let runsFor: Double
    public let outcome: Outcome
    /// Seconds after submit when the task is forgotten, if it vanishes.
    public let vanishesAfter: Double?

    /// The status word (lower case, the page's four) and the progress at `elapsed` seconds.
    public func state(elapsed: Double) -> (status: String, progress: Int) {
        if elapsed < queuedFor { return ("queued", 0) }
        let running = elapsed - queuedFor
        if running < runsFor {
            // Progress rises in steps of 5 like real gateways report it.
            let fraction = running / runsFor
            let stepped = Int(fraction * 20) * 5
            if case .fail = outcome, fraction > 0.6 { return ("failed", stepped) }
            return ("processing", min(95, max(5, stepped)))
        }
        switch outcome {
        case .succeed: return ("succeeded", 100)
        case .fail: return ("failed", 100)
        }
    }

    /// Seconds after submit when the task finishes.
    public var finishesAfter: Double {
        if case .fail = outcome { return queuedFor + runsFor * 0.6 }
        return queuedFor + runsFor
    }

    public func isVanished(elapsed: Double) -> Bool {
        guard let v = vanishesAfter else { return false }
        return elapsed >= v
    }
}
