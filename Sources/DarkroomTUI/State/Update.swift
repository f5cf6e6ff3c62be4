import DarkroomCore
import DarkroomHistory

/// The TUI's only state transition: a pure function of the state and an event,
/// returning the effects to run. No I/O, no clocks, no terminal.
public func update(_ s: inout AppState, _ event: Event) -> [Effect] {
    var effects = apply(&s, event)
    s.composer.refreshValidation()
    // Whatever changed, ask for the previews the screen now shows and lacks.
    effects += PreviewPlanner.request(&s)
    return effects
}

private func apply(_ s: inout AppState, _ event: Event) -> [Effect] {
    switch event {
    case let .resize(w, h):
        s.width = w
        s.height = h
        Scrolling.keepSelectionVisible(&s)
        return []
    case let .paste(text):
        return paste(&s, text)
    case let .key(k):
        return key(&s, k)
    case let .mouse(kind, x, y):
        return Mouse.handle(&s, kind, x: x, y: y)
    case let .taskChanged(r):
        TaskList.upsert(&s, r, select: false)
        return Announcer.taskChanged(&s, r)
    case let .submitted(r):
        s.submitting = max(0, s.submitting - 1)
        Cost.count(&s, r.request)
        Announcer.seen(&s, [r])
        TaskList.upsert(&s, r, select: true)
        s.message = "Submitted \(r.taskID ?? "#\(r.localID)")"
        s.messageIsError = false
        return []
    case let .tasksLoaded(list, replace):
        TaskList.load(&s, list, replace: replace)
        Announcer.seen(&s, list)
        return []
    case let .submitFailed(m):
        s.submitting = max(0, s.submitting - 1)
        s.message = TerminalSanitizer.clean(m)
        s.messageIsError = true
        return []
    case let .notice(m, isError):
        s.message = TerminalSanitizer.clean(m)
        s.messageIsError = isError
        return []
    case let .authFailed(m):
        s.pollingPaused = true
        s.message = TerminalSanitizer.clean(m) + " Polling is paused: fix the key, then F5."
        s.messageIsError = true
        return []
    case let .previewReady(k, image):
        if s.previews[k] != nil { s.previews.set(k, .ready(image)) }
        return []
    case let .previewFailed(k, why):
        if s.previews[k] != nil { s.previews.set(k, .failed(TerminalSanitizer.clean(why))) }
        return []
    case let .profileSwitched(name, endpoint):
        return Profiles.switched(&s, name, endpoint)
    case let .typicalDurations(d):
        s.typicalDurations = d
        return []
    case let .promptsLoaded(list):
        // Merged under the prompts already known (this session's submits stay on top).
        let known = Set(s.promptHistory)
        s.promptHistory += list.filter { !known.contains($0) }
        return []
    case let .promptsFound(q, list):
        PromptHistory.found(&s, q, list)
        return []
    case let .previewDropped(k):
        s.previews.set(k, nil)
        return []
    case .tick:
        return []
    }
}

private func paste(_ s: inout AppState, _ text: String) -> [Effect] {
    if s.filterEditing { s.filterEditor.insert(text.replacingOccurrences(of: "\n", with: " ")); return [] }
    guard s.focus == .compose, s.picker == nil else {
        s.message = "Paste into the prompt: focus the composer first (F2)"
        s.messageIsError = false
        return []
    }
    switch s.composer.field {
    case .prompt: s.composer.editor.insert(text)
    case .references: s.composer.references.insert(text.replacingOccurrences(of: "\n", with: " "))
    default:
        s.composer.field = .prompt
        s.composer.editor.insert(text)
    }
    return []
}

