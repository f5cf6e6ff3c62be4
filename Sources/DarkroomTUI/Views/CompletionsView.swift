import DarkroomCore

/// The names Tab found in the Reference field, in a box inside the composer.
enum CompletionsView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ c: Completions) {
        let inner = (Layout.rect(s, .compose) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - 3)).inset(1)
        let rows = max(1, min(c.entries.count, inner.height - 3))
        let box = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: rows + 2)
        screen.fill(box)
        let folder = c.query.directory.isEmpty ? "this folder" : MiddleEllipsis.cut(c.query.directory, to: max(8, inner.width - 24))
        screen.box(box, title: "\(c.entries.count) in \(folder)", focused: true)
        let first = max(0, min(c.index - rows / 2, c.entries.count - rows))
        for (i, entry) in c.entries.enumerated().dropFirst(first).prefix(rows) {
            let name = TerminalSanitizer.clean(entry.name) + (entry.isDirectory ? "/" : "")
            let selected = i == c.index
            screen.put(DisplayWidth.pad((selected ? "▸ " : "  ") + MiddleEllipsis.cut(name, to: box.width - 4), to: box.width - 2),
                       x: box.x + 1, y: box.y + 1 + i - first, style: selected ? Theme.selected : .plain)
        }
    }
}
