/// The mouse, where the terminal reports it: a click focuses a pane (or a tab)
/// and selects a task; a double click opens its detail; the wheel scrolls the
/// list, the prompt, help and pickers. Every one of these has a key too.
enum Mouse {
    static func handle(_ s: inout AppState, _ kind: MouseKind, x: Int, y: Int) -> [Effect] {
        guard !s.isTooSmall, !s.confirmQuit else { return [] }
        let wheel = kind == .wheelUp ? -1 : kind == .wheelDown ? 1 : 0
        // Overlays take the wheel first, as their keys would.
        if s.showHelp || s.picker != nil || s.promptSearch != nil || s.fullPreview != nil {
            guard wheel != 0 else { return [] }
            return update(&s, .key(wheel < 0 ? .up : .down))
        }
        if !s.isWide && y == 0 {
            // The tab bar: " Compose   Tasks   Detail " (each label plus one space).
            var tx = 0
            for p in Pane.allCases {
                let w = p.title.count + 3
                if x >= tx && x < tx + w - 1 { s.focus = p; return [] }
                tx += w
            }
            return []
        }
        guard let (pane, rect) = Layout.panes(s).first(where: { $0.1.contains(x: x, y: y) }) else { return [] }
        switch (pane, kind) {
        case (.tasks, .wheelUp), (.tasks, .wheelDown), (.detail, .wheelUp), (.detail, .wheelDown):
            return TaskList.move(&s, by: wheel * 3)
        case (.compose, .wheelUp), (.compose, .wheelDown):
            if s.composer.field == .prompt { _ = s.composer.editor.vertical(wheel, width: ComposerKeys.promptWidth(s)) }
            return []
        case (.tasks, _):
            s.focus = .tasks
            // Rows start under the border and the header line.
            let row = y - (rect.y + 2)
            let i = s.scrollTop + row
            guard row >= 0, row < Layout.listRows(s), s.tasks.indices.contains(i) else { return [] }
            s.selectedID = s.tasks[i].localID
            if kind == .doubleClick { s.focus = .detail }
            return []
        case (let p, _):
            s.focus = p
            return []
        }
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}
