import DarkroomCore
import DarkroomHistory
import Foundation

/// Everything about the selected task, wrapped to the pane.
enum DetailView {
    static func draw(_ screen: inout Screen, _ s: AppState, in r: Rect, now: Date) {
        guard r.width > 6, r.height > 0 else { return }
        guard let t = s.selected else {
            screen.put("Select a task to see its details.", x: r.x + 1, y: r.y, style: Theme.hint, limit: r.width - 1)
            return
        }
        let box = PreviewPlanner.detailBox(s, pane: r)
        if let box, let res = PreviewPlanner.saved(t).first {
            let n = PreviewPlanner.saved(t).count
            PreviewView.draw(&screen, s, result: res, box: box, caption: n > 1 ? "  1 of \(n), v all" : "  v full screen")
        }
        let r = box.map { Rect(x: r.x, y: r.y, width: r.width - $0.width, height: r.height) } ?? r
        var y = r.y
        func line(_ label: String, _ value: String, _ style: Style = .plain) {
            guard y < r.maxY else { return }
            let w = screen.put(DisplayWidth.pad(label, to: 9), x: r.x + 1, y: y, style: Theme.label)
            screen.put(value, x: r.x + 1 + w, y: y, style: style, limit: r.width - 1 - w)
            y += 1
        }
        func wrapped(_ text: String, indent: Int, style: Style = .plain) {
            let editor = PromptEditor(TerminalSanitizer.clean(text, keepNewlines: true))
            for l in editor.layout(width: r.width - indent - 1) where y < r.maxY {
                screen.put(String(editor.chars[l.start..<l.end]).replacingOccurrences(of: "\n", with: ""), x: r.x + indent, y: y, style: style)
                y += 1
            }
        }
        let (m, ms) = TaskListView.mark(t.state)
        var x = r.x + 1
        x += screen.put(m + " ", x: x, y: y, style: ms)
        x += screen.put(t.state.label, x: x, y: y, style: Theme.value)
        if let p = t.progress, !t.state.isFinal { x += screen.put("  \(p)%", x: x, y: y) }
        screen.put("  #\(t.localID)  \(t.taskID ?? "no task id")", x: x, y: y, style: Theme.hint, limit: r.maxX - x)
        y += 1
        if let e = t.error { wrapped(e, indent: 1, style: Theme.error) }
        var params = [t.request.model.isEmpty ? "?" : t.request.model]
        if let sz = t.request.size { params.append(sz) }
        if let a = t.request.aspectRatio { params.append(a) }
        if let q = t.request.quality { params.append(q) }
        params.append("n=\(t.request.n)")
        params.append(t.request.outputFormat ?? "png")
        line("Request", params.joined(separator: " · "))
        if !t.state.isFinal, t.state != .submitUnknown {
            var parts = ["\(TaskListView.age(ProgressEstimate.elapsed(t, now: now))) elapsed"]
            if let r = ProgressEstimate.remainingFromRate(t, now: now) { parts.append("about \(TaskListView.age(r)) left at its rate") }
            line("Progress", parts.joined(separator: " · "))
            if let typ = s.typicalDurations[ProgressEstimate.kind(of: t)] {
                line("", "typically \(TaskListView.age(typ)) for \(ProgressEstimate.kind(of: t)) in history", Theme.hint)
            }
        }
        for ref in t.request.references { line("Image", ref) }
        line("Prompt", "")
        wrapped(t.request.prompt, indent: 2)
        line("Timeline", "")
        var previous: Date?
        for e in t.events where y < r.maxY {
            let delta = previous.map { "+" + TaskListView.age(e.at.timeIntervalSince($0)) } ?? ""
            let when = DateFormatter.localizedString(from: e.at, dateStyle: .none, timeStyle: .medium)
            screen.put("  \(DisplayWidth.pad(e.state.label, to: 14))\(e.progress.map { String(format: "%3d%%", $0) } ?? "    ")  \(when)  \(delta)",
                       x: r.x + 1, y: y, limit: r.width - 1)
            y += 1
            previous = e.at
        }
        if !t.results.isEmpty || !t.resultURLs.isEmpty { line("Results", "") }
        for res in t.results where y < r.maxY {
            var st = res.state.rawValue
            if let w = res.width, let h = res.height { st += " \(w)x\(h)" }
            line("  [\(res.index)]", st + (res.path.map { "  " + $0 } ?? ""), res.state == .saved ? Theme.ok : (res.state == .pending || res.state == .downloading ? .plain : Theme.warning))
            line("", TerminalSanitizer.clean(res.url), Theme.hint)
        }
        if t.results.isEmpty { for u in t.resultURLs { line("", TerminalSanitizer.clean(u), Theme.hint) } }
    }
}

