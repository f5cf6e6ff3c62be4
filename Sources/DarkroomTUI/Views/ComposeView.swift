import DarkroomCore

/// The composer: the prompt editor, then each field the model takes with its
/// value and any problem next to it, and the exact JSON on request.
///
/// When rows are short, what goes first is decided, never clipped at the
/// bottom: the prompt shrinks to three lines, then the aspect note, the notice
/// (it is in the message log) and the cost go, the JSON turns compact, the
/// fields not focused become one summary line, the prompt shrinks to one line,
/// and last the JSON gives way to a line saying there is no room for it.
enum ComposeView {
    /// One row of the composer: pieces of text at offsets from the left edge.
    struct Row {
        var pieces: [(x: Int, text: String, style: Style)] = []
        /// Where the cursor goes on this row, if here.
        var cursor: Int?
        init(_ x: Int = 0, _ text: String = "", _ style: Style = .plain) {
            if !text.isEmpty { pieces = [(x, text, style)] }
        }
    }

    /// Draws the composer and returns where the cursor goes when it is focused.
    static func draw(_ screen: inout Screen, _ s: AppState, in r: Rect) -> (x: Int, y: Int)? {
        guard r.width > 4, r.height > 2 else { return nil }
        let rows = layout(s, width: r.width, height: r.height)
        var cursor: (x: Int, y: Int)?
        for (i, row) in rows.prefix(r.height).enumerated() {
            for piece in row.pieces {
                screen.put(piece.text, x: r.x + piece.x, y: r.y + i, style: piece.style, limit: r.width - piece.x)
            }
            if let c = row.cursor { cursor = (min(r.maxX - 1, r.x + c), r.y + i) }
        }
        return cursor
    }

