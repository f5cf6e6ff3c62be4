import DarkroomCore

/// Walking a picture's family in the detail: `u` selects the task a remix came
/// from, `n` the next task made from this one (among the tasks the list holds).
enum Lineage {
    /// The tasks of the list made from `t`'s pictures, oldest first.
    static func children(of t: TaskRecord, in s: AppState) -> [TaskRecord] {
        s.tasks.filter { $0.request.origins.contains { $0.localID == t.localID } }.sorted { $0.localID < $1.localID }
    }

    /// u: the parent (the first, for a picture made from several).
    static func up(_ s: inout AppState) -> [Effect] {
        guard let t = s.selected else { return [] }
        guard let o = t.request.origins.first else {
            s.say("#\(t.localID) was not made from another picture", task: t.localID)
            return []
        }
        return select(&s, o.localID, why: "#\(t.localID) came from \(o.label)")
    }

    /// n: the next child, in turn.
    static func down(_ s: inout AppState) -> [Effect] {
        guard let t = s.selected else { return [] }
        let kids = children(of: t, in: s)
        guard let first = kids.first else {
            s.say("Nothing in the list was made from #\(t.localID) (i remixes it)", task: t.localID)
            return []
        }
        return select(&s, first.localID, why: "#\(first.localID) was made from #\(t.localID)" + (kids.count > 1 ? " (\(kids.count) children; n on each goes down)" : ""))
    }

    private static func select(_ s: inout AppState, _ id: Int64, why: String) -> [Effect] {
        guard s.tasks.contains(where: { $0.localID == id }) else {
            s.say("#\(id) is not in the list (a filter, or an older page): / clears the search", error: true, task: id)
            return []
        }
        s.selectedID = id
        Scrolling.keepSelectionVisible(&s)
        s.say(why, task: id)
        return []
    }
}
