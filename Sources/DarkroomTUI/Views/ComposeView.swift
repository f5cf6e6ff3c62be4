import DarkroomCore

/// The composer: the prompt editor, then each field the model takes with its
/// value and any problem next to it, and the exact JSON on request.
enum ComposeView {
    /// Draws the composer and returns where the cursor goes when it is focused.
    static func draw(_ screen: inout Screen, _ s: AppState, in r: Rect) -> (x: Int, y: Int)? {
        guard r.width > 4, r.height > 2 else { return nil }
        let c = s.composer
        let problems = c.problems()
        let focusedPrompt = s.focus == .compose && c.field == .prompt
        // Prompt: as many wrapped lines as fit above the fields.
        let fieldRows = c.fields.count - 1 + 2
        let promptHeight = max(1, min(r.height - fieldRows - 1, max(3, r.height / 3)))
        let width = r.width - 2
        screen.put("Prompt", x: r.x, y: r.y, style: focusedPrompt ? Theme.titleFocused : Theme.label)
        // The prompt's length, so a huge paste is seen before it is sent.
        let count = c.editor.chars.count
        if count > 0 {
            let long = count > AppState.longPrompt
            // Over `AppState.longPrompt` it is marked (and Ctrl-S asks before sending it).
            let text = CountText.grouped(count) + (count == 1 ? " char" : " chars") + (long ? " (long)" : "")
            let shown = DisplayWidth.of(text) <= r.width - 8 ? text : CountText.grouped(count)
            screen.put(shown, x: r.maxX - DisplayWidth.of(shown), y: r.y, style: long ? Theme.warning : Theme.hint)
        }
        let lines = c.editor.layout(width: width)
        let (crow, ccol) = c.editor.cursorPosition(width: width)
        let first = max(0, crow - promptHeight + 1)
        if c.editor.text.isEmpty {
            screen.put("Describe the image, then press Ctrl-S", x: r.x + 1, y: r.y + 1, style: Theme.hint, limit: width)
        }
        for (i, line) in lines.enumerated().dropFirst(first).prefix(promptHeight) {
            let text = String(c.editor.chars[line.start..<line.end]).replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\t", with: " ")
            screen.put(text, x: r.x + 1, y: r.y + 1 + i - first, limit: width)
        }
        var cursor: (x: Int, y: Int)? = focusedPrompt ? (r.x + 1 + ccol, r.y + 1 + crow - first) : nil
        var y = r.y + 1 + promptHeight
        if let p = problems.first(where: { $0.field == .prompt }) {
            screen.put("! " + p.message, x: r.x + 1, y: y, style: Theme.error, limit: width)
        }
        if let p = problems.first(where: { $0.field == .model }) {
            for line in wrap("! " + p.message, width: width) where y + 1 < r.maxY {
                y += 1
                screen.put(line, x: r.x + 1, y: y, style: Theme.error, limit: width)
            }
        }
        y += 1
        for f in c.fields where f != .prompt {
            guard y < r.maxY else { break }
            let focused = s.focus == .compose && c.field == f
            let labelStyle = focused ? Theme.titleFocused : Theme.label
            screen.put((focused ? "▸ " : "  ") + DisplayWidth.pad(f.label, to: 10), x: r.x, y: y, style: labelStyle)
            let vx = r.x + 12
            let room = r.maxX - vx
            if f == .references {
                let text = c.references.text.isEmpty && !focused ? "none (URLs or local files, space-separated)" : c.references.text
                screen.put(text, x: vx, y: y, style: c.references.text.isEmpty ? Theme.hint : Theme.value, limit: room)
                if focused {
                    let col = DisplayWidth.of(String(c.references.chars.prefix(c.references.cursor)))
                    cursor = (min(r.maxX - 1, vx + col), y)
                }
                // Reference problems are checked as you type: files are opened, URLs parsed.
                for p in problems where p.field == .references || p.field == .taskType {
                    for line in wrap("! " + p.message, width: room) where y + 1 < r.maxY {
                        y += 1
                        screen.put(line, x: vx, y: y, style: Theme.error, limit: room)
                    }
                }
            } else {
                let value = display(f, c)
                screen.put(focused ? "‹ " + value + " ›" : value, x: vx, y: y, style: Theme.value, limit: room)
                for p in problems where p.field == f.requestField && f != .tier {
                    for line in wrap("! " + p.message, width: room) where y + 1 < r.maxY {
                        y += 1
                        screen.put(line, x: vx, y: y, style: Theme.error, limit: room)
                    }
                }
            }
            y += 1
        }
        if c.family == .gptImage2, y < r.maxY {
            screen.put("  Aspect    by size; gpt-image-2 takes no aspect ratio", x: r.x, y: y, style: Theme.hint, limit: r.width)
            y += 1
        }
        if y < r.maxY {
            screen.put("  " + DisplayWidth.pad("Cost", to: 10), x: r.x, y: y, style: Theme.label)
            screen.put(Cost.describe(c.request, prices: s.prices), x: r.x + 12, y: y, style: Theme.hint, limit: r.maxX - r.x - 12)
            y += 1
        }
        if y < r.maxY, let n = c.notice {
            screen.put(n, x: r.x + 1, y: y, style: Theme.warning, limit: width)
            y += 1
        }
        if s.showJSON, y + 1 < r.maxY {
            y += 1
            screen.put("Request body (Ctrl-T hides):", x: r.x, y: y, style: Theme.label)
            y += 1
            switch c.validation {
            case let .success(v):
                for line in RequestEncoder.jsonObject(v).serialized(pretty: true).split(separator: "\n") where y < r.maxY {
                    screen.put(String(line), x: r.x + 1, y: y, limit: width)
                    y += 1
                }
            case .failure:
                screen.put("not valid yet; see the marks above", x: r.x + 1, y: y, style: Theme.hint, limit: width)
            }
        }
        return cursor
    }

