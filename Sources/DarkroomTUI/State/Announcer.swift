import DarkroomCore
import DarkroomHistory

/// Says when a task ends: in the status bar when the user is looking elsewhere
/// in the TUI, and (when the config asks) with the bell and a desktop
/// notification. Only tasks this TUI saw unfinished are announced, once each:
/// a later change of an ended task (a download, say) is no news.
enum Announcer {
    /// Remembers the unfinished ones among tasks the TUI is shown.
    static func seen(_ s: inout AppState, _ tasks: [TaskRecord]) {
        for t in tasks where !t.state.isFinal { s.seenUnfinished.insert(t.localID) }
    }

    static func taskChanged(_ s: inout AppState, _ r: TaskRecord) -> [Effect] {
        guard r.state.isFinal else { seen(&s, [r]); return [] }
        guard s.seenUnfinished.remove(r.localID) != nil else { return [] }
        let ok = r.state == .succeeded
        let prompt = TerminalSanitizer.clean(String(r.request.prompt.split(separator: "\n").first ?? ""))
        let what = ok ? "done" : (TerminalSanitizer.clean(r.error ?? r.state.label))
        let text = "\(ok ? "✓" : "✗") #\(r.localID) \(ok ? "done" : "failed"): \(DisplayWidth.truncate(prompt, to: 40))" + (ok ? "" : " (\(what))")
        let watching = s.selectedID == r.localID && (s.focus == .detail || s.overlay?.fullPreview != nil || s.focus == .tasks)
        if watching {
            // Shown where the user looks; the log still keeps it.
            let keep = (s.message, s.messageIsError)
            s.say(text, error: !ok, task: r.localID)
            (s.message, s.messageIsError) = keep
        } else {
            s.say(text, error: !ok, task: r.localID)
        }
        guard s.notifications.bell || s.notifications.desktop else { return [] }
        return [.notify(title: ok ? "darkroom: task done" : "darkroom: task failed", body: "#\(r.localID) \(prompt)" + (ok ? "" : ": \(what)"),
                        bell: s.notifications.bell, desktop: s.notifications.desktop)]
    }
}
