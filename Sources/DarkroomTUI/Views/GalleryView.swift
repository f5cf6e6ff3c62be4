import DarkroomCore

/// The gallery (`g`): a title row, a grid of framed thumbnails with the task
/// number on the frame and the prompt under the picture, then the status and
/// hint rows. The selected tile's frame is the focused one.
enum GalleryView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ g: Gallery) {
        let items = GalleryPlanner.items(s)
        var title = "Gallery  \(items.count) picture\(items.count == 1 ? "" : "s")"
        if !s.filterText.isEmpty { title += "  /\(s.filterText)" }
        if s.statusFilter != .all { title += "  [\(s.statusFilter.rawValue)]" }
        if s.hasMore && !items.isEmpty { title += "  (more as you scroll)" }
        if let item = items[safe: g.selected] {
            title += "  ·  #\(item.task.localID) [\(item.result.index)]"
        }
        screen.put(DisplayWidth.truncate(title, to: s.width - 2), x: 1, y: 0, style: Theme.title)
        if items.isEmpty {
            let why = s.filterText.isEmpty && s.statusFilter == .all ? "No saved pictures yet: submit one, or d downloads a task's results."
                : "No saved pictures match this search or filter (Esc in the list clears it)."
            PreviewView.message(&screen, why, in: Rect(x: 2, y: 2, width: s.width - 4, height: 3), style: Theme.hint)
        }
        let per = GalleryPlanner.grid(s)
        for i in items.indices.dropFirst(g.top * per.columns).prefix(per.columns * per.rows) {
            guard let tile = GalleryPlanner.tile(s, i, top: g.top) else { continue }
            let item = items[i]
            let selected = i == g.selected
            // "!": the task's other pictures were not all saved.
            let starred = item.task.isStarred(picture: item.result.index)
            screen.box(tile, title: (starred ? "★ " : "") + (item.task.isHidden && s.statusFilter != .hidden ? "(hidden) " : "") + "#\(item.task.localID)" + (item.task.results.count > 1 ? " [\(item.result.index)]" : "")
                       + (item.task.isDoneNotSaved ? " !" : ""), focused: selected)
            let area = GalleryPlanner.imageArea(tile)
            switch PreviewView.slot(s, item.result, area) {
            case let .ready(p): PreviewView.image(&screen, p, in: area, depth: s.colorDepth, centredDown: true)
            case let .failed(why): PreviewView.message(&screen, "no preview: " + why, in: area, style: Theme.warning)
            case .loading, nil: PreviewView.message(&screen, s.graphics == .none ? "previews off" : "…", in: area, style: Theme.hint)
            }
            let prompt = TerminalSanitizer.clean(String(item.task.request.prompt.split(separator: "\n").first ?? ""))
            screen.put(DisplayWidth.truncateWords(prompt, to: tile.width - 2), x: tile.x + 1, y: tile.maxY - 2,
                       style: selected ? Theme.value : Theme.hint)
        }
        StatusBar.draw(&screen, s)
    }
}
