import DarkroomCore

/// The message log (L): every notice of the session in full, wrapped, with its
/// time and task, newest at the bottom, in a box above the status rows.
enum MessageLogView {
    static func draw(_ screen: inout Screen, _ s: AppState, scroll: Int) {
        let b = Rect(x: 0, y: 0, width: s.width, height: max(3, s.height - Layout.statusRows))
        screen.fill(b)
        screen.box(b, title: "Messages (\(s.log.count))", focused: true)
        let inner = b.inset(1)
        guard inner.width > 12, inner.height > 0 else { return }
        if s.log.isEmpty {
            screen.put("No messages yet.", x: inner.x + 1, y: inner.y, style: Theme.hint, limit: inner.width - 1)
            return
        }
        // The lines of the entries from the newest back, `scroll` entries up.
        let stamp = 9
        var lines: [(text: String, style: Style, first: Bool, entry: LogEntry)] = []
        for entry in s.log.dropLast(scroll).reversed() {
            // The task's number, unless the text names it already.
            let head = entry.task.map { "#\($0)" }.map { entry.text.contains($0) ? "" : $0 + " " } ?? ""
            let wrapped = ComposeView.wrap(head + entry.text, width: inner.width - stamp - 1)
            var style = Style.plain
            if entry.isError { style = Theme.error }
            lines.insert(contentsOf: wrapped.enumerated().map { ($0.element, style, $0.offset == 0, entry) }, at: 0)
            if lines.count >= inner.height { break }
        }
        for (row, line) in lines.suffix(inner.height).enumerated() {
            let y = inner.y + row
            if line.first { screen.put(TimeText.clock(line.entry.at, in: s.timeZone), x: inner.x, y: y, style: Theme.hint) }
            screen.put(line.text, x: inner.x + stamp, y: y, style: line.style, limit: inner.width - stamp)
        }
    }
}
