import DarkroomCore
import DarkroomPreview

/// The gallery (`g`): every saved picture of the task list as it is filtered,
/// as a grid of thumbnails. `selected` indexes `GalleryPlanner.items`; `top` is
/// the first grid row shown.
public struct Gallery: Equatable, Sendable {
    public var selected = 0
    public var top = 0
    /// The selected picture itself (task, result), so the selection stays on it
    /// when pictures arrive or leave before it.
    public var picture: PictureID?
    /// `F`: only this task's family (its ancestors, it, its descendants among the listed tasks).
    public var family: Int64?
    public init() {}
}

/// A picture: a task's local id and the index of its result.
public struct PictureID: Hashable, Sendable {
    public let localID: Int64
    public let index: Int
}

/// One picture of the gallery: a task's saved result.
struct GalleryItem: Equatable {
    let task: TaskRecord
    let result: ResultRecord
    var id: PictureID { PictureID(localID: task.localID, index: result.index) }
}

/// The gallery's items and geometry, shared by the keys, the previews asked
/// for and the view, so what is asked for is exactly what is drawn.
enum GalleryPlanner {
    static func items(_ s: AppState) -> [GalleryItem] {
        let tasks = s.gallery?.family.map { family(of: $0, in: s.tasks) } ?? s.tasks
        // Starred: a task starred itself shows every picture; otherwise only its starred ones.
        let starredOnly = s.statusFilter == .starred || SearchTerms(s.filterText).starred
        return tasks.flatMap { t in
            PreviewPlanner.saved(t).filter { !starredOnly || t.isStarred(picture: $0.index) }
                .map { GalleryItem(task: t, result: $0) }
        }
    }

    /// The tasks of `list` in `root`'s family: the pictures it came from (and
    /// theirs), it, and those made from it (and from them), in list order.
    static func family(of root: Int64, in list: [TaskRecord]) -> [TaskRecord] {
        let byID = Dictionary(list.map { ($0.localID, $0) }, uniquingKeysWith: { a, _ in a })
        var members: Set<Int64> = [root]
        var up = byID[root]?.request.origins.map(\.localID) ?? []
        while let p = up.popLast() {
            if members.insert(p).inserted { up += byID[p]?.request.origins.map(\.localID) ?? [] }
        }
        var down = [root]
        while let p = down.popLast() {
            for t in list where t.request.origins.contains(where: { $0.localID == p }) && members.insert(t.localID).inserted { down.append(t.localID) }
        }
        return list.filter { members.contains($0.localID) }
    }

    /// The grid: the screen but the title row and the status and hint rows.
    static func area(_ s: AppState) -> Rect { Rect(x: 0, y: 1, width: s.width, height: max(0, s.height - 3)) }

    /// Columns and the size of one tile: about 24 cells wide and a third as tall
    /// plus the frame and caption (two rows of three at 80x24), stretched to fill the area.
    static func grid(_ s: AppState) -> (columns: Int, rows: Int, tileWidth: Int, tileHeight: Int) {
        let a = area(s)
        let columns = max(1, a.width / 24)
        let tileWidth = a.width / columns
        let rows = max(1, a.height / max(6, tileWidth / 3 + 2))
        return (columns, rows, tileWidth, a.height / rows)
    }

    /// The tile of item `i` on screen, or nil when it is scrolled out.
    static func tile(_ s: AppState, _ i: Int, top: Int) -> Rect? {
        let g = grid(s), a = area(s)
        let row = i / g.columns - top
        guard row >= 0, row < g.rows else { return nil }
        return Rect(x: a.x + (i % g.columns) * g.tileWidth, y: a.y + row * g.tileHeight, width: g.tileWidth, height: g.tileHeight)
    }

    /// Where a tile's picture goes: inside its frame, above the caption row.
    static func imageArea(_ tile: Rect) -> Rect {
        Rect(x: tile.x + 1, y: tile.y + 1, width: tile.width - 2, height: tile.height - 3)
    }

    /// The previews the gallery shows now.
    static func wanted(_ s: AppState, _ g: Gallery) -> [PreviewKey] {
        let all = items(s)
        let per = grid(s)
        let first = g.top * per.columns
        return all.indices.dropFirst(first).prefix(per.columns * per.rows).compactMap { i in
            tile(s, i, top: g.top).flatMap { PreviewPlanner.key(s, all[i].result, in: imageArea($0)) }
        }
    }
}

