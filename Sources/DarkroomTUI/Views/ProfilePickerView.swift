import DarkroomCore

/// The profile list, over everything.
enum ProfilePickerView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ index: Int) {
        let w = min(s.width - 4, max(30, (s.profiles.map { DisplayWidth.of($0) }.max() ?? 0) + 12))
        let h = min(s.height - 4, s.profiles.count + 2)
        let box = Rect(x: (s.width - w) / 2, y: max(1, (s.height - h) / 2), width: w, height: h)
        screen.fill(box)
        screen.box(box, title: "Profile", focused: true)
        let rows = h - 2
        let first = max(0, min(index - rows / 2, s.profiles.count - rows))
        for (i, name) in s.profiles.enumerated().dropFirst(first).prefix(rows) {
            let current = name == s.profile ? "  (current)" : ""
            screen.put(DisplayWidth.pad((i == index ? "▸ " : "  ") + name + current, to: w - 2), x: box.x + 1, y: box.y + 1 + i - first,
                       style: i == index ? Theme.selected : .plain)
        }
    }
}