    /// Soft-wraps a message to a width in cells.
    static func wrap(_ text: String, width: Int) -> [String] {
        let e = PromptEditor(text)
        return e.layout(width: max(4, width)).map { String(e.chars[$0.start..<$0.end]).trimmingCharacters(in: .whitespaces) }
    }

    static func display(_ f: ComposerField, _ c: Composer) -> String {
        switch f {
        case .model: return c.modelID
        case .tier: return c.tier.rawValue
        case .size:
            let s = Catalog.size(named: c.size)
            return s.map { "\($0.name)  \($0.ratioLabel) \($0.orientation.rawValue.lowercased())" } ?? c.size
        case .ratio: return c.ratio?.rawValue ?? "default"
        case .quality: return c.quality.rawValue
        case .n: return "\(c.n)"
        case .format: return c.format.rawValue
        case .prompt, .references: return ""
        }
    }
}

/// A list over the composer to pick a value.
enum PickerView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ p: Picker) {
        // Inside the composer's border, under the prompt's label: never over a border or the status rows.
        let inner = (Layout.rect(s, .compose) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - 3)).inset(1)
        let width = inner.width
        let height = max(3, min(inner.height - 1, p.options.count + 2))
        let box = Rect(x: inner.x, y: inner.y + 1, width: width, height: height)
        screen.fill(box)
        var title = p.field.label
        if p.field == .size {
            title = "Size · \(s.composer.tier.rawValue)" + (s.composer.orientation.map { " · \($0.rawValue.lowercased())" } ?? "")
        }
        screen.box(box, title: title, focused: true)
        let rows = height - 2
        let first = max(0, min(p.index - rows / 2, p.options.count - rows))
        for (i, opt) in p.options.enumerated().dropFirst(first).prefix(rows) {
            let y = box.y + 1 + i - first
            let selected = i == p.index
            screen.put(DisplayWidth.pad((selected ? "▸ " : "  ") + opt.label, to: width - 2), x: box.x + 1, y: y,
                       style: selected ? Theme.selected : .plain)
        }
    }
}

/// Ctrl-R's box over the composer: the search line, then matching prompts
/// (first line each), the chosen one highlighted. Returns where the cursor goes.
enum PromptSearchView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ search: PromptSearch) -> (x: Int, y: Int) {
        let inner = (Layout.rect(s, .compose) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - 3)).inset(1)
        let width = max(10, inner.width)
        let rows = max(1, min(inner.height - 4, max(search.matches.count, 1)))
        let box = Rect(x: inner.x, y: inner.y + 1, width: width, height: rows + 3)
        screen.fill(box)
        screen.box(box, title: "Earlier prompts (\(search.matches.count))", focused: true)
        let label = screen.put("search: ", x: box.x + 1, y: box.y + 1, style: Theme.label)
        let shown = DisplayWidth.truncate(search.query, to: width - 3 - label)
        screen.put(shown, x: box.x + 1 + label, y: box.y + 1)
        if search.matches.isEmpty {
            screen.put(search.query.isEmpty ? "No prompts in history yet." : "No earlier prompt matches.", x: box.x + 2, y: box.y + 2,
                       style: Theme.hint, limit: width - 3)
        }
        let first = max(0, min(search.index - rows / 2, search.matches.count - rows))
        for (i, p) in search.matches.enumerated().dropFirst(first).prefix(rows) {
            let line = TerminalSanitizer.clean(String(p.split(separator: "\n").first ?? "")) + (p.contains("\n") ? " …" : "")
            let selected = i == search.index
            screen.put(DisplayWidth.pad((selected ? "▸ " : "  ") + DisplayWidth.truncate(line, to: width - 4), to: width - 2),
                       x: box.x + 1, y: box.y + 2 + i - first, style: selected ? Theme.selected : .plain)
        }
        return (min(box.maxX - 2, box.x + 1 + label + DisplayWidth.of(shown)), box.y + 1)
    }
}
