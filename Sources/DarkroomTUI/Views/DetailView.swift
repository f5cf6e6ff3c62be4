import DarkroomCore
import DarkroomPreview
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
        let saved = PreviewPlanner.saved(t)
        if let box, let res = saved.first {
            let n = saved.count
            PreviewView.draw(&screen, s, result: res, box: box, caption: n > 1 ? "  1 of \(n), v all" : "  v full screen")
        }
        let r = box.map { Rect(x: r.x, y: r.y, width: r.width - $0.width, height: r.height) } ?? r
        var y = r.y
        /// A labelled line; `path` (a file path or URL after `value`) is cut in the middle
        /// when long, so its end (the file name) stays.
        func line(_ label: String, _ value: String, _ style: Style = .plain, path: String? = nil) {
            guard y < r.maxY else { return }
            let w = screen.put(DisplayWidth.pad(label, to: 9), x: r.x + 1, y: y, style: Theme.label)
            let room = r.width - 1 - w
            var text = value
            if let path {
                let clean = TerminalSanitizer.clean(path)
                text += MiddleEllipsis.cut(clean, to: max(8, room - DisplayWidth.of(value)))
            }
            screen.put(path == nil ? DisplayWidth.truncateWords(text, to: room) : DisplayWidth.truncate(text, to: room),
                       x: r.x + 1 + w, y: y, style: style, limit: room)
            y += 1
        }
        func wrapped(_ text: String, indent: Int, style: Style = .plain) {
            let editor = PromptEditor(TerminalSanitizer.clean(text, keepNewlines: true))
            for l in editor.layout(width: r.width - indent - 1) where y < r.maxY {
                screen.put(String(editor.chars[l.start..<l.end]).replacingOccurrences(of: "\n", with: ""), x: r.x + indent, y: y, style: style)
                y += 1
            }
        }
        let (m, ms) = TaskListView.mark(t)
        var x = r.x + 1
        x += screen.put(m + " ", x: x, y: y, style: ms)
        x += screen.put(t.unwatchedAt != nil && t.state.isWatchable ? "\(t.state.label), not watched" : t.statusLabel, x: x, y: y, style: Theme.value)
        if let p = t.progress, !t.state.isFinal { x += screen.put("  \(p)%", x: x, y: y) }
        screen.put("  #\(t.localID)  \(t.shownTaskID ?? "no task id")", x: x, y: y, style: Theme.hint, limit: r.maxX - x)
        y += 1
        if let e = t.error { wrapped(e, indent: 1, style: Theme.error) }
        if t.isDoneNotSaved {
            let n = t.unsavedResults.count
            wrapped("\(n) of \(t.results.count) picture\(t.results.count == 1 ? "" : "s") not saved (see Results): d tries again.", indent: 1, style: Theme.warning)
        }
        if t.state.isWatchable, let trouble = s.pollTrouble[t.localID] {
            wrapped(trouble.text(now: s.clock), indent: 1, style: Theme.warning)
        }
        if t.state == .submitUnknown {
            wrapped("The server may have this task (and bill it): look it up on the vendor's dashboard before sending it again. r sends it again on purpose.",
                    indent: 1, style: Theme.warning)
        }
        if t.state.isUnsent {
            wrapped(t.state == .waiting ? "Not sent yet: it waits its turn in the run's queue. p holds the run's waiting requests, X cancels them."
                                        : "Not sent: it is sent only when resumed. p sends the run's paused requests, X cancels them.",
                    indent: 1, style: Theme.hint)
        }
        if t.unwatchedAt != nil, t.state.isWatchable {
            wrapped("Not polled, even after a restart: w watches it again.", indent: 1, style: Theme.hint)
        }
        var params = [t.request.model.isEmpty ? "?" : t.request.model]
        if let sz = t.request.size { params.append(sz) }
        if let a = t.request.aspectRatio { params.append(a) }
        if let q = t.request.quality { params.append(q) }
        params.append("n=\(t.request.n)")
        params.append(t.request.outputFormat ?? "png")
        // Beside a preview the line is short: it goes on below, whole words, never cut.
        for (i, row) in joinedLines(params, separator: " · ", width: r.width - 10).enumerated() { line(i == 0 ? "Request" : "", row) }
        // The family: where its pictures came from (u goes there), and what was made from it (n).
        if !t.request.origins.isEmpty {
            line("From", t.request.origins.map(\.label).joined(separator: ", ") + "  u", Theme.value)
        }
        let children = Lineage.children(of: t, in: s)
        if !children.isEmpty {
            line("Children", children.map { "#\($0.localID)" }.joined(separator: ", ") + "  n", Theme.value)
        }
        // What the user keeps: stars (f), tags (T), hidden (x).
        var stars: [String] = t.starredAt == nil ? [] : ["the task"]
        stars += t.starredPictures.sorted().map { "picture \($0 + 1)" }
        if !stars.isEmpty { line("Starred", "★ " + stars.joined(separator: ", "), Theme.star) }
        if !t.tags.isEmpty { line("Tags", t.tags.map { "#\($0)" }.joined(separator: " ") + "  T", Theme.value) }
        if t.isHidden { line("Hidden", "kept, left out of lists: x shows it again", Theme.warning) }
        if !t.state.isFinal, t.state != .submitUnknown, !t.state.isUnsent {
            var parts = ["\(TaskListView.age(ProgressEstimate.elapsed(t, now: now))) elapsed"]
            if t.isWatched, let r = ProgressEstimate.remainingFromRate(t, now: now) { parts.append("about \(TaskListView.age(r)) left at its rate") }
            line("Progress", parts.joined(separator: " · "))
            if let typ = s.typicalDurations[ProgressEstimate.kind(of: t)] {
                line("", "typically \(TaskListView.age(typ)) for \(ProgressEstimate.kind(of: t)) in history", Theme.hint)
            }
        }
        for ref in t.request.references { line("Image", "", path: ref) }
        // A styled prompt: as typed, the style's name, and the prompt as sent.
        if let used = t.request.style { line("Style", used.name, Theme.value) }
        line("Prompt", t.request.style == nil ? "" : "as typed")
        wrapped(t.request.typedPrompt, indent: 2)
        if t.request.style != nil {
            line("Sent", "")
            wrapped(t.request.prompt, indent: 2, style: Theme.hint)
        }
        // Tasks imported or seeded without events have no timeline to show.
        if !t.events.isEmpty { line("Timeline", "") }
        // In the zone the state holds (the user's), the same in every locale.
        let rows = Timeline.rows(t.events, time: { TimeText.clock($0, in: s.timeZone) }, duration: TaskListView.age)
        for row in rows where y < r.maxY {
            screen.put("  " + row, x: r.x + 1, y: y, limit: r.width - 1)
            y += 1
        }
        if !t.results.isEmpty || !t.resultURLs.isEmpty { line("Results", "") }
        for res in t.results where y < r.maxY {
            var st = res.state.rawValue
            if let w = res.file?.width, let h = res.file?.height { st += " \(w)x\(h)" }
            line("  [\(res.index)]", st + (res.file == nil ? "" : "  "), res.state == .saved ? Theme.ok : (res.state == .pending || res.state == .downloading ? .plain : Theme.warning),
                 path: res.file?.path)
            if let e = res.error { line("", TerminalSanitizer.clean(e), Theme.warning) }
            line("", "", Theme.hint, path: res.url)
        }
        if t.results.isEmpty { for u in t.resultURLs { line("", "", Theme.hint, path: u) } }
        // How the picture is drawn, and why: what to change if it looks wrong.
        if !saved.isEmpty { line("Preview", previewLine(s), Theme.hint) }
    }

    /// `items` joined by `separator` into lines of at most `width` cells, breaking between items.
    static func joinedLines(_ items: [String], separator: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for item in items {
            let next = current.isEmpty ? item : current + separator + item
            if !current.isEmpty, DisplayWidth.of(next) > max(1, width) {
                lines.append(current)
                current = item
            } else {
                current = next
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// "kitty graphics (asked the terminal)", "cells (DARKROOM_GRAPHICS)".
    static func previewLine(_ s: AppState) -> String {
        let used = PreviewPlanner.pictureFormat(s) == nil && s.graphics != .none ? GraphicsProtocol.cells : s.graphics
        let why = s.graphicsReason.isEmpty ? "" : " (\(s.graphicsReason))"
        guard used == .cells else { return used.label + why }
        return s.colorDepth == .none ? PreviewView.cellsLabel(.none) + " (NO_COLOR or a monochrome terminal)" : PreviewView.cellsLabel(s.colorDepth) + why
    }
}
