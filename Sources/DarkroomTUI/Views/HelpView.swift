import DarkroomCore

/// Every key, over everything else.
enum HelpView {
    static let sections: [(String, [(String, String)])] = [
        ("Everywhere", [("Tab / Shift-Tab", "next / previous field or pane"), ("F2 F3 F4", "Compose, Tasks, Detail"),
                        ("Ctrl-S", "submit the composed request"), ("Ctrl-T", "show the JSON that would be sent"),
                        ("F1, ?", "this help"), ("F5", "resume polling after a refused key"), ("P", "switch profile (outside text)"),
                        ("q, Ctrl-C", "quit; watched tasks resume next start")]),
        ("Prompt", [("arrows, Home, End", "move"), ("Ctrl-← Ctrl-→", "move by word"), ("Enter", "new line"), ("↑ on the first line", "earlier prompts (↓ newer)"), ("Ctrl-R", "search earlier prompts"),
                    ("Ctrl-U/K/W", "delete to start, to end, word"), ("paste", "arrives whole")]),
        ("Fields", [("← →", "change the value"), ("Enter", "list (sizes: ←→ tier, o shape)"), ("↑ ↓", "move between fields")]),
        ("Tasks", [("↑ ↓ PgUp PgDn", "select"), ("Enter", "detail"), ("/", "search prompts"), ("s", "status filter"), ("Esc", "clear filters"),
                   ("t", "thumbnail column")]),
        ("Task actions", [("r", "re-run"), ("e", "edit as new"), ("m", "NanoBanana ↔ gpt-image-2, mapped"), ("v", "full screen (← → results, Esc back)"), ("d", "download again"),
                          ("o", "open the image"), ("c", "copy the URL"), ("x", "copy as curl"), ("w", "stop watching")]),
    ]

    /// One column on narrow terminals; two (the sections split in half) from 100
    /// columns. Scrolls with ↑↓ when it does not fit (`AppState.helpScroll`).
    static func draw(_ screen: inout Screen, _ s: AppState) {
        let twoColumns = s.width >= 100
        let columns = columns(width: s.width)
        let colWidth = twoColumns ? min(58, (s.width - 4) / 2) : min(s.width - 2, 72) - 2
        let keyWidth = twoColumns ? 18 : 22
        let w = twoColumns ? colWidth * 2 + 2 : colWidth + 2
        // Each column as lines: a title (key nil) or a key and what it does.
        let lines: [[(String?, String)]] = columns.map { column in
            column.flatMap { title, keys in [(nil, title)] + keys.map { (Optional($0.0), $0.1) } }
        }
        let tallest = lines.map(\.count).max() ?? 0
        let h = min(s.height - 2, tallest + 2)
        let visible = h - 2
        let top = max(0, min(s.helpScroll, tallest - visible))
        let box = Rect(x: (s.width - w) / 2, y: max(0, (s.height - h) / 2), width: w, height: h)
        screen.fill(box)
        screen.box(box, title: tallest > visible ? "Keys (↑↓ scroll, Esc closes)" : "Keys (Esc closes)", focused: true)
        for (c, column) in lines.enumerated() {
            let x0 = box.x + 1 + c * colWidth
            for (row, line) in column.dropFirst(top).prefix(visible).enumerated() {
                let y = box.y + 1 + row
                if let key = line.0 {
                    screen.put(DisplayWidth.pad(key, to: keyWidth), x: x0 + 2, y: y, style: Theme.key)
                    screen.put(line.1, x: x0 + 3 + keyWidth, y: y, limit: colWidth - keyWidth - 3)
                } else {
                    screen.put(line.1, x: x0 + 1, y: y, style: Theme.title)
                }
            }
        }
    }

    /// The sections in one column, or split in two from 100 columns.
    static func columns(width: Int) -> [[(String, [(String, String)])]] {
        width >= 100 ? [Array(sections.prefix(3)), Array(sections.dropFirst(3))] : [sections]
    }

    /// Lines in the tallest column (for scrolling).
    static func lineCount(width: Int) -> Int {
        columns(width: width).map { $0.reduce(0) { $0 + $1.1.count + 1 } }.max() ?? 0
    }
}
