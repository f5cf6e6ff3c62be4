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
        if let f = s.overlay?.fullPreview {
            FullPreviewView.draw(&screen, s, f)
            return (screen, nil)
        }
        var cursor: (x: Int, y: Int)?
        if let c = s.comparison {
            CompareView.draw(&screen, s, c, now: now)
        } else if let g = s.gallery {
            GalleryView.draw(&screen, s, g)
        } else {
            panes(&screen, s, &cursor, now: now)
        }
        switch s.overlay {
        case nil, .fullPreview: break
        case let .filter(editor): cursor = FilterLineView.draw(&screen, s, editor)
        case let .tags(t): cursor = TagLineView.draw(&screen, s, t)
        case let .picker(p): cursor = nil; PickerView.draw(&screen, s, p)
        case let .promptSearch(search): cursor = PromptSearchView.draw(&screen, s, search)
        case let .profiles(i): cursor = nil; ProfilePickerView.draw(&screen, s, i)
        case let .help(top): cursor = nil; HelpView.draw(&screen, s, scroll: top)
        case let .messages(scroll): cursor = nil; MessageLogView.draw(&screen, s, scroll: scroll)
        case let .completions(c): cursor = nil; CompletionsView.draw(&screen, s, c)
        case .confirm: cursor = nil
        }
        // Over a picture drawn by the terminal, an overlay would be drawn over in turn:
        // with one open, no picture (the full-screen one is not an overlay of cells).
        if let o = s.overlay, o.fullPreview == nil { screen.placements = [] }
        return (screen, cursor)
    }

    /// The three panes (or the focused one as a tab) and the status rows.
    static func panes(_ screen: inout Screen, _ s: AppState, _ cursor: inout (x: Int, y: Int)?, now: Date) {
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
    /// Where each tab is on row 0, in cells: the one layout the drawing and the mouse use.
    static func tabs() -> [(pane: Pane, label: String, x: Int, width: Int)] {
        var x = 0
        return Pane.allCases.map { p in
            let label = " \(p.title) "
            let w = DisplayWidth.of(label)
            defer { x += w + 1 }
            return (p, label, x, w)
        }
    }

    /// The tab at column `x`, if any.
    static func pane(at x: Int) -> Pane? {
        tabs().first { x >= $0.x && x < $0.x + $0.width }?.pane
    }

    static func draw(_ screen: inout Screen, _ s: AppState) {
        var end = 0
        for t in tabs() {
            screen.put(t.label, x: t.x, y: 0, style: s.focus == t.pane ? Theme.selected : Theme.hint)
            end = t.x + t.width + 1
        }
        screen.put("F2 F3 F4 or Tab", x: end + 1, y: 0, style: Theme.hint, limit: s.width - end - 1)
    }
}

/// The task search being typed (/), on the list's last row.
enum FilterLineView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ editor: PromptEditor) -> (x: Int, y: Int)? {
        // Over the gallery: its title row.
        let pane = s.gallery != nil ? Rect(x: 0, y: -2, width: s.width, height: 3) : Layout.rect(s, .tasks)
        guard let r = pane else { return nil }
        let y = r.maxY - 1
        screen.fill(Rect(x: r.x + 1, y: y, width: r.width - 2, height: 1))
        let w = screen.put("/", x: r.x + 2, y: y, style: Theme.key)
        let shown = DisplayWidth.truncate(editor.text, to: r.width - 6)
        screen.put(shown, x: r.x + 2 + w, y: y)
        let col = DisplayWidth.of(String(editor.chars.prefix(editor.cursor)))
        return (min(r.maxX - 2, r.x + 2 + w + col), y)
    }
}
