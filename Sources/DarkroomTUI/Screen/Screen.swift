import DarkroomCore
import DarkroomPreview

/// One cell of the screen. A wide character takes its cell and marks the next
/// one as its continuation (`isContinuation`), which the backend skips.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style
    public var isContinuation = false

    public static let blank = Cell(text: " ", style: .plain)
}

/// A picture drawn over a rectangle of blank cells (iTerm2, sixel): the shell
/// sends `picture`'s bytes with the cursor at the rectangle's corner, and sends
/// them again whenever the rectangle's cells were drawn over.
public struct Placement: Equatable, Sendable {
    public let rect: Rect
    public let picture: TerminalPicture
    public init(rect: Rect, picture: TerminalPicture) {
        self.rect = rect
        self.picture = picture
    }
}

/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    /// The rectangle shrunk by `n` cells on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// An in-memory grid of cells that views draw into. Only the terminal backend
/// turns it into escape sequences; tests read it back as plain text.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Pictures the terminal draws over blank cells after the frame (iTerm2
    /// images, sixel), in drawing order. Views add them; an overlay clears them.
    public var placements: [Placement] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text at (x, y), clipped to `limit` cells (default: to the right
    /// edge). Control characters never reach the grid. Returns the cells used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let maxX = min(width, x + (limit ?? width))
        var cx = x
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if cx + w > maxX { break }
            if cx >= 0 {
                // Overwriting half of a wide character blanks the other half.
                if self[cx, y].isContinuation, cx > 0 { self[cx - 1, y] = Cell(text: " ", style: self[cx - 1, y].style) }
                self[cx, y] = Cell(text: String(ch), style: style)
                if w == 2 { self[cx + 1, y] = Cell(text: "", style: style, isContinuation: true) }
                else if cx + 1 < width, self[cx + 1, y].isContinuation { self[cx + 1, y] = Cell(text: " ", style: style) }
            }
            cx += w
        }
        return cx - x
    }

    /// Fills a rectangle with spaces in a style.
    public mutating func fill(_ r: Rect, style: Style = .plain) {
        for y in max(0, r.y)..<min(height, r.maxY) {
            for x in max(0, r.x)..<min(width, r.maxX) { self[x, y] = Cell(text: " ", style: style) }
        }
    }

    /// Applies a style to a rectangle, keeping the text (for selection bars).
    public mutating func restyle(_ r: Rect, _ change: (inout Style) -> Void) {
        for y in max(0, r.y)..<min(height, r.maxY) {
            for x in max(0, r.x)..<min(width, r.maxX) { change(&self[x, y].style) }
        }
    }

    /// Draws a box with a title on its top edge.
    public mutating func box(_ r: Rect, title: String, focused: Bool) {
        guard r.width >= 2, r.height >= 2 else { return }
        let s = focused ? Theme.borderFocused : Theme.border
        let h = focused ? "━" : "─", v = focused ? "┃" : "│"
        let corners = focused ? ("┏", "┓", "┗", "┛") : ("┌", "┐", "└", "┘")
        for x in r.x..<r.maxX {
            put(h, x: x, y: r.y, style: s)
            put(h, x: x, y: r.maxY - 1, style: s)
        }
        for y in r.y..<r.maxY {
            put(v, x: r.x, y: y, style: s)
            put(v, x: r.maxX - 1, y: y, style: s)
        }
        put(corners.0, x: r.x, y: r.y, style: s)
        put(corners.1, x: r.maxX - 1, y: r.y, style: s)
        put(corners.2, x: r.x, y: r.maxY - 1, style: s)
        put(corners.3, x: r.maxX - 1, y: r.maxY - 1, style: s)
        if r.width > 4 {
            put(" \(title) ", x: r.x + 2, y: r.y, style: focused ? Theme.titleFocused : Theme.title, limit: r.width - 4)
        }
    }

    /// The screen as plain text, one line per row, trailing spaces removed:
    /// what snapshot tests compare.
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