    /// The composer's rows for a size, most important kept (see the type's note).
    static func layout(_ s: AppState, width: Int, height: Int) -> [Row] {
        let c = s.composer
        let problems = c.problems()
        let focusedPrompt = s.focus == .compose && c.field == .prompt
        let text = width - 2

        // The blocks, each with what it wants and what it can do with less.
        var promptLines = max(3, height / 3)
        let promptProblem = problems.first { $0.field == .prompt }.map { wrap("! " + $0.message, width: text) } ?? []
        let fields = c.fields.filter { $0 != .prompt }
        // Said beside the Model field when there is one; under the prompt otherwise.
        let modelProblem = fields.contains(.model) ? [] : problems.first { $0.field == .model }.map { wrap("! " + $0.message, width: text) } ?? []
        var showAspectNote = !c.fields.contains(.ratio)
        var showCost = true
        var showNotice = c.notice != nil
        var compactJSON = false
        var summarizeFields = false
        var jsonFits = s.showJSON
        // Several values or `{a|b}`: the run's requests instead of one body.
        let plan = c.plan.map { $0.map { $0.priced(s.prices) } }
        let costRows = plan.map { runSummary($0, showJSON: s.showJSON, width: width).count } ?? 1
        // Made once: the fitting below asks for its length many times.
        let runList = s.showJSON ? plan.map { runRows($0, width: text) } : nil

        func fieldRows(_ summarize: Bool) -> [Row] { fieldBlock(s, problems, fields, summarize: summarize, width: width) }
        func total() -> Int {
            1 + promptLines + promptProblem.count + modelProblem.count + fieldRows(summarizeFields).count
                + (showAspectNote ? 1 : 0) + (showCost ? costRows : 0) + (showNotice ? 1 : 0)
                + (s.showJSON ? 1 + (jsonFits ? (runList?.count ?? jsonRows(c, compact: compactJSON, width: text).count) : 1) : 0)
        }
        // Give way, in the order decided above, until it fits.
        let steps: [() -> Void] = [
            { promptLines = min(promptLines, 3) }, { showAspectNote = false }, { showNotice = false }, { showCost = false },
            { compactJSON = true }, { summarizeFields = true }, { promptLines = 1 }, { jsonFits = false },
        ]
        for step in steps where total() > height { step() }
        // What a later step freed may take back what an earlier one took, in order of use.
        // When the JSON or the run's list is cut, the prompt grows only to its text: the rows go to the list.
        let desiredPrompt = s.showJSON && !jsonFits ? max(3, min(height / 3, c.editor.layout(width: text).count)) : max(3, height / 3)
        if !showCost, total() < height { showCost = true }
        if !showNotice, c.notice != nil, total() < height { showNotice = true }
        if !showAspectNote, !c.fields.contains(.ratio), total() < height { showAspectNote = true }
        while promptLines < desiredPrompt, total() < height { promptLines += 1 }

        var rows: [Row] = []
        // The prompt's label, with its length (so a huge paste is seen before it is sent).
        var label = Row(0, "Prompt", focusedPrompt ? Theme.titleFocused : Theme.label)
        let count = c.editor.chars.count
        if count > 0 {
            let long = count > AppState.longPrompt
            // Over `AppState.longPrompt` it is marked (and Ctrl-S asks before sending it).
            let t = CountText.grouped(count) + (count == 1 ? " char" : " chars") + (long ? " (long)" : "")
            let shown = DisplayWidth.of(t) <= width - 8 ? t : CountText.grouped(count)
            label.pieces.append((width - DisplayWidth.of(shown), shown, long ? Theme.warning : Theme.hint))
        }
        rows.append(label)
        rows += promptRows(c, focused: focusedPrompt, lines: promptLines, width: text)
        rows += promptProblem.map { Row(1, $0, Theme.error) }
        rows += modelProblem.map { Row(1, $0, Theme.error) }
        rows += fieldRows(summarizeFields)
        if showAspectNote { rows.append(Row(0, DisplayWidth.truncateWords("  Aspect    by size; gpt-image-2 takes no aspect ratio", to: width), Theme.hint)) }
        if showCost {
            if let plan {
                // A run's summary is wrapped, never cut: it holds the totals.
                for (i, piece) in runSummary(plan, showJSON: s.showJSON, width: width).enumerated() {
                    var line = Row(0, i == 0 ? "  " + DisplayWidth.pad("Run", to: 10) : "", Theme.label)
                    line.pieces.append(piece)
                    rows.append(line)
                }
            } else {
                var cost = Row(0, "  " + DisplayWidth.pad("Cost", to: 10), Theme.label)
                cost.pieces.append((12, Cost.describe(c.request, prices: s.prices), Theme.hint))
                rows.append(cost)
            }
        }
        if showNotice, let n = c.notice { rows.append(Row(1, n, Theme.warning)) }
        if s.showJSON {
            rows.append(Row(0, plan == nil ? "Request body (Ctrl-T hides):" : "Requests of the run (Ctrl-T hides):", Theme.label))
            let all = runList ?? jsonRows(c, compact: compactJSON, width: text)
            rows += jsonFits ? all : partial(all, room: height - rows.count, from: s.jsonScroll, what: runList == nil ? "line" : "row")
        }
        return rows
    }

    /// As many of `all` as `room` rows hold, the last saying how many more a taller terminal shows.
    /// As many of `all` as `room` rows hold, from row `from` (PgUp PgDn move it),
    /// the last row saying where this is and how to see the rest.
    static func partial(_ all: [Row], room: Int, from: Int, what: String) -> [Row] {
        guard room > 1 else { return [Row(1, "\(all.count) \(what)s: a taller terminal shows them", Theme.hint)] }
        let top = min(max(0, from), max(0, all.count - (room - 1)))
        let shown = all.dropFirst(top).prefix(room - 1)
        let more = all.count - top - shown.count
        let place = top == 0 ? "… \(more) more \(what)\(more == 1 ? "" : "s")" : "\(what)s \(top + 1)–\(top + shown.count) of \(all.count)"
        return Array(shown) + [Row(1, place + ": PgDn PgUp scroll, a taller terminal shows more", Theme.hint)]
    }

