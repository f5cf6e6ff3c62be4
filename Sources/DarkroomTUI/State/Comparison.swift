import DarkroomCore
import DarkroomPreview

/// The comparison grid (`c` on a task of a run): the run's tasks laid out by
/// what varies between them: the first varying field down the rows, the
/// second across the columns, a third (if any) in pages. `tasks` come from the
/// history (`Effect.loadRun`) and follow live changes.
public struct Comparison: Equatable, Sendable {
    public var runID: Int64
    public var tasks: [TaskRecord] = []
    public var loaded = false
    /// The selected cell and the page of the third axis.
    public var row = 0, column = 0, page = 0
    /// Which varying field goes where (`a` steps through every order): the
    /// n-th permutation of the axes, rows first, then columns, then pages.
    public var arrangement = 0
    public init(runID: Int64) { self.runID = runID }
}

/// One varying field of a run and its values, in the order they first appear.
struct CompareAxis: Equatable {
    let name: String
    let values: [String]
    let value: @Sendable (TaskRecord) -> String?
    static func == (a: CompareAxis, b: CompareAxis) -> Bool { a.name == b.name && a.values == b.values }
}

/// The grid's axes, cells and geometry, shared by keys, previews and the view.
enum ComparePlanner {
    /// What may vary in a run, in the order a grid uses them. The shape is a
    /// gpt-image-2 size or a NanoBanana ratio; when a run has both families, a
    /// size counts as its nearest ratio, so each family's picture of a shape
    /// meets the other's in one cell.
    static func fields(_ tasks: [TaskRecord]) -> [(String, @Sendable (TaskRecord) -> String?)] {
        let families = Set(tasks.compactMap { Catalog.model($0.request.model)?.family == .gptImage2 })
        let mixed = families.count > 1
        let shape: @Sendable (TaskRecord) -> String? = { t in
            if let size = t.request.size {
                guard mixed, let s = Catalog.size(named: size) else { return size }
                return FamilyMapping.aspectRatio(for: s).rawValue
            }
            return t.request.aspectRatio
        }
        return [("prompt", { $0.request.typedPrompt }), ("style", { $0.request.style?.name }), ("model", { $0.request.model }), ("shape", shape),
                ("quality", { $0.request.quality })]
    }

    static func axes(_ tasks: [TaskRecord]) -> [CompareAxis] {
        // Oldest first: the order the run made them in.
        let ordered = tasks.sorted { $0.localID < $1.localID }
        return fields(tasks).compactMap { name, value in
            // A task whose model does not take the field (nil) is no value of it.
            var values: [String] = []
            for t in ordered { if let v = value(t), !values.contains(v) { values.append(v) } }
            return values.count > 1 ? CompareAxis(name: name, values: values, value: value) : nil
        }
    }

    /// The grid: rows, columns, pages and the task in each cell, worked out once
    /// from the run's tasks (views, keys and previews each make one and ask it).
    static func grid(_ c: Comparison) -> CompareGrid { CompareGrid(c.tasks, arrangement: c.arrangement) }

    /// The `n`-th order of `items` (every order once as `n` goes from 0 to count! - 1, then again).
    static func permutation<T>(_ items: [T], _ n: Int) -> [T] {
        var pool = items, out: [T] = []
        let total = (1...max(1, items.count)).reduce(1, *)
        var k = ((n % total) + total) % total
        while !pool.isEmpty {
            let rest = (1...max(1, pool.count - 1)).reduce(1, *)
            let i = pool.count > 1 ? k / rest : 0
            out.append(pool.remove(at: i))
            k %= rest
        }
        return out
    }

    /// Rows, columns, pages (see `CompareGrid`).
    static func shape(_ c: Comparison) -> (rows: CompareAxis?, columns: CompareAxis?, pages: CompareAxis?) {
        let g = grid(c)
        return (g.rows, g.columns, g.pages)
    }

    static func counts(_ c: Comparison) -> (rows: Int, columns: Int, pages: Int) { grid(c).counts }

    /// The task in a cell, if the run has one there.
    static func task(_ c: Comparison, row: Int, column: Int, page: Int) -> TaskRecord? { grid(c).task(row: row, column: column, page: page) }

    /// The grid's area: the screen but the title rows and the status and hint rows.
    static func area(_ s: AppState) -> Rect { Rect(x: 0, y: 2, width: s.width, height: max(0, s.height - 4)) }