private func key(_ s: inout AppState, _ k: Key) -> [Effect] {
    // Ctrl-J (a bare line feed), Shift-Enter and Alt-Enter act as Enter, which in the
    // prompt is a new line: so each of them is one there, whatever the terminal sends.
    let k: Key = k == .ctrl("j") || k == .shiftEnter || k == .altEnter ? .enter : k
    if s.confirmQuit {
        s.confirmQuit = false
        if k == .char("y") || k == .char("Y") || k == .ctrl("c") { s.quitting = true; return [.quit] }
        s.message = nil
        return []
    }
    if k == .ctrl("c") { return requestQuit(&s) }
    if s.showHelp {
        let most = max(0, HelpView.lineCount(width: s.width) - (s.height - 4))
        switch k {
        case .escape, .char("?"), .f(1), .char("q"), .enter: s.showHelp = false
        case .down, .char("j"): s.helpScroll = min(most, s.helpScroll + 1)
        case .up, .char("k"): s.helpScroll = max(0, s.helpScroll - 1)
        case .pageDown, .char(" "): s.helpScroll = min(most, s.helpScroll + 10)
        case .pageUp: s.helpScroll = max(0, s.helpScroll - 10)
        default: break
        }
        return []
    }
    if k == .f(1) { s.showHelp = true; s.helpScroll = 0; return [] }
    if s.isTooSmall && (k == .char("q") || k == .escape) { return requestQuit(&s) }
    if s.fullPreview != nil { return FullPreviewKeys.handle(&s, k) }
    if s.profilePicker != nil { return Profiles.pickerKey(&s, k) }
    if s.promptSearch != nil { return PromptHistory.searchKey(&s, k) }
    if let picker = s.picker { return pickerKey(&s, picker, k) }
    if s.filterEditing { return filterKey(&s, k) }
    switch k {
    case .ctrl("s"): return submit(&s)
    case .ctrl("t"): s.showJSON.toggle(); return []
    case .ctrl("r") where s.focus == .compose && s.picker == nil:
        return PromptHistory.openSearch(&s)
    case .f(5):
        guard s.pollingPaused else {
            s.message = "Polling is not paused: every watched task is being polled (w on a task stops or resumes it)"
            s.messageIsError = false
            return []
        }
        s.pollingPaused = false
        s.message = "Reading the key again and resuming polling…"
        s.messageIsError = false
        return [.resumePolling]
    case .tab: FocusRing.move(&s, by: 1); return []
    case .backTab: FocusRing.move(&s, by: -1); return []
    case .f(2), .alt("1"): s.focus = .compose; return []
    case .f(3), .alt("2"): s.focus = .tasks; return []
    case .f(4), .alt("3"): s.focus = .detail; return []
    default: break
    }
    let inText = s.focus == .compose && (s.composer.field == .prompt || s.composer.field == .references)
    if !inText {
        if k == .char("q") { return requestQuit(&s) }
        if k == .char("?") { s.showHelp = true; s.helpScroll = 0; return [] }
        if k == .char("P") { return Profiles.open(&s) }
    }
    switch s.focus {
    case .compose: return ComposerKeys.handle(&s, k)
    case .tasks: return TaskList.key(&s, k)
    case .detail: return DetailKeys.handle(&s, k)
    }
}

private func requestQuit(_ s: inout AppState) -> [Effect] {
    if s.submitting > 0 {
        s.confirmQuit = true
        s.message = "A submit is in flight. Quit anyway? (y/n) Watched tasks resume on the next start."
        s.messageIsError = true
        return []
    }
    s.quitting = true
    return [.quit]
}

private func submit(_ s: inout AppState) -> [Effect] {
    // Files may have changed since the last keystroke: check again before sending.
    s.composer.refreshValidation(force: true)
    let problems = s.composer.problems(includingEmptyPrompt: true)
    guard problems.isEmpty else {
        s.focus = .compose
        s.composer.showAllProblems = true
        if let first = problems.first, let f = ComposerField.allCases.first(where: { $0.requestField == first.field && s.composer.fields.contains($0) }) {
            s.composer.field = f
        }
        s.message = "Not sent: " + problems.map(\.message).joined(separator: "; ")
        s.messageIsError = true
        return []
    }
    s.composer.showAllProblems = false
    s.submitting += 1
    PromptHistory.submitted(&s, s.composer.request.prompt)
    s.message = "Submitting…"
    s.messageIsError = false
    return [.submit(s.composer.request)]
}