    /// The prompt's visible lines, scrolled to keep the cursor in view.
    static func promptRows(_ c: Composer, focused: Bool, lines count: Int, width: Int) -> [Row] {
        let lines = c.editor.layout(width: width)
        let (crow, ccol) = c.editor.cursorPosition(width: width)
        let first = max(0, crow - count + 1)
        var rows = (0..<count).map { _ in Row() }
        for (i, line) in lines.enumerated().dropFirst(first).prefix(count) {
            let text = String(c.editor.chars[line.start..<line.end]).replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "\t", with: " ")
            rows[i - first] = Row(1, text)
        }
        if c.editor.text.isEmpty { rows[0] = Row(1, "Describe the image, then press Ctrl-S", Theme.hint) }
        if focused, crow - first < count { rows[crow - first].cursor = 1 + ccol }
        return rows
    }

    /// The fields, each with its problems; or, summarized, the focused one and one line for the rest.
    static func fieldBlock(_ s: AppState, _ problems: [ValidationProblem], _ fields: [ComposerField], summarize: Bool, width: Int) -> [Row] {
        let c = s.composer
        var rows: [Row] = []
        let focusedField = s.focus == .compose && c.field != .prompt ? c.field : nil
        if summarize {
            var rest = fields.filter { $0 != focusedField && $0 != .references }.map { display($0, c) }
            let refs = c.request.references.count
            if refs > 0, focusedField != .references { rest.append(refs == 1 ? "1 reference" : "\(refs) references") }
            rows.append(Row(2, DisplayWidth.truncate(rest.joined(separator: " · "), to: width - 2), Theme.value))
        }
        for f in fields where !summarize || f == focusedField || !problems.filter({ $0.field == f.requestField }).isEmpty {
            let focused = f == focusedField
            var row = Row(0, (focused ? "▸ " : "  ") + DisplayWidth.pad(f.label, to: 10), focused ? Theme.titleFocused : Theme.label)
            let room = width - 12
            if f == .references {
                let empty = c.references.text.isEmpty
                let text = empty && !focused ? "none (URLs or local files; quotes and \\ as in a shell)" : c.references.text
                // A long line of references scrolls to keep the cursor in view.
                let before = DisplayWidth.of(String(c.references.chars.prefix(c.references.cursor)))
                let shift = max(0, before - room + 1)
                let shown = shift > 0 ? "…" + String(DisplayWidth.dropCells(text, shift + 1)) : empty && !focused ? DisplayWidth.truncateWords(text, to: room) : text
                row.pieces.append((12, shown, empty ? Theme.hint : Theme.value))
                if focused { row.cursor = 12 + before - shift }
            } else {
                let value = display(f, c)
                row.pieces.append((12, focused ? "‹ " + value + " ›" : value, Theme.value))
                // A field some models of the run take: which, after the value.
                if let only = c.onlyFor(f) {
                    let at = 12 + DisplayWidth.of(focused ? "‹ " + value + " ›" : value) + 2
                    if at < width { row.pieces.append((at, DisplayWidth.truncate("\(only) only", to: width - at), Theme.hint)) }
                }
            }
            rows.append(row)
            // Reference problems are checked as you type: files opened (by the shell), URLs parsed.
            let own = problems.filter { f == .references ? ($0.field == .references || $0.field == .taskType) : ($0.field == f.requestField && f != .tier) }
            for p in own { rows += wrap("! " + p.message, width: room).map { Row(12, $0, Theme.error) } }
        }
        return rows
    }

    /// The Run line's text, wrapped to the room right of its label.
    static func runSummary(_ plan: Result<RunPlan, RunPlanFailure>, showJSON: Bool, width: Int) -> [(x: Int, text: String, style: Style)] {
        switch plan {
        case let .success(p):
            return wrap(p.summary + (showJSON ? "" : " · Ctrl-T lists them"), width: width - 12).map { (12, $0, Theme.value) }
        case let .failure(f):
            return wrap("! " + f.message, width: width - 12).map { (12, $0, Theme.error) }
        }
    }

    /// A run's requests, one line each, marked with the core's verdict, then the
    /// notes of values mapped to the models that take them. Long lists scroll with the pane.
    static func runRows(_ plan: Result<RunPlan, RunPlanFailure>, width: Int) -> [Row] {
        guard case let .success(p) = plan else { return [] }
        var rows: [Row] = []
        let digits = String(p.requests.count).count
        for (i, r) in p.requests.enumerated() {
            let ok = p.problems[i].isEmpty
            var row = Row(1, ok ? "✓" : "!", ok ? Theme.ok : Theme.error)
            let number = String(repeating: " ", count: digits - String(i + 1).count) + "\(i + 1)"
            row.pieces.append((3, DisplayWidth.truncate("\(number) \(r.label)", to: max(1, width - 3)), .plain))
            rows.append(row)
            for problem in p.problems[i] { rows.append(Row(5 + digits, DisplayWidth.truncate(problem.message, to: max(1, width - 5 - digits)), Theme.error)) }
        }
        rows += p.notes.map { Row(1, DisplayWidth.truncate($0, to: width), Theme.hint) }
        return rows
    }

    /// The JSON the request sends: pretty, or compact and wrapped when rows are short.
    static func jsonRows(_ c: Composer, compact: Bool, width: Int) -> [Row] {
        guard case let .success(v) = c.validation else { return [Row(1, "not valid yet; see the marks above", Theme.hint)] }
        let json = RequestEncoder.jsonObject(v).serialized(pretty: !compact)
        let lines = compact ? wrapHard(json, width: width) : json.split(separator: "\n").map(String.init)
        return lines.map { Row(1, $0) }
    }

    /// Cuts text into lines of exactly `width` cells (for JSON, where a soft wrap at spaces would mislead).
    static func wrapHard(_ text: String, width: Int) -> [String] {
        var out: [String] = [], line = "", used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > max(1, width) { out.append(line); line = ""; used = 0 }
            line.append(ch)
            used += w
        }
        if !line.isEmpty { out.append(line) }
        return out
    }

    /// Soft-wraps a message to a width in cells.
    static func wrap(_ text: String, width: Int) -> [String] {
        let e = PromptEditor(text)
        return e.layout(width: max(4, width)).map { String(e.chars[$0.start..<$0.end]).trimmingCharacters(in: .whitespaces) }
    }

    static func display(_ f: ComposerField, _ c: Composer) -> String {
        // Several values (Space in the lists): all of them.
        switch f {
        case .model where !c.choices.models.isEmpty: return c.choices.models.joined(separator: ", ")
        case .size where !c.choices.sizes.isEmpty: return c.choices.sizes.joined(separator: ", ")
        case .ratio where !c.choices.ratios.isEmpty: return c.choices.ratios.joined(separator: ", ")
        case .quality where !c.choices.qualities.isEmpty: return c.choices.qualities.joined(separator: ", ")
        case .style where !c.choices.styles.isEmpty: return c.choices.styles.joined(separator: ", ")
        default: break
        }
        switch f {
        case .size where c.mapsAcross(.size): return "from each aspect ratio"
        case .ratio where c.mapsAcross(.ratio): return "from each size"
        default: break
        }
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
        case .style: return c.chosenStyle.map { "\($0.name)  \($0.template)" } ?? "none"
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
        // With several values chosen (Space), each chosen one is marked.
        let marks = p.options.contains { s.composer.isChosen(p.field, $0.value) }
        for (i, opt) in p.options.enumerated().dropFirst(first).prefix(rows) {
            let y = box.y + 1 + i - first
            let selected = i == p.index
            let mark = marks ? (s.composer.isChosen(p.field, opt.value) ? "✓ " : "  ") : ""
            screen.put(DisplayWidth.pad((selected ? "▸ " : "  ") + mark + opt.label, to: width - 2), x: box.x + 1, y: y,
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