    /// Cell size: the row labels take a column of up to 20 cells; cells share the rest.
    static func geometry(_ s: AppState, _ grid: CompareGrid) -> (labelWidth: Int, cellWidth: Int, cellHeight: Int, visibleRows: Int, visibleColumns: Int) {
        let n = grid.counts, a = area(s)
        let label = grid.rows == nil ? 0 : min(20, max(8, a.width / 6))
        let visibleColumns = max(1, min(n.columns, (a.width - label) / 16))
        let cellWidth = (a.width - label) / visibleColumns
        let visibleRows = max(1, min(n.rows, a.height / 6))
        return (label, cellWidth, a.height / visibleRows, visibleRows, visibleColumns)
    }

    /// The first row and column shown, keeping the selection in view.
    static func origin(_ s: AppState, _ c: Comparison, _ grid: CompareGrid) -> (row: Int, column: Int) {
        let g = geometry(s, grid)
        return (max(0, c.row - g.visibleRows + 1), max(0, c.column - g.visibleColumns + 1))
    }

    static func cellRect(_ s: AppState, _ c: Comparison, _ grid: CompareGrid, row: Int, column: Int) -> Rect? {
        let g = geometry(s, grid), o = origin(s, c, grid), a = area(s)
        let r = row - o.row, col = column - o.column
        guard r >= 0, r < g.visibleRows, col >= 0, col < g.visibleColumns else { return nil }
        return Rect(x: a.x + g.labelWidth + col * g.cellWidth, y: a.y + r * g.cellHeight, width: g.cellWidth, height: g.cellHeight)
    }

    /// Where a cell's picture goes: inside its frame, above its two text lines.
    static func imageArea(_ cell: Rect) -> Rect { Rect(x: cell.x + 1, y: cell.y + 1, width: cell.width - 2, height: cell.height - 4) }

    static func wanted(_ s: AppState, _ c: Comparison) -> [PreviewKey] {
        let grid = grid(c), n = grid.counts
        var keys: [PreviewKey] = []
        for r in 0..<n.rows {
            for col in 0..<n.columns {
                guard let rect = cellRect(s, c, grid, row: r, column: col), let t = grid.task(row: r, column: col, page: c.page),
                      let res = PreviewPlanner.saved(t).first, let k = PreviewPlanner.key(s, res, in: imageArea(rect)) else { continue }
                keys.append(k)
            }
        }
        return keys
    }
}

/// The comparison's keys (the keymap binds them).
enum CompareKeys {
    /// `c`: the selected task's run side by side.
    static func open(_ s: inout AppState) -> [Effect] {
        if let run = RunTarget.justSent(s) {
            var c = Comparison(runID: run)
            c.tasks = s.tasks.filter { $0.runID == run }
            s.comparison = c
            return [.loadRun(run)]
        }
        guard let t = s.selected else { return [] }
        guard let run = t.runID else {
            s.say("#\(t.localID) is not part of a run: c compares the tasks of one run (darkroom submit with several values, or batch)")
            return []
        }
        var c = Comparison(runID: run)
        c.tasks = s.tasks.filter { $0.runID == run }
        s.comparison = c
        return [.loadRun(run)]
    }

    static func loaded(_ s: inout AppState, _ run: Int64, _ tasks: [TaskRecord]) {
        guard var c = s.comparison, c.runID == run else { return }
        c.tasks = tasks
        c.loaded = true
        // The selection starts on the task the grid was opened from.
        if let id = s.selectedID, let at = cell(of: id, in: c) { (c.row, c.column, c.page) = at }
        s.comparison = c
        clamp(&s)
    }

    /// A task of the run changed: the grid follows.
    static func changed(_ s: inout AppState, _ r: TaskRecord) {
        guard var c = s.comparison, r.runID == c.runID else { return }
        if let i = c.tasks.firstIndex(where: { $0.localID == r.localID }) { c.tasks[i] = r } else { c.tasks.append(r) }
        s.comparison = c
    }

    static func cell(of id: Int64, in c: Comparison) -> (Int, Int, Int)? {
        ComparePlanner.grid(c).cell(of: id)
    }

    static func clamp(_ s: inout AppState) {
        guard var c = s.comparison else { return }
        let n = ComparePlanner.counts(c)
        c.row = max(0, min(c.row, n.rows - 1))
        c.column = max(0, min(c.column, n.columns - 1))
        c.page = max(0, min(c.page, n.pages - 1))
        s.comparison = c
    }

