import Foundation

/// How long a running task has taken and how long it may still take: from the
/// rate its progress has moved at, or, before it moves, from the typical
/// duration of past tasks of the same model and tier. An estimate, never a promise.
public enum ProgressEstimate {
    /// The kind of task whose durations are comparable: the model, and for
    /// gpt-image-2 the tier of its size (`gpt-image-2 2K`).
    public static func kind(model: String, size: String?) -> String {
        guard model == Catalog.defaultModelID, let tier = size.flatMap(Catalog.size(named:))?.tier else { return model }
        return "\(model) \(tier.rawValue)"
    }

    public static func kind(of t: TaskRecord) -> String { kind(model: t.request.model, size: t.request.size) }

    /// Seconds since the task was sent (or created, for one still being sent).
    public static func elapsed(_ t: TaskRecord, now: Date) -> TimeInterval {
        max(0, (t.clockStoppedAt ?? now).timeIntervalSince(t.submittedAt ?? t.createdAt))
    }

    /// Seconds left, from the rate progress has moved at since the first
    /// progress seen (nil until it has moved, and for ended tasks). It counts
    /// down between progress reports; a task that stalls stays at about 1 s left,
    /// never below.
    public static func remainingFromRate(_ t: TaskRecord, now: Date) -> TimeInterval? {
        guard !t.state.isFinal, let p = t.progress, p > 0, p < 100 else { return nil }
        let samples = t.events.compactMap { e in e.progress.map { (at: e.at, p: $0) } }
        guard let first = samples.first, let last = samples.last, last.p > first.p else { return nil }
        let rate = Double(last.p - first.p) / max(0.001, last.at.timeIntervalSince(first.at))
        let left = Double(100 - last.p) / rate - now.timeIntervalSince(last.at)
        return max(1, left)
    }

    /// Seconds left from the typical duration of the same kind of task, when
    /// history has one (and the task has not outlived it).
    public static func remainingFromTypical(_ t: TaskRecord, typical: [String: TimeInterval], now: Date) -> TimeInterval? {
        guard !t.state.isFinal, let d = typical[kind(of: t)] else { return nil }
        let left = d - elapsed(t, now: now)
        return left > 0 ? left : nil
    }

    /// The median duration (sent to finished) of past succeeded tasks, per kind,
    /// from `records` (at least 3 of a kind, or none is given for it).
    public static func typicalDurations(_ samples: [(kind: String, seconds: TimeInterval)]) -> [String: TimeInterval] {
        var byKind: [String: [TimeInterval]] = [:]
        for s in samples where s.seconds > 0 { byKind[s.kind, default: []].append(s.seconds) }
        return byKind.compactMapValues { list in
            guard list.count >= 3 else { return nil }
            let sorted = list.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }
}

extension TaskRecord {
    /// When an ended task ended (nil while it runs).
    /// When its elapsed time stopped counting: when it ended, or when the user
    /// stopped watching it (nil while it runs and is watched).
    public var clockStoppedAt: Date? { state.isFinal ? (finishedAt ?? updatedAt) : unwatchedAt }
}
