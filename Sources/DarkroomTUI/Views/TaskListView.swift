import DarkroomCore
import Foundation

/// The live task list: a row per task with its mark, progress, model, shape,
/// age and the first line of its prompt, cut by display width.
enum TaskListView {
    static func mark(_ state: TaskState) -> (String, Style) {
        switch state {
        case .waiting: return ("·", Theme.hint)
        case .paused: return ("‖", Theme.warning)
        case .cancelled: return ("–", Theme.hint)
        case .intent: return ("…", Theme.hint)
        case .queued: return ("○", Theme.label)
        case .processing: return ("◐", Style(fg: .cyan))
        case .unknown: return ("?", Theme.warning)
        case .succeeded: return ("✓", Theme.ok)
        case .failed, .submitFailed, .lost: return ("✗", Theme.error)
        case .submitUnknown: return ("?", Theme.warning)
        case .expired: return ("✗", Theme.warning)
        }
    }

    /// A row's mark: its state's, `‖` for an unfinished task the user stopped
    /// watching, `!` for a task done whose pictures were not all saved.
    static func mark(_ t: TaskRecord) -> (String, Style) {
        if t.isDoneNotSaved { return ("!", Theme.warning) }
        return t.unwatchedAt != nil && t.state.isWatchable ? ("‖", Theme.hint) : mark(t.state)
    }

    /// A row's status word: its state's, `unwatched`, `not saved`, or `no answer`
    /// while the server does not answer its status queries.
    static func word(_ t: TaskRecord, _ s: AppState? = nil) -> String {
        if t.isDoneNotSaved { return "not saved" }
        if t.unwatchedAt != nil && t.state.isWatchable { return "unwatched" }
        if t.state.isWatchable, let trouble = s?.pollTrouble[t.localID] { return trouble.silent ? "no answer" : "retrying" }
        return t.statusLabel
    }

    /// How old a task is: since it was created, always counting up (it does not
    /// start again when the task ends), but stopped when the user stopped watching it.
    static func ageSeconds(_ t: TaskRecord, now: Date) -> TimeInterval {
        let end = t.state.isWatchable ? (t.unwatchedAt ?? now) : now
        return max(0, end.timeIntervalSince(t.createdAt))
    }

    static func draw(_ screen: inout Screen, _ s: AppState, in r: Rect, now: Date) {
        guard r.width > 10, r.height > 1 else { return }
        let showStatus = r.width >= 48, showModel = r.width >= 68, showShape = r.width >= 92
        let thumbs = PreviewPlanner.showsThumbnails(s, list: r)
        var header = thumbs ? "  " + String(repeating: " ", count: PreviewPlanner.thumbnailWidth + 1) : "  "
        if showStatus { header += "STATUS    " }
        header += "PROGRESS        "
        if showModel { header += "MODEL            " }
        if showShape { header += "SHAPE      " }
        header += "AGE  "
        if showModel { header += "LEFT " }
        header += "PROMPT"
        screen.put(header, x: r.x, y: r.y, style: Theme.label, limit: r.width)
        if s.tasks.isEmpty {
            screen.put(s.filterText.isEmpty && s.statusFilter == .all ? "No tasks yet. Compose one and press Ctrl-S." : "No task matches.",
                       x: r.x + 1, y: r.y + 2, style: Theme.hint, limit: r.width - 1)
            return
        }
        let rows = r.height - 1
        for (i, t) in s.tasks.enumerated().dropFirst(s.scrollTop).prefix(rows) {
            let y = r.y + 1 + i - s.scrollTop
            let (m, ms) = mark(t)
            var x = r.x + 1
            x += screen.put(m, x: x, y: y, style: ms)
            if thumbs { x += 1 + thumbnail(&screen, s, t, x: x + 1, y: y) }
            if showStatus { x += screen.put(" " + DisplayWidth.pad(word(t, s), to: 9), x: x, y: y, limit: 10) }
            x += 1
            x += progress(&screen, t, x: x, y: y)
            x += 1
            if showModel { x += screen.put(DisplayWidth.pad(t.request.model.isEmpty ? "?" : t.request.model, to: 16), x: x, y: y, limit: 16) + 1 }
            if showShape { x += screen.put(DisplayWidth.pad(t.shapeLabel, to: 10), x: x, y: y, limit: 10) + 1 }
            x += screen.put(DisplayWidth.pad(age(ageSeconds(t, now: now)), to: 4), x: x, y: y, style: Theme.hint) + 1
            if showModel { x += screen.put(DisplayWidth.pad(left(t, s, now: now).map { "~" + age($0) } ?? "", to: 4), x: x, y: y, style: Theme.hint) + 1 }
            if t.isStarred { x += screen.put("★ ", x: x, y: y, style: Theme.star) }
            if t.isHidden, s.statusFilter != .hidden { x += screen.put("(hidden) ", x: x, y: y, style: Theme.hint) }
            let prompt = TerminalSanitizer.clean(String(t.request.prompt.split(separator: "\n").first ?? ""))
            // Tags after the prompt, given up to a third of the room (none in a narrow column).
            let tags = t.tags.map { " #\($0)" }.joined()
            let tagRoom = tags.isEmpty || r.maxX - x < 30 ? 0 : min(DisplayWidth.of(tags), (r.maxX - x) / 3)
            x += screen.put(DisplayWidth.truncate(prompt, to: max(0, r.maxX - x - tagRoom)), x: x, y: y)
            if tagRoom > 0 { screen.put(DisplayWidth.truncate(tags, to: tagRoom), x: x, y: y, style: Theme.hint) }
            if t.localID == s.selectedID {
                let focused = s.focus == .tasks
                screen.restyle(Rect(x: r.x, y: y, width: r.width, height: 1)) { st in
                    if focused { st.reverse = true } else { st.bold = true; st.underline = true }
                }
                // The thumbnail keeps its own colours on the selection bar.
                if thumbs, !PreviewPlanner.saved(t).isEmpty { _ = thumbnail(&screen, s, t, x: r.x + 3, y: y) }
            }
        }
        if s.tasks.count > rows {
            let info = " \(min(s.tasks.count, s.scrollTop + rows))/\(s.tasks.count)\(s.hasMore ? "+" : "") "
            screen.put(info, x: r.maxX - DisplayWidth.of(info), y: r.maxY, style: Theme.hint)
        }
    }