    static func move(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var c = s.comparison else { return [] }
        switch k {
        case .left, .char("h"): c.column -= 1
        case .right, .char("l"): c.column += 1
        case .up, .char("k"): c.row -= 1
        case .down, .char("j"): c.row += 1
        case .pageUp, .char("["): c.page -= 1
        default: c.page += 1
        }
        s.comparison = c
        clamp(&s)
        if let t = selectedTask(s) { s.selectedID = t.localID }
        return []
    }

    static func selectedTask(_ s: AppState) -> TaskRecord? {
        s.comparison.flatMap { ComparePlanner.task($0, row: $0.row, column: $0.column, page: $0.page) }
    }

    /// a: the next order of the axes (which field is rows, columns, pages); the
    /// selection stays on its task.
    static func arrange(_ s: inout AppState) -> [Effect] {
        guard var c = s.comparison else { return [] }
        let keep = selectedTask(s)?.localID
        c.arrangement += 1
        c.page = 0
        let grid = ComparePlanner.grid(c)
        if let keep, let (r, col, p) = grid.cell(of: keep) { (c.row, c.column, c.page) = (r, col, p) }
        s.comparison = c
        clamp(&s)
        let names = [grid.rows, grid.columns, grid.pages].compactMap { $0?.name }
        s.say(names.count < 2 ? "Only one thing varies in this run" : "Rows: \(names[0]) · columns: \(names[1])" + (names.count > 2 ? " · pages: \(names[2])" : ""),
              transient: true)
        return []
    }

    /// Enter: the task's detail.
    static func detail(_ s: inout AppState) -> [Effect] {
        guard let t = selectedTask(s) else { return [] }
        s.comparison = nil
        if !s.tasks.contains(where: { $0.localID == t.localID }) { TaskList.upsert(&s, t, select: true) }
        s.selectedID = t.localID
        s.focus = .detail
        Scrolling.keepSelectionVisible(&s)
        return []
    }

    /// v: its picture full screen (Esc comes back here).
    static func view(_ s: inout AppState) -> [Effect] {
        guard let t = selectedTask(s), let r = PreviewPlanner.saved(t).first else {
            if let t = selectedTask(s) { s.say("#\(t.localID) has no saved picture yet") }
            return []
        }
        if !s.tasks.contains(where: { $0.localID == t.localID }) { TaskList.upsert(&s, t, select: true) }
        s.selectedID = t.localID
        s.overlay = .fullPreview(FullPreview(localID: t.localID, index: r.index))
        return []
    }
}

/// A run's tasks laid out: the first varying field down the rows, the second
/// across the columns, the third in pages (with one, a single row; further
/// ones are folded into the cell, where the oldest match shows).
struct CompareGrid {
    let rows: CompareAxis?
    let columns: CompareAxis?
    let pages: CompareAxis?
    let counts: (rows: Int, columns: Int, pages: Int)
    private let cells: [[Int]: TaskRecord]

    init(_ tasks: [TaskRecord], arrangement: Int = 0) {
        let ordered = tasks.sorted { $0.localID < $1.localID }
        let a = ComparePlanner.permutation(ComparePlanner.axes(ordered), arrangement)
        if a.count == 1 { (rows, columns, pages) = (nil, a[0], nil) } else { (rows, columns, pages) = (a.first, a[safe: 1], a[safe: 2]) }
        counts = (rows?.values.count ?? 1, columns?.values.count ?? max(1, ordered.count), pages?.values.count ?? 1)
        // The places of a task along an axis: its value's, or every one when its
        // model does not take the field (a NanoBanana picture on each quality's page).
        func places(_ axis: CompareAxis?, _ t: TaskRecord) -> [Int] {
            guard let axis else { return [0] }
            guard let v = axis.value(t) else { return Array(axis.values.indices) }
            return axis.values.firstIndex(of: v).map { [$0] } ?? []
        }
        var cells: [[Int]: TaskRecord] = [:]
        for (i, t) in ordered.enumerated() {
            // No varying field: the tasks side by side, one per column.
            for r in places(rows, t) {
                for c in columns == nil ? [i] : places(columns, t) {
                    for p in places(pages, t) where cells[[r, c, p]] == nil { cells[[r, c, p]] = t }
                }
            }
        }
        self.cells = cells
    }

    func task(row: Int, column: Int, page: Int) -> TaskRecord? { cells[[row, column, page]] }

    func cell(of id: Int64) -> (Int, Int, Int)? {
        cells.first { $0.value.localID == id }.map { ($0.key[0], $0.key[1], $0.key[2]) }
    }
}
