import DarkroomCore
import DarkroomPreview

/// Draws image previews into cells: kitty placeholder cells for real pictures;
/// otherwise block symbols (`BlockCells`: halves, quadrants, quarters) in true
/// colour for 256-colour and direct-colour terminals (the backend maps to what
/// the terminal has), a grey ramp of shades for 16 and 8 colours, and shade
/// glyphs alone without colour (NO_COLOR, a monochrome terminal).
enum PreviewView {
    static let off = "previews are off (DARKROOM_GRAPHICS=none)"

    /// How a picture drawn in cells looks at a colour depth: in full for the detail's
    /// preview line, `short` for the caption under a picture.
    static func cellsLabel(_ depth: ColorDepth, short: Bool = false) -> String {
        switch depth {
        case .none: return short ? "shades, no colour" : "shade characters, no colour"
        case .palette16, .palette8: return short ? "grey shades" : "grey shades (\(depth == .palette16 ? 16 : 8) colours)"
        case .direct, .palette256: return short ? "cells" : "block cells"
        }
    }

    /// The preview of `result` in `box`: the image above a one-line caption.
    static func draw(_ screen: inout Screen, _ s: AppState, result: ResultRecord, box: Rect, caption: String) {
        let area = PreviewPlanner.imageArea(box)
        switch slot(s, result, area) {
        case let .ready(p):
            image(&screen, p, in: area, depth: s.colorDepth)
            // The caption sits right under the image (the box keeps a row for it).
            let captionY = area.y + min(p.rows, area.height)
            if captionY < box.maxY {
                // Which protocol draws it, so a user knows what to change (DARKROOM_GRAPHICS).
                // It gives way first when the line is short.
                let how = " · " + (p.picture != nil ? GraphicsProtocol.kitty.label : cellsLabel(s.colorDepth, short: true))
                // The file's own size (a small preview may come from its thumbnail).
                let w = result.file?.width ?? p.sourceWidth, h = result.file?.height ?? p.sourceHeight
                let size = "\(w)x\(h)" + (result.file.map { " " + $0.format.rawValue.uppercased() } ?? "")
                let full = size + how + caption
                let text = DisplayWidth.of(full) <= area.width ? full : size + caption
                screen.put(DisplayWidth.truncate(text, to: area.width), x: area.x, y: captionY, style: Theme.hint)
            }
        case let .failed(why):
            message(&screen, "no preview: " + why, in: area, style: Theme.warning)
        case .loading, nil:
            message(&screen, s.graphics == .none ? off : "decoding preview…", in: area, style: Theme.hint)
        }
    }

    static func slot(_ s: AppState, _ r: ResultRecord, _ area: Rect) -> PreviewSlot? {
        guard s.graphics != .none, let k = PreviewPlanner.key(s, r, in: area) else { return nil }
        return s.previews[k]
    }

    /// A message wrapped into the preview area, so it never spills into the text beside it.
    static func message(_ screen: inout Screen, _ text: String, in area: Rect, style: Style) {
        let editor = PromptEditor(text)
        var y = area.y
        for l in editor.layout(width: area.width) where y < area.maxY {
            screen.put(String(editor.chars[l.start..<l.end]), x: area.x, y: y, style: style, limit: area.width)
            y += 1
        }
    }

    /// The image, centred across `area`, from its top (or centred down it too).
    static func image(_ screen: inout Screen, _ p: PreviewImage, in area: Rect, depth: ColorDepth, centredDown: Bool = false) {
        let x0 = area.x + max(0, (area.width - p.columns) / 2)
        let y0 = area.y + (centredDown ? max(0, (area.height - p.rows) / 2) : 0)
        if let id = p.picture?.imageID {
            placeholders(&screen, id: id, columns: p.columns, rows: p.rows, at: x0, y0, in: area, depth: depth)
            return
        }
        if let picture = p.picture, picture.format != .kitty {
            // Blank cells the terminal draws the picture over; only whole pictures
            // (one cut by the area's edge would spill over the text beside it).
            let r = Rect(x: x0, y: y0, width: p.columns, height: p.rows)
            screen.fill(r)
            if r.maxX <= area.maxX, r.maxY <= area.maxY { screen.placements.append(Placement(rect: r, picture: picture)) }
            return
        }
        for y in 0..<min(p.rows, area.maxY - y0) {
            for x in 0..<min(p.columns, area.width) {
                let c: Cell
                if let b = p.blocks?.cells[y * p.columns + x], depth == .direct || depth == .palette256 {
                    c = Cell(text: String(b.symbol), style: Style(fg: .rgb(b.fg.r, b.fg.g, b.fg.b), bg: .rgb(b.bg.r, b.bg.g, b.bg.b)))
                } else {
                    let (top, bottom) = p[x, y]
                    c = cell(top: top, bottom: bottom, depth: depth)
                }
                screen.put(c.text, x: x0 + x, y: y0 + y, style: c.style)
            }
        }
    }