private func pickerKey(_ s: inout AppState, _ p: Picker, _ k: Key) -> [Effect] {
    var p = p
    switch k {
    case .up, .char("k"): p.index = max(0, p.index - 1)
    case .down, .char("j"): p.index = min(p.options.count - 1, p.index + 1)
    case .home: p.index = 0
    case .end: p.index = max(0, p.options.count - 1)
    case .pageUp: p.index = max(0, p.index - 10)
    case .pageDown: p.index = min(p.options.count - 1, p.index + 10)
    case .escape, .char("q"):
        s.picker = nil
        return []
    case .enter, .char(" "):
        if p.options.indices.contains(p.index) { s.composer.set(p.field, p.options[p.index].value) }
        s.picker = nil
        if let n = s.composer.notice { s.message = n; s.messageIsError = false }
        return []
    case .left where p.field == .size, .right where p.field == .size:
        // Left/Right in the size picker changes the tier it is filtered by.
        s.composer.cycle(.tier, by: k == .left ? -1 : 1)
        ComposerKeys.openPicker(&s, .size)
        return []
    case .char("o") where p.field == .size:
        // o cycles the orientation filter: all, landscape, portrait, square.
        let all: [Orientation?] = [nil, .landscape, .portrait, .square]
        let i = all.firstIndex(of: s.composer.orientation) ?? 0
        s.composer.orientation = all[(i + 1) % all.count]
        ComposerKeys.openPicker(&s, .size)
        return []
    default: return []
    }
    s.picker = p
    return []
}

private func filterKey(_ s: inout AppState, _ k: Key) -> [Effect] {
    switch k {
    case .enter:
        s.filterEditing = false
        s.filterText = s.filterEditor.text.trimmingCharacters(in: .whitespaces)
        s.hasMore = true
        return [.loadTasks(s.query())]
    case .escape:
        s.filterEditing = false
        s.filterEditor.setText(s.filterText)
        return []
    default:
        TextKeys.edit(&s.filterEditor, k)
        return []
    }
}

/// Tab order across the whole screen: each composer field, then the task list, then the detail.
enum FocusRing {
    static func move(_ s: inout AppState, by delta: Int) {
        var stops: [(Pane, ComposerField?)] = s.composer.fields.map { (.compose, $0) }
        stops.append((.tasks, nil))
        stops.append((.detail, nil))
        let current = stops.firstIndex { $0.0 == s.focus && ($0.1 == nil || $0.1 == s.composer.field) } ?? 0
        let next = stops[(current + delta + stops.count) % stops.count]
        s.focus = next.0
        if let f = next.1 { s.composer.field = f }
    }
}

/// Editing keys shared by single- and multi-line text fields.
enum TextKeys {
    /// Applies an editing key; returns false for keys that are not edits.
    @discardableResult
    static func edit(_ e: inout PromptEditor, _ k: Key) -> Bool {
        switch k {
        case let .char(c): e.insert(String(c))
        case .backspace, .ctrl("h"): e.backspace()
        case .delete, .ctrl("d"): e.deleteForward()
        case .left, .ctrl("b"): e.left()
        case .right, .ctrl("f"): e.right()
        case .home, .ctrl("a"): e.home()
        case .end, .ctrl("e"): e.end()
        case .ctrlLeft, .alt("b"): e.wordLeft()
        case .ctrlRight, .alt("f"): e.wordRight()
        case .ctrl("u"): e.killToLineStart()
        case .ctrl("k"): e.killToLineEnd()
        case .ctrl("w"), .alt("\u{7F}"): e.killWordBack()
        default: return false
        }
        return true
    }
}
