import Foundation

/// A task's timeline as rows of text: the one layout of `darkroom show` and the
/// TUI's detail. Each row: the time, the state's word (`TaskState.label`), the
/// progress, and the time since the previous change.
public enum Timeline {
    /// - Parameters:
    ///   - time: how a moment is written (the CLI: ISO 8601; the TUI: the clock in the user's zone).
    ///   - duration: how the time between two changes is written ("12s").
    public static func rows(_ events: [TaskEvent], time: (Date) -> String, duration: (TimeInterval) -> String) -> [String] {
        var previous: Date?
        return events.map { e in
            let delta = previous.map { "  +" + duration(e.at.timeIntervalSince($0)) } ?? ""
            previous = e.at
            let progress = e.progress.map { String(format: "%3d%%", $0) } ?? "    "
            return "\(time(e.at))  \(DisplayWidth.pad(e.state.label, to: 10))\(progress)\(delta)"
        }
    }
}
