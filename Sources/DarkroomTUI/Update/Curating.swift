import DarkroomCore

/// f, T and x: starring, tagging and hiding. Each shows the change at once and
/// asks the shell to keep it in the history (`.curate`); the Studio's record of
/// the task then confirms it.
enum Curating {
    /// The task the keys act on: the picture's in the gallery, the grid or the
    /// full-screen preview; otherwise the selected one (`Remix.picture` starts from it too).
    static func task(_ s: AppState) -> TaskRecord? {
        if let f = s.overlay?.fullPreview { return s.tasks.first { $0.localID == f.localID } }
        if s.gallery != nil { return GalleryKeys.selectedItem(s)?.task }
        if s.comparison != nil { return CompareKeys.selectedTask(s) }
        return s.selected
    }

    /// f in the list or the detail: stars the task; on a task shown starred (itself
    /// or a picture), takes every star off.
    static func starTask(_ s: inout AppState) -> [Effect] {
        guard let r = task(s) else { return [] }
        let on = !r.isStarred
        return change(&s, r, .star(picture: nil, on), on ? "Starred #\(r.localID)" : "Took the star off #\(r.localID)")
    }

    /// f in the gallery, the grid or the full-screen preview: the picture's star
    /// (a task without a saved picture: the task's).
    static func starPicture(_ s: inout AppState) -> [Effect] {
        guard let (t, res) = Remix.picture(s) else { return starTask(&s) }
        let on = !t.starredPictures.contains(res.index)
        let what = "#\(t.localID) picture \(res.index + 1)"
        return change(&s, t, .star(picture: res.index, on), on ? "Starred \(what)" : "Took the star off \(what)")
    }

    /// x: hides the task (kept, files and all; left out of the list, the gallery
    /// and searches from the next load), or shows a hidden one again. The row
    /// stays, marked, until the list is loaded again: x twice is no change.
    static func hide(_ s: inout AppState) -> [Effect] {
        guard let r = task(s) else { return [] }
        if r.isHidden {
            return change(&s, r, .hide(false), "#\(r.localID) shown again")
        }
        return change(&s, r, .hide(true),
                      "Hid #\(r.localID): kept, left out of the list from the next search or start (x again shows it; the “hidden” filter lists the hidden)")
    }

    /// T: the tag line for the task.
    static func editTags(_ s: inout AppState) -> [Effect] {
        guard let r = task(s) else { return [] }
        s.overlay = .tags(TagEditor(localID: r.localID, tags: r.tags))
        // Tags added meanwhile by the CLI or another darkroom complete too.
        return [.loadTags]
    }

    /// Tab on the tag line.
    static func complete(_ s: inout AppState) -> [Effect] {
        guard var t = s.overlay?.tagEditor else { return [] }
        if let message = t.complete(known: s.knownTags) { s.say(message, transient: true) }
        s.overlay = .tags(t)
        return []
    }

    /// Enter on the tag line: saves the set, or says why a tag is refused and
    /// leaves the line open.
    static func saveTags(_ s: inout AppState) -> [Effect] {
        guard let t = s.overlay?.tagEditor else { return [] }
        switch TagEditor.parse(t.editor.text) {
        case let .failure(e):
            var refused = t
            refused.problem = e.description + " Separate tags with commas."
            s.overlay = .tags(refused)
            s.say(refused.problem ?? "", error: true, task: t.localID)
            return []
        case let .success(tags):
            s.overlay = nil
            guard let r = s.tasks.first(where: { $0.localID == t.localID }) ?? s.comparison?.tasks.first(where: { $0.localID == t.localID })
            else { return [] }
            for tag in tags.map(\.name) where !s.knownTags.contains(tag) { s.knownTags.append(tag) }
            let said = tags.isEmpty ? "#\(r.localID) has no tags now" : "#\(r.localID): " + tags.map { "#\($0)" }.joined(separator: " ")
            return change(&s, r, .tags(tags), said)
        }
    }

    static func change(_ s: inout AppState, _ r: TaskRecord, _ c: Curation, _ said: String) -> [Effect] {
        let updated = c.applied(to: r, now: s.clock)
        TaskList.upsert(&s, updated, select: false)
        CompareKeys.changed(&s, updated)
        GalleryKeys.keepVisible(&s)
        s.say(said, task: r.localID)
        return [.curate(localID: r.localID, c)]
    }
}
