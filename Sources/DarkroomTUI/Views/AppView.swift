import DarkroomCore
import Foundation

/// Draws the whole TUI for a state into a Screen. Pure: the same state and
/// time always give the same cells.
public enum AppView {
    /// The screen and where the terminal cursor goes (nil: hidden).
    public static func render(_ s: AppState, now: Date) -> (screen: Screen, cursor: (x: Int, y: Int)?) {
        var screen = Screen(width: s.width, height: s.height)
        if s.isTooSmall {
            let lines = ["darkroom", "terminal too small", "\(s.width)x\(s.height); needs 40x12", "q quits"]
            for (i, l) in lines.enumerated() where i < s.height {
                screen.put(DisplayWidth.truncate(l, to: s.width), x: max(0, (s.width - DisplayWidth.of(l)) / 2), y: max(0, s.height / 2 - 2) + i,
                           style: i == 1 ? Theme.error : .plain)
            }
            return (screen, nil)
        }
        if let f = s.fullPreview {
            FullPreviewView.draw(&screen, s, f)
            return (screen, nil)
        }
        var cursor: (x: Int, y: Int)?
        if !s.isWide { TabBar.draw(&screen, s) }
        for (pane, rect) in Layout.panes(s) {
            let focused = s.focus == pane
            screen.box(rect, title: title(pane, s), focused: focused)
            let inner = rect.inset(1)
            switch pane {
            case .compose:
                let c = ComposeView.draw(&screen, s, in: inner)
                if focused { cursor = c }
            case .tasks: TaskListView.draw(&screen, s, in: inner, now: now)
            case .detail: DetailView.draw(&screen, s, in: inner, now: now)
            }
        }
        StatusBar.draw(&screen, s)
        if s.filterEditing, let r = Layout.rect(s, .tasks) {
            let y = r.maxY - 1
            screen.fill(Rect(x: r.x + 1, y: y, width: r.width - 2, height: 1))
            let w = screen.put("/", x: r.x + 2, y: y, style: Theme.key)
            let shown = DisplayWidth.truncate(s.filterEditor.text, to: r.width - 6)
            screen.put(shown, x: r.x + 2 + w, y: y)
            let col = DisplayWidth.of(String(s.filterEditor.chars.prefix(s.filterEditor.cursor)))
            cursor = (min(r.maxX - 2, r.x + 2 + w + col), y)
        }
        if let p = s.picker { cursor = nil; PickerView.draw(&screen, s, p) }
        if let search = s.promptSearch { cursor = PromptSearchView.draw(&screen, s, search) }
        if let i = s.profilePicker { cursor = nil; ProfilePickerView.draw(&screen, s, i) }
        if s.showHelp { cursor = nil; HelpView.draw(&screen, s) }
        return (screen, cursor)
    }

    static func title(_ pane: Pane, _ s: AppState) -> String {
        switch pane {
        case .compose: return "Compose"
        case .tasks:
            var t = "Tasks"
            if !s.filterText.isEmpty { t += " /\(s.filterText)" }
            if s.statusFilter != .all { t += " [\(s.statusFilter.rawValue)]" }
            return t
        case .detail: return "Detail"
        }
    }
}

enum TabBar {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        var x = 0
        for p in Pane.allCases {
            let label = " \(p.title) "
            x += screen.put(label, x: x, y: 0, style: s.focus == p ? Theme.selected : Theme.hint)
            x += screen.put(" ", x: x, y: 0)
        }
        screen.put("F2 F3 F4 or Tab", x: x + 1, y: 0, style: Theme.hint, limit: s.width - x - 1)
    }
}

enum StatusBar {
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let y = s.height - 2
        screen.fill(Rect(x: 0, y: y, width: s.width, height: 1), style: Theme.statusBar)
        let c = s.counts
        // On narrow terminals a message takes the endpoint's place: it matters more.
        var left = s.message != nil && s.width < 120 ? " " : " \(s.endpoint) "
        left += " ○ \(c.queued) queued  ◐ \(c.running) running  ✓ \(c.done) done"
        if c.failed > 0 { left += "  ✗ \(c.failed) failed" }
        if s.submitting > 0 { left += "  sending \(s.submitting)" }
        if let total = Cost.sessionTotal(s), s.message == nil || s.width >= 120 { left += "  " + total }
        var x = screen.put(left, x: 0, y: y, style: Theme.statusBar)
        if let m = s.message {
            x += screen.put("  ", x: x, y: y, style: Theme.statusBar)
            var st = s.messageIsError ? Theme.statusBar : Theme.statusBar
            if s.messageIsError { st.fg = .red; st.bold = true }
            screen.put(m, x: x, y: y, style: st)
        }
        var hx = 0
        for (key, what) in hints(s) {
            if hx > 0 { hx += screen.put("  ", x: hx, y: y + 1) }
            hx += screen.put(key, x: hx, y: y + 1, style: Theme.key)
            hx += screen.put(" " + what, x: hx, y: y + 1, style: Theme.hint)
        }
    }

    static func hints(_ s: AppState) -> [(String, String)] {
        if s.confirmQuit { return [("y", "quit"), ("n", "stay")] }
        if s.showHelp { return [("Esc", "close help")] }
        if s.picker != nil { return [("↑↓", "choose"), ("Enter", "pick"), ("Esc", "cancel")] + (s.picker?.field == .size ? [("←→", "tier"), ("o", "orientation")] : []) }
        if s.filterEditing { return [("Enter", "search"), ("Esc", "cancel")] }
        if s.profilePicker != nil { return [("↑↓", "choose"), ("Enter", "switch"), ("Esc", "cancel")] }
        if s.promptSearch != nil { return [("type", "to search"), ("↑ ^R", "older"), ("↓", "newer"), ("Enter", "use it"), ("Esc", "cancel")] }
        let common = [("Tab", "next"), ("^S", "submit"), ("^C", "quit")] + (s.pollingPaused ? [("F5", "resume polling")] : [])
            + (s.profiles.count > 1 && s.focus != .compose ? [("P", "profile")] : [])
        switch s.focus {
        case .compose:
            switch s.composer.field {
            case .prompt: return common + [("↑", "earlier prompts"), ("^R", "search them"), ("^T", "JSON"), ("F1", "help")]
            case .references: return common + [("F1", "help")]
            default: return [("←→", "change"), ("Enter", "list"), ("↑↓", "field")] + common + [("?", "help")]
            }
        case .tasks: return [("↑↓", "select"), ("Enter", "detail"), ("/", "search"), ("s", "status filter"), ("r", "re-run"), ("e", "edit"), ("m", "other family"), ("v", "view"), ("t", "thumbnails")] + common + [("?", "help")]
        case .detail: return [("r", "re-run"), ("e", "edit"), ("m", "other family"), ("v", "view"), ("d", "download"), ("o", "open"), ("c", "copy URL"), ("x", "copy curl"), ("w", "stop watching")] + common
        }
    }
}
