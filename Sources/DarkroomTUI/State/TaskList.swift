import Foundation
import DarkroomCore

/// The task list's behaviour: keeping rows in order, the selection on its
/// task, and the scroll position still, whatever updates arrive.
enum TaskList {
    static func upsert(_ s: inout AppState, _ r: TaskRecord, select: Bool) {
        if let i = s.tasks.firstIndex(where: { $0.localID == r.localID }) {
            // A row stays where it is, hidden or shown again included (marked, so x
            // again undoes x); it leaves the list at the next load.
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

    /// Whether a task belongs in the list as filtered now, as the history's
    /// search decides (`SearchTerms`: words, #tags, *), starred and hidden included.
    static func matches(_ s: AppState, _ r: TaskRecord) -> Bool {
        hiddenFits(s, r) && (s.statusFilter != .starred || r.isStarred) && SearchTerms(s.filterText).matches(r)
    }

    /// Hidden tasks are listed in the "hidden" filter only, and only they are.
    static func hiddenFits(_ s: AppState, _ r: TaskRecord) -> Bool {
        s.statusFilter == .hidden ? r.isHidden : !r.isHidden
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
        GalleryKeys.keepVisible(&s)
    }

    /// ↑↓ j k PgUp PgDn g G Home End.
    static func select(_ s: inout AppState, _ k: Key) -> [Effect] {
        let rows = Layout.listRows(s)
        switch k {
        case .up, .char("k"): return move(&s, by: -1)
        case .down, .char("j"): return move(&s, by: 1)
        case .pageUp: return move(&s, by: -rows)
        case .pageDown: return move(&s, by: rows)
        case .home, .char("g"): return move(&s, by: -s.tasks.count)
        default: return move(&s, by: s.tasks.count)
        }
    }

    static func cycleStatus(_ s: inout AppState) -> [Effect] {
        let all = StatusFilter.allCases
        s.statusFilter = all[((all.firstIndex(of: s.statusFilter) ?? 0) + 1) % all.count]
        s.hasMore = true
        return [.loadTasks(s.query())]
    }

    static func clearFilters(_ s: inout AppState) -> [Effect] {
        s.filterText = ""
        s.statusFilter = .all
        s.hasMore = true
        return [.loadTasks(s.query())]
    }

    /// Enter in the task search: search all history for it.
    static func applyFilter(_ s: inout AppState) -> [Effect] {
        guard let e = s.overlay?.filterEditor else { return [] }
        s.overlay = nil
        s.filterText = e.text.trimmingCharacters(in: .whitespaces)
        s.hasMore = true
        return [.loadTasks(s.query())]
    }

    static func toggleThumbnails(_ s: inout AppState) -> [Effect] {
        s.showThumbnails.toggle()
        s.say(s.showThumbnails ? "Thumbnails on (needs a list 60 columns wide)" : "Thumbnails off")
        return []
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
