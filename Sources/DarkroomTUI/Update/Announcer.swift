import DarkroomCore

/// Says when a task ends: in the status bar when the user is looking elsewhere
/// in the TUI, and (when the config asks) with the bell and a desktop
/// notification. Only tasks this TUI saw unfinished are announced, once each;
/// a later change of an ended task is news only when its downloads end with
/// pictures not saved. Cancelled requests are said once per run, elsewhere.
enum Announcer {
    /// Remembers the unfinished ones among tasks the TUI is shown.
    static func seen(_ s: inout AppState, _ tasks: [TaskRecord]) {
        for t in tasks where !t.state.isFinal { s.seenUnfinished.insert(t.localID) }
    }

    static func taskChanged(_ s: inout AppState, _ r: TaskRecord) -> [Effect] {
        guard r.state.isFinal else { seen(&s, [r]); return [] }
        if r.state == .cancelled {
            // Said once for the whole run, by the notice of the cancel.
            s.seenUnfinished.remove(r.localID)
            return []
        }
        if s.seenUnfinished.remove(r.localID) == nil {
            // Announced done while downloading: news again only if pictures end not saved.
            guard s.awaitingSaves.contains(r.localID), r.downloadsOver else { return [] }
            s.awaitingSaves.remove(r.localID)
            return r.isDoneNotSaved ? announce(&s, r, text: notSaved(r), ok: false) : []
        }
        if r.state == .succeeded, !r.downloadsOver { s.awaitingSaves.insert(r.localID) }
        let prompt = TerminalSanitizer.clean(String(r.request.prompt.split(separator: "\n").first ?? ""))
        if r.isDoneNotSaved { return announce(&s, r, text: notSaved(r), ok: false) }
        let ok = r.state == .succeeded
        let what = ok ? "done" : (TerminalSanitizer.clean(r.error ?? r.state.label))
        let text = "\(ok ? "✓" : "✗") #\(r.localID) \(ok ? "done" : "failed"): \(DisplayWidth.truncate(prompt, to: 40))" + (ok ? "" : " (\(what))")
        return announce(&s, r, text: text, ok: ok)
    }

    /// "#1 done, 1 of 2 pictures not saved: d retries (the link has expired (404))".
    static func notSaved(_ r: TaskRecord) -> String {
        let unsaved = r.unsavedResults
        let why = unsaved.compactMap(\.error).first.map { " (" + TerminalSanitizer.clean($0) + ")" } ?? ""
        return "#\(r.localID) done, \(unsaved.count) of \(r.results.count) picture\(r.results.count == 1 ? "" : "s") not saved: d retries" + why
    }

    private static func announce(_ s: inout AppState, _ r: TaskRecord, text: String, ok: Bool) -> [Effect] {
        let prompt = TerminalSanitizer.clean(String(r.request.prompt.split(separator: "\n").first ?? ""))
        let what = r.state == .succeeded ? "pictures not saved" : TerminalSanitizer.clean(r.error ?? r.state.label)
        // Pictures not saved are said in the status bar even on the task itself: the detail shows why, not that.
        let watching = !r.isDoneNotSaved && s.selectedID == r.localID && (s.focus == .detail || s.overlay?.fullPreview != nil || s.focus == .tasks)
        if watching {
            // Shown where the user looks; the log still keeps it.
            let keep = (s.message, s.messageIsError)
            s.say(text, error: !ok, task: r.localID)
            (s.message, s.messageIsError) = keep
        } else {
            s.say(text, error: !ok, task: r.localID)
        }
        guard s.notifications.bell || s.notifications.desktop else { return [] }
        let title = ok ? "darkroom: task done" : r.state == .succeeded ? "darkroom: task done, pictures not saved" : "darkroom: task failed"
        return [.notify(title: title, body: "#\(r.localID) \(prompt)" + (ok ? "" : ": \(what)"),
                        bell: s.notifications.bell, desktop: s.notifications.desktop)]
    }
}
