import DarkroomCore

/// The TUI's only state transition: a pure function of the state and an event,
/// returning the effects to run. No I/O, no clocks, no terminal.
public func update(_ s: inout AppState, _ event: Event) -> [Effect] {
    if case let .clock(now) = event {
        // Only the time moved: nothing to validate or preview.
        s.clock = now
        return []
    }
    var effects = apply(&s, event)
    effects += GatewayUpdates.due(&s)
    s.composer.refreshValidation()
    // Local reference files typed and not yet looked at: ask the shell to open them.
    let paths = s.composer.pathsToInspect()
    // Remixed pictures among them may be re-encoded by the shell when over the upload limit.
    if !paths.isEmpty { effects.append(.inspectReferences(paths, remixed: Set(paths.filter { s.composer.remixSources[$0] != nil }))) }
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
        GalleryKeys.keepVisible(&s)
        return []
    case let .paste(text):
        return paste(&s, text)
    case let .key(k):
        return RunTarget.followingSelection(&s) { key(&$0, k) }
    case let .mouse(kind, x, y):
        return RunTarget.followingSelection(&s) { Mouse.handle(&$0, kind, x: x, y: y) }
    case let .runLoaded(run, tasks):
        CompareKeys.loaded(&s, run, tasks)
        return []
    case let .taskChanged(r):
        Cost.runRequestChanged(&s, r)
        TaskList.upsert(&s, r, select: false)
        RunTarget.shown(&s, r)
        if !r.state.isWatchable { s.pollTrouble[r.localID] = nil }
        CompareKeys.changed(&s, r)
        GalleryKeys.keepVisible(&s)
        if r.state.isFinal, s.seenUnfinished.contains(r.localID) { GatewayUpdates.taskEnded(&s) }
        return Announcer.taskChanged(&s, r)
    case let .submitted(r):
        s.submitting = max(0, s.submitting - 1)
        Cost.count(&s, r.request)
        Announcer.seen(&s, [r])
        TaskList.upsert(&s, r, select: true)
        s.say("Submitted \(r.shownTaskID ?? "#\(r.localID)")", task: r.localID)
        return []
    case let .tasksLoaded(_, _, query?) where query != s.query(before: query.before):
        // Answers come back in any order: only the list's current query may fill it.
        return []
    case let .tasksLoaded(list, replace, _):
        for r in list { Cost.runRequestChanged(&s, r) }
        TaskList.load(&s, list, replace: replace)
        Announcer.seen(&s, list)
        return []
    case let .submitFailed(m, task):
        s.submitting = max(0, s.submitting - 1)
        s.say(TerminalSanitizer.clean(m), error: true, task: task)
        return []
    case let .runQueued(run, first, count, limit):
        RunTarget.queued(&s, run: run, first: first)
        s.say("Run #\(run): \(count) requests recorded, sending \(limit) at a time; in the list (F3) p pauses run #\(run), X cancels it, c compares",
              task: first)
        return []
    case let .runHeld(run, unsent):
        guard case let .cancelUnsent(asked, _)? = s.overlay?.confirmation, asked == run else { return [] }
        guard unsent > 0 else {
            // Everything was sent meanwhile: nothing to ask.
            s.overlay = nil
            s.say("Run #\(run) has no request waiting to be sent: nothing to cancel")
            return [.unsent(run: run, .release)]
        }
        s.overlay = .confirm(.cancelUnsent(run: run, count: unsent))
        s.say(Confirmation.cancelUnsent(run: run, count: unsent).question)
        return []
    case let .runEnded(m, isError, task):
        s.submitting = max(0, s.submitting - 1)
        s.say(TerminalSanitizer.clean(m), error: isError, task: task)
        return []
    case let .notice(m, isError, task):
        s.say(TerminalSanitizer.clean(m), error: isError, task: task)
        return []
    case let .pollTrouble(taskID, message, silent):
        guard let t = s.tasks.first(where: { $0.taskID == taskID && $0.state.isWatchable }) else {
            s.say("\(TerminalSanitizer.clean(taskID)): \(TerminalSanitizer.clean(message)); still asking", error: true)
            return []
        }
        let trouble = PollTrouble(message: TerminalSanitizer.clean(message), silent: silent, since: s.pollTrouble[t.localID]?.since ?? s.clock)
        s.pollTrouble[t.localID] = trouble
        s.say("#\(t.localID): " + trouble.text(now: s.clock), error: true, task: t.localID)
        return []
    case let .pollRecovered(taskID):
        guard let t = s.tasks.first(where: { $0.taskID == taskID }), s.pollTrouble.removeValue(forKey: t.localID) != nil else { return [] }
        s.say("#\(t.localID): the server answers again", task: t.localID)
        return []
    case let .authFailed(m):
        s.pollingPaused = true
        s.say(TerminalSanitizer.clean(m) + " Polling is paused: fix the key, then F5.", error: true)
        return []
    case let .previewReady(k, image):
        return PreviewPlanner.ready(&s, k, image)
    case let .previewFailed(k, why):
        if s.previews[k] != nil { s.previews.set(k, .failed(TerminalSanitizer.clean(why))) }
        return []
    case let .profileSwitched(name, label):
        return Profiles.switched(&s, name, label)
    case let .typicalDurations(d):
        s.typicalDurations = d
        return []
    case let .compose(request):
        s.composer.load(request)
        s.focus = .compose
        s.say(s.composer.notice ?? "The recalled request is in the composer: edit it, then Ctrl-S")
        return []
    case let .gatewayAnswered(snapshot, problems):
        return GatewayUpdates.answered(&s, snapshot, problems: problems)
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
    case let .referencesInspected(answers):
        s.composer.receive(answers)
        return []
    case let .referenceShrunk(old, new, how, sha):
        Remix.shrunk(&s, old: old, new: new, how: how, sha256: sha)
        return []
    case let .directoryListed(q, entries):
        ReferenceCompletion.listed(&s, q, entries)
        return []
    case let .tagsLoaded(tags):
        s.knownTags = tags
        return []
    case let .wildcardsLoaded(set):
        s.composer.wildcards = set
        s.composer.refreshValidation(force: true)
        return []
    case .tick, .clock:
        return []
    }
}

