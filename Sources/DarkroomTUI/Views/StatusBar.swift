import DarkroomCore

/// The last two rows: the status line (counts, endpoint, the latest notice)
/// and the hint bar (keys from the keymap). Each degrades by priority when
/// narrow: what is dropped first is decided here, never clipped at the edge.
enum StatusBar {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let y = s.height - 2
        screen.fill(Rect(x: 0, y: y, width: s.width, height: 1), style: Theme.statusBar)
        let (left, message) = line(s)
        var x = screen.put(left, x: 0, y: y, style: Theme.statusBar)
        if let message {
            x += screen.put("  ", x: x, y: y, style: Theme.statusBar)
            var st = Theme.statusBar
            if s.messageIsError && s.overlay?.confirmation == nil { st.fg = .red; st.bold = true }
            screen.put(message, x: x, y: y, style: st)
        }
        HintBar.draw(&screen, s)
    }

    /// The counts of the tasks in the list: in full ("○ 3 queued"), or compact ("○3").
    static func counts(_ s: AppState, compact: Bool) -> String {
        let c = s.counts
        // Queued, running and done always; the others when there are some.
        let all: [(mark: String, n: Int, word: String, always: Bool)] = [
            ("·", c.toSend, "to send", false), ("…", c.sending, "sending", false), ("‖", c.paused, "paused", false), ("○", c.queued, "queued", true),
            ("◐", c.running, "running", true), ("✓", c.done, "done", true), ("!", c.notSaved, "not saved", false),
            ("✗", c.failed, "failed", false), ("?", c.unknown, "submit?", false), ("–", c.cancelled, "cancelled", false),
        ]
        let parts = all.filter { $0.always || $0.n > 0 }.map { compact ? "\($0.mark)\($0.n)" : "\($0.mark) \($0.n) \($0.word)" }
        // The counts are of the list as shown: say so when it is filtered.
        let filtered = !s.filterText.isEmpty || s.statusFilter != .all
        return (filtered ? (compact ? "shown " : "in this view: ") : "") + parts.joined(separator: compact ? " " : "  ")
    }

    /// The status line's text and the notice (cut to fit, ending "… L" when cut:
    /// the whole of it is in the message log).
    /// The balance's style: the bar's own, or a warning under `balance_warning`.
    static func balanceStyle(low: Bool, base: Style) -> Style {
        var st = base
        if low { st.fg = .yellow; st.bold = true }
        return st
    }

    static func line(_ s: AppState) -> (String, String?) {
        let w = s.width
        let cost = Cost.sessionTotal(s).map { "  " + $0 } ?? ""
        let full = counts(s, compact: false), compact = counts(s, compact: true)
        // An open question stays in view whatever notices come meanwhile (they are in the log).
        if let m = s.overlay?.confirmation?.question ?? s.message {
            // A notice keeps 30 columns at least (its whole text is in the log); then the
            // counts, the cost, the endpoint, in that order, as room allows.
            let candidates = [" \(s.connectionLabel)  \(full)\(cost)", " \(full)\(cost)", " \(compact)\(cost)", " \(compact)"]
            let left = candidates.first { DisplayWidth.of($0) + 2 + min(DisplayWidth.of(m), 30) <= w } ?? " \(compact)"
            let room = w - DisplayWidth.of(left) - 2
            guard room > 3 else { return (DisplayWidth.truncate(left, to: w), nil) }
            // "L" (the log has the whole text) only where L opens it: in a text field it types an L.
            let logKey = Keymap.binding(for: .char("L"), in: s)?.context == .commands
            return (left, DisplayWidth.of(m) <= room ? m : logKey ? DisplayWidth.truncate(m, to: room - 2) + " L" : DisplayWidth.truncate(m, to: room))
        }
        let candidates = [" \(s.connectionLabel)  \(full)\(cost)", " \(full)\(cost)", " \(full)", " \(compact)\(cost)", " \(compact)"]
        return (candidates.first { DisplayWidth.of($0) <= w } ?? DisplayWidth.truncate(" \(compact)", to: w), nil)
    }
}

/// The hint bar: the keymap's hints for what has the keys, most important
/// first. Whole hints are dropped from the end when they do not fit; the help
/// key, when there is one, always shows. A click on a hint presses its key.
enum HintBar {
    struct Item {
        let x: Range<Int>
        let binding: Binding
        let label: String
    }

    static func items(_ s: AppState) -> [Item] {
        var hints = Keymap.hints(s)
        // Help goes last and is kept whatever is dropped.
        let help = hints.firstIndex { $0.keys.contains(.f(1)) }.map { hints.remove(at: $0) }
        func text(_ b: Binding) -> String { b.hintLabel + " " + (b.hint ?? "") }
        // The balance, at the right end, is kept too (hints go first).
        let reserve = (help.map { DisplayWidth.of(text($0)) + 2 } ?? 0) + (balance(s).map { DisplayWidth.of($0.text) + 2 } ?? 0)
        var out: [Item] = []
        var x = 0
        for b in hints {
            let w = DisplayWidth.of(text(b))
            let start = out.isEmpty ? 0 : x + 2
            guard start + w + reserve <= s.width else { break }
            out.append(Item(x: start..<(start + w), binding: b, label: text(b)))
            x = start + w
        }
        if let help {
            let w = DisplayWidth.of(text(help))
            let start = out.isEmpty ? 0 : x + 2
            if start + w <= s.width { out.append(Item(x: start..<(start + w), binding: help, label: text(help))) }
        }
        return out
    }

    /// The key's balance as the right end of the hint bar shows it, when the server
    /// says it and the terminal is wide enough (50 columns) to keep a hint beside it.
    static func balance(_ s: AppState) -> (text: String, low: Bool)? {
        s.width >= 50 ? GatewayUpdates.balance(s) : nil
    }

    static func draw(_ screen: inout Screen, _ s: AppState) {
        let y = s.height - 1
        if let (text, low) = balance(s) {
            screen.put(text, x: s.width - DisplayWidth.of(text), y: y, style: StatusBar.balanceStyle(low: low, base: Theme.hint))
        }
        for item in items(s) {
            let keyWidth = screen.put(item.binding.hintLabel, x: item.x.lowerBound, y: y, style: Theme.key)
            screen.put(" " + (item.binding.hint ?? ""), x: item.x.lowerBound + keyWidth, y: y, style: Theme.hint)
        }
    }
}
