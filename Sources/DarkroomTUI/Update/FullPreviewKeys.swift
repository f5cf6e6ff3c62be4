/// Keys of the full-screen preview: ←→ between the results of a task,
/// ↑↓ between tasks, o opens the file (the keymap binds them).
enum FullPreviewKeys {
    static func otherResult(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var f = s.overlay?.fullPreview, let t = s.tasks.first(where: { $0.localID == f.localID }) else { return [] }
        let indexes = PreviewPlanner.saved(t).map(\.index)
        guard let i = indexes.firstIndex(of: f.index), indexes.count > 1 else { return [] }
        let step = (k == .left || k == .char("h")) ? -1 : 1
        f.index = indexes[(i + step + indexes.count) % indexes.count]
        s.overlay = .fullPreview(f)
        return []
    }

    static func otherTask(_ s: inout AppState, _ k: Key) -> [Effect] {
        let effects = TaskList.move(&s, by: (k == .up || k == .char("k")) ? -1 : 1)
        if let t = s.selected {
            s.overlay = .fullPreview(FullPreview(localID: t.localID, index: PreviewPlanner.saved(t).first?.index ?? 0))
        }
        return effects
    }

    static func open(_ s: AppState) -> [Effect] {
        guard let f = s.overlay?.fullPreview, let t = s.tasks.first(where: { $0.localID == f.localID }),
              let path = PreviewPlanner.saved(t).first(where: { $0.index == f.index })?.file?.path else { return [] }
        return [.open(path: path)]
    }
}