private func paste(_ s: inout AppState, _ text: String) -> [Effect] {
    switch s.overlay {
    case var .filter(e):
        e.insert(text.replacingOccurrences(of: "\n", with: " "))
        s.overlay = .filter(e)
        return []
    case .tags:
        return Editing.insert(&s, text.replacingOccurrences(of: "\n", with: ", "))
    case .promptSearch:
        return Editing.insert(&s, text.replacingOccurrences(of: "\n", with: " "))
    case .completions:
        s.overlay = nil
        return Editing.insert(&s, text.replacingOccurrences(of: "\n", with: " "))
    case .some:
        s.say("Paste into the prompt: close this first (Esc)")
        return []
    case nil: break
    }
    guard s.focus == .compose, !s.isTooSmall else {
        s.say("Paste into the prompt: focus the composer first (F2)")
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

/// A key: the keymap's binding for it in the state's contexts acts; a character
/// with no binding goes into the text field being edited; in a question, any
/// other key means no.
private func key(_ s: inout AppState, _ k: Key) -> [Effect] {
    if let b = Keymap.binding(for: k, in: s) { return b.perform(&s, k) }
    let contexts = Keymap.contexts(s)
    if case let .char(c) = k, contexts.contains(.text) { return Editing.insert(&s, String(c)) }
    if case let .char(c) = k, contexts.contains(.completions) {
        // Typing goes on with the path as typed.
        s.overlay = nil
        return Editing.insert(&s, String(c))
    }
    if contexts.contains(.confirm) { return Confirm.no(&s) }
    return []
}

/// Quitting: at once, unless a submit is in flight (then a question).
enum Quit {
    static func request(_ s: inout AppState) -> [Effect] {
        if s.submitting > 0 {
            s.overlay = .confirm(.quitWhileSending)
            s.say(Confirmation.quitWhileSending.question, error: true)
            return []
        }
        s.quitting = true
        return [.quit]
    }
}

/// Answers to a question (`Overlay.confirm`).
enum Confirm {
    static func yes(_ s: inout AppState) -> [Effect] {
        guard let c = s.overlay?.confirmation else { return [] }
        s.overlay = nil
        switch c {
        case .quitWhileSending:
            s.quitting = true
            return [.quit]
        case let .resend(r), let .longPrompt(r), let .overBudget(r, _):
            // The questions after this one still apply.
            return Submit.next(&s, r, after: c)
        case let .run(plan, _), let .runOverBudget(plan, _):
            return RunSender.go(&s, plan)
        case let .cancelUnsent(run, _):
            return [.unsent(run: run, .cancel)]
        }
    }

    static func no(_ s: inout AppState) -> [Effect] {
        guard let c = s.overlay?.confirmation else { return [] }
        s.overlay = nil
        switch c {
        case .quitWhileSending: s.message = nil
        case .resend, .longPrompt, .run, .overBudget, .runOverBudget: s.say("Not sent")
        case let .cancelUnsent(run, _):
            // The run was held while asking: it goes on.
            s.say("Nothing cancelled; run #\(run) goes on")
            return [.unsent(run: run, .release)]
        }
        return []
    }

    /// Ctrl-C: yes to "quit anyway?", else no and then quit.
    static func interrupt(_ s: inout AppState) -> [Effect] {
        if s.overlay?.confirmation == .quitWhileSending { return yes(&s) }
        let answered = no(&s)
        return answered + Quit.request(&s)
    }
}

/// Scrolling the help.
enum HelpOverlay {
    static func scroll(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard case let .help(top) = s.overlay else { return [] }
        s.overlay = .help(scroll: Scroll.offset(top, k, lines: HelpView.lineCount(width: s.width), visible: HelpView.visibleRows(height: s.height)))
        return []
    }
}

/// The list of values over the composer.
enum Pickers {
    static func move(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var p = s.overlay?.picker else { return [] }
        let last = max(0, p.options.count - 1)
        switch k {
        case .up, .char("k"): p.index = max(0, p.index - 1)
        case .down, .char("j"): p.index = min(last, p.index + 1)
        case .home: p.index = 0
        case .end: p.index = last
        case .pageUp: p.index = max(0, p.index - 10)
        default: p.index = min(last, p.index + 10)
        }
        s.overlay = .picker(p)
        return []
    }

    static func pick(_ s: inout AppState) -> [Effect] {
        guard let p = s.overlay?.picker else { return [] }
        s.overlay = nil
        if p.options.indices.contains(p.index) { s.composer.set(p.field, p.options[p.index].value) }
        ComposerKeys.sayNotice(&s)
        return []
    }

    /// Space in a list: the value into the run's set for the field, or out of it;
    /// the list stays open to take more. In the other lists, as Enter.
    static func toggle(_ s: inout AppState) -> [Effect] {
        guard let p = s.overlay?.picker, p.options.indices.contains(p.index) else { return [] }
        guard s.composer.takesSeveral(p.field) else { return pick(&s) }
        s.composer.toggle(p.field, p.options[p.index].value)
        s.composer.refreshValidation()
        let n = s.composer.requestCount
        // What was mapped to a model that takes none of the chosen values is said at once.
        let notes = (try? s.composer.plan?.get())?.notes ?? []
        s.say(n > 1 ? "\(n) requests: Ctrl-S sends them as a run (Ctrl-T lists them)" + notes.map { "; " + $0 }.joined() : "One request",
              transient: true)
        return []
    }

    /// Left/Right in the size list: the tier it is filtered by.
    static func tier(_ s: inout AppState, _ k: Key) -> [Effect] {
        s.composer.cycle(.tier, by: k == .left ? -1 : 1)
        ComposerKeys.openPicker(&s, .size)
        return []
    }

    /// o in the size list: all, landscape, portrait, square.
    static func orientation(_ s: inout AppState) -> [Effect] {
        let all: [Orientation?] = [nil, .landscape, .portrait, .square]
        let i = all.firstIndex(of: s.composer.orientation) ?? 0
        s.composer.orientation = all[(i + 1) % all.count]
        ComposerKeys.openPicker(&s, .size)
        return []
    }
}

/// Tab order across the whole screen: each composer field, then the task list, then the detail.
enum FocusRing {
    @discardableResult
    static func move(_ s: inout AppState, by delta: Int) -> [Effect] {
        var stops: [(Pane, ComposerField?)] = s.composer.fields.map { (.compose, $0) }
        stops.append((.tasks, nil))
        stops.append((.detail, nil))
        let current = stops.firstIndex { $0.0 == s.focus && ($0.1 == nil || $0.1 == s.composer.field) } ?? 0
        let next = stops[(current + delta + stops.count) % stops.count]
        s.focus = next.0
        if let f = next.1 { s.composer.field = f }
        return []
    }
}