    /// A kitty picture: one placeholder cell per cell of its placement, each
    /// naming its row and column by diacritics and the image by its colour (a
    /// palette entry, or the same number as a direct colour). Clipped to `area`.
    static func placeholders(_ screen: inout Screen, id: Int, columns: Int, rows: Int, at x0: Int, _ y0: Int, in area: Rect, depth: ColorDepth) {
        let style = Style(fg: depth == .direct ? .rgb(UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF)) : .palette(UInt8(id & 0xFF)))
        for y in 0..<min(rows, area.maxY - y0) where y0 + y < screen.height {
            for x in 0..<min(columns, area.maxX - x0) where x0 + x < screen.width {
                guard let text = KittyGraphics.cell(row: y, column: x) else { continue }
                screen[x0 + x, y0 + y] = Cell(text: text, style: style)
            }
        }
    }

    static func cell(top: RGB, bottom: RGB, depth: ColorDepth) -> Cell {
        switch depth {
        case .direct, .palette256:
            return Cell(text: "▀", style: Style(fg: .rgb(top.r, top.g, top.b), bg: .rgb(bottom.r, bottom.g, bottom.b)))
        case .palette16, .palette8:
            let shade = ColorMapper.shade(top: top, bottom: bottom, depth: depth)
            return Cell(text: String(shade.glyph), style: Style(fg: colour(shade.fg), bg: colour(shade.bg)))
        case .none:
            return Cell(text: String(ColorMapper.monochrome(top: top, bottom: bottom)), style: .plain)
        }
    }

    static func colour(_ n: UInt8) -> Color { n < 8 ? .basic(n) : .bright(n - 8) }
}

/// `v`: the selected result over the whole screen, with a caption row and a hint row.
enum FullPreviewView {
    static func draw(_ screen: inout Screen, _ s: AppState, _ f: FullPreview) {
        let box = PreviewPlanner.fullBox(s)
        let t = s.tasks.first { $0.localID == f.localID }
        let saved = t.map(PreviewPlanner.saved) ?? []
        let prompt = TerminalSanitizer.clean(String(t?.request.prompt.split(separator: "\n").first ?? ""))
        let starred = t?.isStarred(picture: f.index) ?? false
        screen.put(DisplayWidth.truncate((starred ? "★ " : "") + "#\(f.localID)  \(prompt)", to: s.width - 1), x: 1, y: 0, style: Theme.title)
        if let r = saved.first(where: { $0.index == f.index }) {
            let position = saved.count > 1 ? "  [\((saved.firstIndex { $0.index == f.index } ?? 0) + 1)/\(saved.count)]" : ""
            PreviewView.draw(&screen, s, result: r, box: box, caption: position + "  " + (r.file?.path ?? ""))
        } else {
            PreviewView.message(&screen, t == nil ? "this task is no longer in the list" : "#\(f.localID) has no saved image",
                                in: Rect(x: 1, y: 2, width: s.width - 2, height: 2), style: Theme.hint)
        }
        var x = 1
        let hints = (saved.count > 1 ? [("←→", "result")] : []) + [("↑↓", "task"), ("o", "open"), ("i", "remix"), ("f", "star"), ("Esc", "back")]
        for (key, what) in hints {
            x += screen.put(key, x: x, y: s.height - 1, style: Theme.key)
            x += screen.put(" " + what + "  ", x: x, y: s.height - 1, style: Theme.hint)
        }
    }
}
