import DarkroomCore

/// T's line: a box over the bottom of the screen, above the status rows, with
/// the task's tags being typed and, after Tab, the tags that match.
enum TagLineView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ t: TagEditor) -> (x: Int, y: Int)? {
        // A refusal is shown whole under the line (wrapped), the box growing upwards.
        let problem = t.problem.map { ComposeView.wrap($0, width: s.width - 4) } ?? []
        let height = 3 + problem.count
        let box = Rect(x: 0, y: max(0, s.height - 2 - height), width: s.width, height: height)
        guard box.width > 10 else { return nil }
        screen.fill(box)
        screen.box(box, title: "Tags of #\(t.localID): one word each, commas between", focused: true)
        let y = box.y + 1
        let room = box.width - 4
        var shown = t.editor.text
        var col = DisplayWidth.of(String(t.editor.chars.prefix(t.editor.cursor)))
        // A long line scrolls to keep the cursor in view.
        while col > room - 1, !shown.isEmpty {
            let first = String(shown.removeFirst())
            col -= DisplayWidth.of(first)
        }
        let w = screen.put(DisplayWidth.truncate(shown, to: room), x: box.x + 2, y: y)
        if !t.candidates.isEmpty, box.x + 2 + w + 4 < box.maxX - 2 {
            let list = "  Tab: " + t.candidates.joined(separator: " ")
            screen.put(list, x: box.x + 2 + w, y: y, style: Theme.hint, limit: box.maxX - 2 - (box.x + 2 + w))
        }
        for (i, line) in problem.enumerated() { screen.put(line, x: box.x + 2, y: y + 1 + i, style: Theme.error, limit: box.width - 4) }
        return (box.x + 2 + col, y)
    }
}
