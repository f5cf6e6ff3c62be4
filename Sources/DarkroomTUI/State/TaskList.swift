import DarkroomCore
import DarkroomHistory

/// The task list's behaviour: keeping rows in order, the selection on its
/// task, and the scroll position still, whatever updates arrive.
enum TaskList {
    static func upsert(_ s: inout AppState, _ r: TaskRecord, select: Bool) {
        if let i = s.tasks.firstIndex(where: { $0.localID == r.localID }) {
            s.tasks[i] = r
        } else if (matches(s, r) && (s.statusFilter.states.isEmpty || s.statusFilter.states.contains(r.state)) && (s.profile == nil || r.profile == s.profile))
                    || select {
            // Newer tasks have larger ids: find its place from the top.
            let at = s.tasks.firstIndex { $0.localID < r.localID } ?? s.tasks.count
            s.tasks.insert(r, at: at)
            // Rows above the view moved down by one: move the view with them.
            if at < s.scrollTop || (at == s.scrollTop && s.scrollTop > 0) { s.scrollTop += 1 }
        }
        if select || s.selectedID == nil {
            s.selectedID = r.localID
            Scrolling.keepSelectionVisible(&s)
        }
    }

    /// Whether a task belongs in the list as filtered now (every word of the
    /// search in its prompt, ignoring case, as the history's search does).
    static func matches(_ s: AppState, _ r: TaskRecord) -> Bool {
        let prompt = r.request.prompt.lowercased()
        return s.filterText.lowercased().split(whereSeparator: { $0.isWhitespace }).allSatisfy { prompt.contains($0) }
    }

    static func load(_ s: inout AppState, _ list: [TaskRecord], replace: Bool) {
        if replace {
            s.tasks = list
            s.scrollTop = 0
        } else {
            let known = Set(s.tasks.map(\.localID))
            s.tasks += list.filter { !known.contains($0.localID) }
        }
        s.hasMore = list.count >= 200
        if s.selectedIndex == nil { s.selectedID = s.tasks.first?.localID }
        Scrolling.keepSelectionVisible(&s)
    }

    static func key(_ s: inout AppState, _ k: Key) -> [Effect] {
        let rows = Layout.listRows(s)
        switch k {
        case .up, .char("k"): return move(&s, by: -1)
        case .down, .char("j"): return move(&s, by: 1)
        case .pageUp: return move(&s, by: -rows)
        case .pageDown: return move(&s, by: rows)
        case .home, .char("g"): return move(&s, by: -s.tasks.count)
        case .end, .char("G"): return move(&s, by: s.tasks.count)
        case .enter:
            if s.selected != nil { s.focus = .detail }
            return []
        case .char("/"):
            s.filterEditing = true
            s.filterEditor.setText(s.filterText)
            return []
        case .char("s"):
            let all = StatusFilter.allCases
            s.statusFilter = all[((all.firstIndex(of: s.statusFilter) ?? 0) + 1) % all.count]
            s.hasMore = true
            return [.loadTasks(s.query())]
        case .escape where !s.filterText.isEmpty || s.statusFilter != .all:
            s.filterText = ""
            s.filterEditor.setText("")
            s.statusFilter = .all
            s.hasMore = true
            return [.loadTasks(s.query())]
        case .char("t"):
            s.showThumbnails.toggle()
            s.message = s.showThumbnails ? "Thumbnails on (needs a list 60 columns wide)" : "Thumbnails off"
            s.messageIsError = false
            return []
        default:
            return DetailKeys.actions(&s, k)
        }
    }

    static func move(_ s: inout AppState, by delta: Int) -> [Effect] {
        guard !s.tasks.isEmpty else { return [] }
        let i = s.selectedIndex ?? 0
        let j = min(s.tasks.count - 1, max(0, i + delta))
        s.selectedID = s.tasks[j].localID
        Scrolling.keepSelectionVisible(&s)
        // Near the end of what is loaded: ask for the next page.
        if s.hasMore, j >= s.tasks.count - 20, let last = s.tasks.last {
            s.hasMore = false
            return [.loadTasks(s.query(before: last.localID))]
        }
        return []
    }
}

enum Scrolling {
    static func keepSelectionVisible(_ s: inout AppState) {
        let rows = Layout.listRows(s)
        if let i = s.selectedIndex {
            if i < s.scrollTop { s.scrollTop = i }
            if i >= s.scrollTop + rows { s.scrollTop = i - rows + 1 }
        }
        s.scrollTop = max(0, min(s.scrollTop, max(0, s.tasks.count - rows)))
    }
}
