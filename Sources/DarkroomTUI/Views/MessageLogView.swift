import DarkroomCore

/// The message log (L): every notice of the session in full, wrapped, with its
/// time and task, newest at the bottom, in a box above the status rows.
enum MessageLogView {
    static func box(_ s: AppState) -> Rect { Rect(x: 0, y: 0, width: s.width, height: max(3, s.height - Layout.statusRows)) }

    static func visibleRows(height: Int) -> Int { max(1, height - Layout.statusRows - 2) }

    static let stamp = 9

    /// Every entry's lines, oldest first, wrapped to the box.
    static func lines(_ s: AppState) -> [(text: String, style: Style, first: Bool, entry: LogEntry)] {
        let width = box(s).inset(1).width
        guard width > 12 else { return [] }
        return s.log.flatMap { entry in
            // The task's number, unless the text names it already.
            let head = entry.task.map { "#\($0)" }.map { entry.text.contains($0) ? "" : $0 + " " } ?? ""
            let style = entry.isError ? Theme.error : Style.plain
            return ComposeView.wrap(head + entry.text, width: width - stamp - 1).enumerated().map { ($0.element, style, $0.offset == 0, entry) }
        }
    }

    /// `scroll` counts lines up from the newest.
    static func draw(_ screen: inout Screen, _ s: AppState, scroll: Int) {
        let b = box(s)
        screen.fill(b)
        let all = lines(s)
        let inner = b.inset(1)
        let most = max(0, all.count - inner.height)
        let top = most - min(most, scroll)
        let more = all.count > inner.height ? " (lines \(top + 1)–\(min(all.count, top + inner.height)) of \(all.count))" : ""
        screen.box(b, title: "Messages (\(s.log.count))" + more, focused: true)
        guard inner.width > 12, inner.height > 0 else { return }
        if s.log.isEmpty {
            screen.put("No messages yet.", x: inner.x + 1, y: inner.y, style: Theme.hint, limit: inner.width - 1)
            return
        }
        let stamp = Self.stamp
        for (row, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.first { screen.put(TimeText.clock(line.entry.at, in: s.timeZone), x: inner.x, y: y, style: Theme.hint) }
            screen.put(line.text, x: inner.x + stamp, y: y, style: line.style, limit: inner.width - stamp)
        }
    }
}
