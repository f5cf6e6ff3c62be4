import DarkroomCore
import Foundation

/// The comparison grid: a title naming the run and its axes, the column axis's
/// values across the top, the row axis's down the left, and in each cell the
/// task's picture (or its progress while it runs), its status, time and units.
enum CompareView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ c: Comparison, now: Date) {
        let grid = ComparePlanner.grid(c), n = grid.counts, g = ComparePlanner.geometry(s, grid)
        var title = "Run #\(c.runID)  \(c.tasks.count) task\(c.tasks.count == 1 ? "" : "s")"
        if let r = grid.rows { title += "  ·  rows: \(r.name)" }
        if let col = grid.columns { title += "  ·  columns: \(col.name)" }
        if let p = grid.pages { title += "  ·  \(p.name) \(c.page + 1)/\(n.pages): \(TerminalSanitizer.clean(p.values[c.page]))" }
        if !c.loaded { title += "  (loading…)" }
        screen.put(DisplayWidth.truncate(title, to: s.width - 2), x: 1, y: 0, style: Theme.title)
        let o = ComparePlanner.origin(s, c, grid), area = ComparePlanner.area(s)
        if c.loaded && c.tasks.isEmpty {
            PreviewView.message(&screen, "The run has no tasks in this history.", in: Rect(x: 2, y: area.y, width: s.width - 4, height: 2), style: Theme.hint)
        }
        // Column headings.
        if let cols = grid.columns {
            for col in o.column..<min(n.columns, o.column + g.visibleColumns) {
                let x = area.x + g.labelWidth + (col - o.column) * g.cellWidth
                let label = TerminalSanitizer.clean(String(cols.values[col].split(separator: "\n").first ?? ""))
                screen.put(DisplayWidth.truncate(label, to: g.cellWidth - 2), x: x + 1, y: 1, style: col == c.column ? Theme.value : Theme.label)
            }
        }
        for row in o.row..<min(n.rows, o.row + g.visibleRows) {
            let y = area.y + (row - o.row) * g.cellHeight
            if let rows = grid.rows {
                let text = TerminalSanitizer.clean(rows.values[row])
                PreviewView.message(&screen, text, in: Rect(x: 0, y: y + 1, width: g.labelWidth - 1, height: max(1, g.cellHeight - 2)),
                                    style: row == c.row ? Theme.value : Theme.label)
            }
            for col in o.column..<min(n.columns, o.column + g.visibleColumns) {
                guard let rect = ComparePlanner.cellRect(s, c, grid, row: row, column: col) else { continue }
                let selected = row == c.row && col == c.column
                guard let t = grid.task(row: row, column: col, page: c.page) else {
                    screen.box(rect, title: "—", focused: selected)
                    screen.put("not in this run", x: rect.x + 1, y: rect.y + 1, style: Theme.hint, limit: rect.width - 2)
                    continue
                }
                cell(&screen, s, t, rect, selected: selected, now: now)
            }
        }
        StatusBar.draw(&screen, s)
    }

    static func cell(_ screen: inout Screen, _ s: AppState, _ t: TaskRecord, _ rect: Rect, selected: Bool, now: Date) {
        screen.box(rect, title: (t.isStarred ? "★ " : "") + (t.isHidden ? "(hidden) " : "") + "#\(t.localID)", focused: selected)
        let area = ComparePlanner.imageArea(rect)
        if let res = PreviewPlanner.saved(t).first {
            switch PreviewView.slot(s, res, area) {
            case let .ready(p): PreviewView.image(&screen, p, in: area, depth: s.colorDepth, centredDown: true)
            case let .failed(why): PreviewView.message(&screen, "no preview: " + why, in: area, style: Theme.warning)
            case .loading, nil: PreviewView.message(&screen, "…", in: area, style: Theme.hint)
            }
        } else if let e = t.error, t.state.isFinal {
            PreviewView.message(&screen, TerminalSanitizer.clean(e), in: area, style: Theme.warning)
        } else if let p = t.progress, !t.state.isFinal {
            // A bar while it runs.
            let w = max(0, area.width)
            let done = min(w, w * p / 100)
            screen.put(String(repeating: "█", count: done), x: area.x, y: area.y + area.height / 2, style: Theme.progressDone)
            screen.put(String(repeating: "░", count: w - done), x: area.x + done, y: area.y + area.height / 2, style: Theme.progressTodo)
        }
        let status = t.isDoneNotSaved ? "done, \(t.unsavedResults.count) not saved"
            : "\(t.statusLabel)" + (t.progress.map { t.state.isFinal ? "" : " \($0)%" } ?? "")
        screen.put(DisplayWidth.truncate(status, to: rect.width - 2), x: rect.x + 1, y: rect.maxY - 3,
                   style: t.isDoneNotSaved ? Theme.warning : t.state == .succeeded ? Theme.ok : (t.state.isFinal ? Theme.error : .plain))
        let elapsed = t.submittedAt.map { ((t.finishedAt ?? now).timeIntervalSince($0)).rounded() }.map { "\(Int($0))s" } ?? ""
        let units = PriceTable.billableUnits(t.request)
        let line = [elapsed, "\(units == units.rounded() ? String(Int(units)) : String(format: "%.1f", units)) unit\(units == 1 ? "" : "s")"]
            .filter { !$0.isEmpty }.joined(separator: "  ")
        screen.put(DisplayWidth.truncate(line, to: rect.width - 2), x: rect.x + 1, y: rect.maxY - 2, style: Theme.hint)
    }
}
