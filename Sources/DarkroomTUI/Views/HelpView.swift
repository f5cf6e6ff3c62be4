import DarkroomCore

/// Every key, generated from the keymap (so it cannot disagree with the keys),
/// in a box above the status rows. One column on narrow terminals; two from 100
/// columns. Scrolls with ↑↓ when it does not fit.
enum HelpView {
    /// One line of help: a section title (key nil), or keys and what they do
    /// (a long text continues on lines with empty keys).
    typealias Line = (key: String?, text: String)

    static func box(width: Int, height: Int) -> Rect {
        // Full width up to 160 columns (a margin of a pane's edge would look broken); centred beyond.
        let w = min(width, 160)
        return Rect(x: (width - w) / 2, y: 0, width: w, height: max(3, height - Layout.statusRows))
    }

    static func visibleRows(height: Int) -> Int { max(1, height - Layout.statusRows - 2) }

    static func columnCount(width: Int) -> Int { width >= 100 ? 2 : 1 }

    static func keyWidth(width: Int) -> Int { width >= 100 ? 18 : min(18, max(10, width / 4)) }

    /// The sections' lines, split into columns (the second starts at a section
    /// boundary near the middle), each wrapped to the column's width.
    static func columns(width: Int) -> [[Line]] {
        let b = box(width: width, height: 24)
        let n = columnCount(width: width)
        let colWidth = (b.width - 2) / n
        let kw = keyWidth(width: width)
        let textWidth = max(8, colWidth - kw - 4)
        let sections: [[Line]] = Keymap.helpSections.map { section in
            var lines: [Line] = [(nil, section.title)]
            for binding in section.bindings {
                let wrapped = ComposeView.wrap(binding.help, width: textWidth)
                if DisplayWidth.of(binding.keysLabel) > kw {
                    // Many keys: they take their own line, the words go under them.
                    lines.append((binding.keysLabel, ""))
                    lines += wrapped.map { ("", $0) }
                } else {
                    lines.append((binding.keysLabel, wrapped.first ?? ""))
                    lines += wrapped.dropFirst().map { ("", $0) }
                }
            }
            return lines + [("", "")]
        }
        guard n == 2 else { return [sections.flatMap { $0 }] }
        let total = sections.reduce(0) { $0 + $1.count }
        var first: [Line] = [], second: [Line] = []
        for section in sections {
            if first.count + section.count / 2 <= total / 2 { first += section } else { second += section }
        }
        return [first, second]
    }

    /// Lines in the tallest column (for scrolling).
    static func lineCount(width: Int) -> Int { columns(width: width).map(\.count).max() ?? 0 }

    static func draw(_ screen: inout Screen, _ s: AppState, scroll: Int) {
        let b = box(width: s.width, height: s.height)
        let columns = columns(width: s.width)
        let colWidth = (b.width - 2) / columns.count
        let kw = keyWidth(width: s.width)
        let visible = visibleRows(height: s.height)
        let tallest = columns.map(\.count).max() ?? 0
        let top = max(0, min(scroll, tallest - visible))
        screen.fill(b)
        let more = tallest > visible ? " (\(top + 1)–\(min(tallest, top + visible)) of \(tallest), ↑↓ scroll)" : ""
        screen.box(b, title: "Keys" + more, focused: true)
        for (c, column) in columns.enumerated() {
            let x0 = b.x + 1 + c * colWidth
            for (row, line) in column.dropFirst(top).prefix(visible).enumerated() {
                let y = b.y + 1 + row
                if let key = line.key {
                    screen.put(DisplayWidth.truncate(key, to: colWidth - 2), x: x0 + 1, y: y, style: Theme.key)
                    screen.put(line.text, x: x0 + 2 + kw, y: y, limit: colWidth - kw - 3)
                } else {
                    screen.put(line.text, x: x0 + 1, y: y, style: Theme.title, limit: colWidth - 2)
                }
            }
        }
    }
}
