import DarkroomCore
import DarkroomHistory

/// Says when a task ends: in the status bar when the user is looking elsewhere
/// in the TUI, and (when the config asks) with the bell and a desktop
/// notification. Each task's end is announced once.
enum Announcer {
    static func taskChanged(_ s: inout AppState, _ r: TaskRecord, before: TaskRecord?) -> [Effect] {
        guard r.state.isFinal, !s.announced.contains(r.localID) else { return [] }
        // A change of a task already known as ended (a download, say) is no news.
        if let before, before.state.isFinal { return [] }
        s.announced.insert(r.localID)
        let ok = r.state == .succeeded
        let prompt = TerminalSanitizer.clean(String(r.request.prompt.split(separator: "\n").first ?? ""))
        let what = ok ? "done" : (TerminalSanitizer.clean(r.error ?? r.state.label))
        let text = "\(ok ? "✓" : "✗") #\(r.localID) \(ok ? "done" : "failed"): \(DisplayWidth.truncate(prompt, to: 40))" + (ok ? "" : " (\(what))")
        let watching = s.selectedID == r.localID && (s.focus == .detail || s.fullPreview != nil || s.focus == .tasks)
        if !watching {
            s.message = text
            s.messageIsError = !ok
        }
        guard s.notifications.bell || s.notifications.desktop else { return [] }
        return [.notify(title: ok ? "darkroom: task done" : "darkroom: task failed", body: "#\(r.localID) \(prompt)" + (ok ? "" : ": \(what)"),
                        bell: s.notifications.bell, desktop: s.notifications.desktop)]
    }
}