    /// A row's small preview (4x1 cells, 4x2 pixels): its colours at a glance.
    static func thumbnail(_ screen: inout Screen, _ s: AppState, _ t: TaskRecord, x: Int, y: Int) -> Int {
        let w = PreviewPlanner.thumbnailWidth
        let area = Rect(x: x, y: y, width: w, height: 1)
        guard let r = PreviewPlanner.saved(t).first, let slot = PreviewView.slot(s, r, Rect(x: 0, y: 0, width: w, height: 1)) else {
            return screen.put(String(repeating: " ", count: w), x: x, y: y)
        }
        switch slot {
        case let .ready(p): PreviewView.image(&screen, p, in: area, depth: s.colorDepth)
        case .loading: screen.put(String(repeating: "·", count: w), x: x, y: y, style: Theme.hint)
        case .failed: screen.put(DisplayWidth.pad("?", to: w), x: x, y: y, style: Theme.warning)
        }
        return w
    }

    /// A 10-cell bar and the percent: `█████░░░░░  50%`.
    static func progress(_ screen: inout Screen, _ t: TaskRecord, x: Int, y: Int) -> Int {
        let p = t.state == .succeeded ? 100 : (t.progress ?? 0)
        guard [.queued, .processing, .unknown, .succeeded].contains(t.state) else {
            return screen.put(String(repeating: " ", count: 15), x: x, y: y)
        }
        let filled = max(0, min(10, p / 10))
        var w = screen.put(String(repeating: "█", count: filled), x: x, y: y, style: Theme.progressDone)
        w += screen.put(String(repeating: "░", count: 10 - filled), x: x + w, y: y, style: Theme.progressTodo)
        w += screen.put(String(format: " %3d%%", p), x: x + w, y: y)
        return w
    }

    static func age(_ seconds: TimeInterval) -> String { TimeText.age(seconds) }

    /// Time left: from the task's own rate once its progress moved, else from
    /// the typical duration of its kind in history.
    /// Only for a task the server has and that is being polled: not one whose
    /// submission is unknown ("submit?"), not one sending, not one unwatched.
    static func left(_ t: TaskRecord, _ s: AppState, now: Date) -> TimeInterval? {
        guard t.isWatched, t.state == .queued || t.state == .processing || t.state == .unknown else { return nil }
        return ProgressEstimate.remainingFromRate(t, now: now) ?? ProgressEstimate.remainingFromTypical(t, typical: s.typicalDurations, now: now)
    }
}