/// Every key, over everything else.
enum HelpView {
    static let sections: [(String, [(String, String)])] = [
        ("Everywhere", [("Tab / Shift-Tab", "next / previous field or pane"), ("F2 F3 F4", "Compose, Tasks, Detail"),
                        ("Ctrl-S", "submit the composed request"), ("Ctrl-T", "show the JSON that would be sent"),
                        ("F1, ?", "this help"), ("F5", "resume polling after a refused key"), ("P", "switch profile (outside text)"),
                        ("q, Ctrl-C", "quit; watched tasks resume next start")]),
        ("Prompt", [("arrows, Home, End", "move"), ("Ctrl-← Ctrl-→", "move by word"), ("Enter", "new line"), ("↑ on the first line", "earlier prompts (↓ newer)"), ("Ctrl-R", "search earlier prompts"),
                    ("Ctrl-U/K/W", "delete to start, to end, word"), ("paste", "arrives whole")]),
        ("Fields", [("← →", "change the value"), ("Enter", "list (sizes: ←→ tier, o shape)"), ("↑ ↓", "move between fields")]),
        ("Tasks", [("↑ ↓ PgUp PgDn", "select"), ("Enter", "detail"), ("/", "search prompts"), ("s", "status filter"), ("Esc", "clear filters"),
                   ("t", "thumbnail column")]),
        ("Task actions", [("r", "re-run"), ("e", "edit as new"), ("m", "NanoBanana ↔ gpt-image-2, mapped"), ("v", "full screen (← → results, Esc back)"), ("d", "download again"),
                          ("o", "open the image"), ("c", "copy the URL"), ("x", "copy as curl"), ("w", "stop watching")]),
    ]

    /// One column on narrow terminals; two (the sections split in half) from 100
    /// columns. Scrolls with ↑↓ when it does not fit (`AppState.helpScroll`).
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let twoColumns = s.width >= 100
        let columns = twoColumns ? [Array(sections.prefix(3)), Array(sections.dropFirst(3))] : [sections]
        let colWidth = twoColumns ? min(58, (s.width - 4) / 2) : min(s.width - 2, 72) - 2
        let keyWidth = twoColumns ? 18 : 22
        let w = twoColumns ? colWidth * 2 + 2 : colWidth + 2
        // Each column as lines: a title (key nil) or a key and what it does.
        let lines: [[(String?, String)]] = columns.map { column in
            column.flatMap { title, keys in [(nil, title)] + keys.map { (Optional($0.0), $0.1) } }
        }
        let tallest = lines.map(\.count).max() ?? 0
        let h = min(s.height - 2, tallest + 2)
        let visible = h - 2
        let top = max(0, min(s.helpScroll, tallest - visible))
        let box = Rect(x: (s.width - w) / 2, y: max(0, (s.height - h) / 2), width: w, height: h)
        screen.fill(box)
        screen.box(box, title: tallest > visible ? "Keys (↑↓ scroll, Esc closes)" : "Keys (Esc closes)", focused: true)
        for (c, column) in lines.enumerated() {
            let x0 = box.x + 1 + c * colWidth
            for (row, line) in column.dropFirst(top).prefix(visible).enumerated() {
                let y = box.y + 1 + row
                if let key = line.0 {
                    screen.put(DisplayWidth.pad(key, to: keyWidth), x: x0 + 2, y: y, style: Theme.key)
                    screen.put(line.1, x: x0 + 3 + keyWidth, y: y, limit: colWidth - keyWidth - 3)
                } else {
                    screen.put(line.1, x: x0 + 1, y: y, style: Theme.title)
                }
            }
        }
    }

    /// Lines in the tallest column (for scrolling).
    static func lineCount(width: Int) -> Int {
        let columns = width >= 100 ? [Array(sections.prefix(3)), Array(sections.dropFirst(3))] : [sections]
        return columns.map { $0.reduce(0) { $0 + $1.1.count + 1 } }.max() ?? 0
    }
}
