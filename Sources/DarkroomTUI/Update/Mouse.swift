/// The mouse, where the terminal reports it: a click on a hint presses its
/// key; a click focuses a pane (or a tab) and selects a task; a double click
/// opens its detail; the wheel scrolls the list, the prompt, help and lists.
/// Every one of these has a key too.
enum Mouse {
    static func handle(_ s: inout AppState, _ kind: MouseKind, x: Int, y: Int) -> [Effect] {
        guard !s.isTooSmall else { return [] }
        // The hint bar: each hint is a button for its binding (the keymap's own).
        if y == s.height - 1 {
            guard kind == .click, let item = HintBar.items(s).first(where: { $0.x.contains(x) }), let key = item.binding.keys.first else { return [] }
            return item.binding.perform(&s, key)
        }
        let wheel = kind == .wheelUp ? -1 : kind == .wheelDown ? 1 : 0
        // Overlays take the wheel first, as their keys would; a question takes no clicks.
        if let overlay = s.overlay {
            guard wheel != 0, overlay.confirmation == nil else { return [] }
            return update(&s, .key(wheel < 0 ? .up : .down))
        }
        if s.comparison != nil { return [] }
        if s.gallery != nil { return galleryMouse(&s, kind, x: x, y: y, wheel: wheel) }
        if !s.isWide && y == 0 {
            if let p = TabBar.pane(at: x) { s.focus = p }
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

extension Mouse {
    /// In the gallery: a click selects a picture, a double click opens it full
    /// screen, the wheel moves by a row.
    static func galleryMouse(_ s: inout AppState, _ kind: MouseKind, x: Int, y: Int, wheel: Int) -> [Effect] {
        guard var g = s.gallery else { return [] }
        if wheel != 0 { return GalleryKeys.move(&s, wheel < 0 ? .up : .down) }
        let count = GalleryPlanner.items(s).count
        guard let i = (0..<count).first(where: { GalleryPlanner.tile(s, $0, top: g.top)?.contains(x: x, y: y) == true }) else { return [] }
        g.selected = i
        g.picture = GalleryPlanner.items(s)[safe: i]?.id
        s.gallery = g
        if let t = GalleryPlanner.items(s)[safe: i]?.task { s.selectedID = t.localID }
        return kind == .doubleClick ? GalleryKeys.view(&s) : []
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}