/// The gallery's keys (the keymap binds them).
enum GalleryKeys {
    static func toggle(_ s: inout AppState) -> [Effect] {
        if s.gallery != nil {
            s.gallery = nil
            return []
        }
        var g = Gallery()
        // Start at the selected task's first picture.
        if let id = s.selectedID, let i = GalleryPlanner.items(s).firstIndex(where: { $0.task.localID == id }) { g.selected = i }
        s.gallery = g
        keepVisible(&s)
        if GalleryPlanner.items(s).isEmpty { s.say("No saved pictures in this view yet") }
        return []
    }

    static func move(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var g = s.gallery else { return [] }
        let count = GalleryPlanner.items(s).count
        guard count > 0 else { return [] }
        let grid = GalleryPlanner.grid(s)
        let delta: Int
        switch k {
        case .left, .char("h"): delta = -1
        case .right, .char("l"): delta = 1
        case .up, .char("k"): delta = -grid.columns
        case .down, .char("j"): delta = grid.columns
        case .pageUp: delta = -grid.columns * grid.rows
        case .pageDown: delta = grid.columns * grid.rows
        case .home: delta = -count
        default: delta = count
        }
        let target = g.selected + delta
        // Up and down past the ends stay in the column's first or last row.
        g.selected = min(count - 1, max(0, target))
        g.picture = nil
        s.gallery = g
        keepVisible(&s)
        if let t = GalleryPlanner.items(s)[safe: g.selected]?.task { s.selectedID = t.localID }
        // Near the end of what is loaded: the next page of the list.
        if s.hasMore, g.selected >= count - grid.columns * grid.rows, let last = s.tasks.last {
            s.hasMore = false
            return [.loadTasks(s.query(before: last.localID))]
        }
        return []
    }

    /// After a move, a resize, or the list changing: the selection on its picture, in view.
    static func keepVisible(_ s: inout AppState) {
        guard var g = s.gallery else { return }
        let grid = GalleryPlanner.grid(s)
        let items = GalleryPlanner.items(s)
        let count = items.count
        if let p = g.picture, let i = items.firstIndex(where: { $0.id == p }) { g.selected = i }
        g.selected = max(0, min(g.selected, count - 1))
        g.picture = items[safe: g.selected]?.id
        let row = g.selected / grid.columns
        if row < g.top { g.top = row }
        if row >= g.top + grid.rows { g.top = row - grid.rows + 1 }
        g.top = max(0, min(g.top, max(0, (count + grid.columns - 1) / grid.columns - grid.rows)))
        s.gallery = g
    }

    /// F: only the selected picture's family (what it came from, what was made
    /// from it), or every picture again.
    static func family(_ s: inout AppState) -> [Effect] {
        guard var g = s.gallery else { return [] }
        if g.family != nil {
            g.family = nil
            s.gallery = g
            keepVisible(&s)
            s.say("Every picture of the list again")
            return []
        }
        guard let item = selectedItem(s) else { return [] }
        g.family = item.task.localID
        s.gallery = g
        keepVisible(&s)
        let count = GalleryPlanner.items(s).count
        s.say("The family of #\(item.task.localID): \(count) picture\(count == 1 ? "" : "s") (what it came from, what was made from it; F shows all)",
              task: item.task.localID)
        return []
    }

    static func selectedItem(_ s: AppState) -> GalleryItem? {
        s.gallery.flatMap { GalleryPlanner.items(s)[safe: $0.selected] }
    }

    /// Enter: the task's detail.
    static func detail(_ s: inout AppState) -> [Effect] {
        guard let item = selectedItem(s) else { return [] }
        s.gallery = nil
        s.selectedID = item.task.localID
        s.focus = .detail
        Scrolling.keepSelectionVisible(&s)
        return []
    }

    /// v: the picture full screen; Esc comes back to the gallery.
    static func view(_ s: inout AppState) -> [Effect] {
        guard let item = selectedItem(s) else { return [] }
        s.selectedID = item.task.localID
        s.overlay = .fullPreview(FullPreview(localID: item.task.localID, index: item.result.index))
        return []
    }

    static func open(_ s: AppState) -> [Effect] {
        guard let path = selectedItem(s)?.result.file?.path else { return [] }
        return [.open(path: path)]
    }
}
