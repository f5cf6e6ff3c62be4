import DarkroomCore

/// After Ctrl-S sends a run, `p`, `X` and `c` address that run, as its notice
/// says: its first request is selected once it shows in the list, and until
/// the user moves the selection the run is the keys' target even when the list
/// (filtered, say) does not show it.
enum RunTarget {
    /// The run the keys act on instead of the selected task's, if any.
    static func justSent(_ s: AppState) -> Int64? {
        guard let j = s.runJustSent, s.selectedID == j.selection else { return nil }
        return j.run
    }

    /// The Studio recorded a run: select its first request if the list has it (else when it arrives).
    static func queued(_ s: inout AppState, run: Int64, first: Int64) {
        s.runJustSent = RunJustSent(run: run, first: first, selection: s.selectedID)
        if s.tasks.contains(where: { $0.localID == first }) { select(&s, first) }
    }

    /// A task arrived or changed: the run's first request, arriving after the news, is selected.
    static func shown(_ s: inout AppState, _ r: TaskRecord) {
        guard let j = s.runJustSent, r.localID == j.first, s.selectedID == j.selection, s.selectedID != r.localID,
              s.tasks.contains(where: { $0.localID == r.localID }) else { return }
        select(&s, r.localID)
    }

    private static func select(_ s: inout AppState, _ id: Int64) {
        s.selectedID = id
        s.runJustSent?.selection = id
        Scrolling.keepSelectionVisible(&s)
    }

    /// Runs a key or a click; when it moved the selection, the run just sent is no longer the target.
    static func followingSelection(_ s: inout AppState, _ act: (inout AppState) -> [Effect]) -> [Effect] {
        let before = s.selectedID
        let effects = act(&s)
        if s.selectedID != before, s.runJustSent?.selection != s.selectedID { s.runJustSent = nil }
        return effects
    }
}
