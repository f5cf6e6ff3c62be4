import CNcurses
import DarkroomCore
import DarkroomPreview
import DarkroomTUI
import Foundation

/// The only code that calls ncurses: start-up, copying a Screen to the
/// terminal (only the cells that changed; ncurses then sends only what differs),
/// reading keys, and tear-down. Used from one thread.
final class CursesBackend {
    private var previous: Screen?
    /// The pictures the terminal shows now (iTerm2, sixel), drawn over blank cells.
    private var shown: [Placement] = []
    private var pairs = ColorPairs(depth: .none, colorPairs: 0)
    private(set) var started = false
    /// What the terminal can show, decided at `start()`.
    var colorDepth: ColorDepth { pairs.depth }

    /// Takes the terminal: raw mode (so Ctrl-C, Ctrl-S, Ctrl-Z reach darkroom),
    /// no echo, colours, bracketed paste, the mouse (SGR reports) unless
    /// `DARKROOM_MOUSE=0`. ncurses only draws: darkroom reads the keyboard itself
    /// (`readInput`, decoded by `KeyDecoder`), so ncurses is told not to read it.
    func start() {
        setlocale(LC_ALL, "")
        setenv("ESCDELAY", "25", 1)
        initscr()
        raw()
        noecho()
        nonl()
        keypad(dr_stdscr(), false)
        // ncurses must never read the keyboard: not even to look for typeahead.
        typeahead(-1)
        // NO_COLOR (no-color.org): no colours at all; focus and status still show
        // through heavy borders, bold, reverse and the status marks.
        var depth = ColorDepth.none
        if has_colors() && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true) {
            start_color()
            use_default_colors()
            let colors = Int(dr_colors())
            depth = dr_has_direct_color() != 0 ? .direct : colors >= 256 ? .palette256 : colors >= 16 ? .palette16 : colors >= 8 ? .palette8 : .none
        }
        pairs = ColorPairs(depth: depth, colorPairs: Int(dr_color_pairs())) { _ = init_extended_pair($0, $1, $2) }
        curs_set(0)
        // The mouse, unless DARKROOM_MOUSE=0 (then the terminal keeps plain text selection).
        mouse = ProcessInfo.processInfo.environment["DARKROOM_MOUSE"] != "0"
        TerminalGuard.write(modesOn)
        started = true
        TerminalGuard.backendActive = true
        // A crash signal restores the terminal through this (not async-signal-safe,
        // but the process is ending; leaving the terminal raw would be worse).
        TerminalGuard.emergencyRestore = { _ = endwin() }
    }

    /// Gives the terminal back as it was. Safe to call twice.
    func stop() {
        guard started else { return }
        started = false
        TerminalGuard.write(Self.modesOff)
        curs_set(1)
        endwin()
        TerminalGuard.backendActive = false
    }

    /// Whether the mouse is on (clicks and the wheel are reported).
    private(set) var mouse = false

    /// Bracketed paste (2004); with the mouse, button reports (1000) in SGR form (1006).
    private var modesOn: String { "\u{1B}[?2004h" + (mouse ? "\u{1B}[?1000h\u{1B}[?1006h" : "") }
    /// Every mode darkroom may have set, turned off (harmless where it was not set).
    static let modesOff = "\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?2004l"

    /// Cell widths as ncurses will count them. The locale must be set first
    /// (`start` does `setlocale(LC_ALL, "")`; `run` starts the loop after it).
    static let widthRule = WidthRule.terminal { Int(dr_wcwidth(wchar_t(bitPattern: $0))) }

    var size: (width: Int, height: Int) { (Int(dr_cols()), Int(dr_lines())) }

    /// Reads the terminal's size from the kernel and tells ncurses.
    func resizeToTerminal() {
        var w = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_row > 0, w.ws_col > 0 {
            resizeterm(Int32(w.ws_row), Int32(w.ws_col))
        }
        invalidate()
    }

    /// Takes the terminal back after `stop()` (Ctrl-Z then `fg`): ncurses must not
    /// be initialised twice, a refresh restores its modes.
    func resume() {
        guard !started else { return }
        reset_prog_mode()
        refresh()
        raw()
        noecho()
        TerminalGuard.write(modesOn)
        started = true
        TerminalGuard.backendActive = true
        invalidate()
    }

    /// Forgets what is on the terminal, so the next draw repaints everything.
    func invalidate() {
        previous = nil
        shown = []
        clearok(dr_stdscr(), true)
    }

    func draw(_ screen: Screen, cursor: (x: Int, y: Int)?) {
        var before = previous
        copy(screen, cursor: cursor)
        if pairs.evicted {
            // A pair was redefined: cells drawn earlier with it changed colour. Once
            // more, in full, with every pair this frame needs.
            pairs.evicted = false
            invalidate()
            before = nil
            copy(screen, cursor: cursor)
        }
        if !shown.isEmpty || !screen.placements.isEmpty { pictures(screen, before: before) }
    }

    /// Pictures drawn over the cells (iTerm2, sixel), after ncurses' refresh:
    /// the ones that went are erased by repainting their rows from ncurses'
    /// picture of the screen; the ones that are new, whose cells were drawn
    /// over, or whose rows were repainted, are sent again, with the cursor
    /// saved and put back around them (ncurses must find it where it left it).
    private func pictures(_ screen: Screen, before: Screen?) {
        let full = before.map { $0.width != screen.width || $0.height != screen.height } ?? true
        let old = full ? [] : shown
        var repainted = IndexSet()
        for p in old where !screen.placements.contains(p) {
            _ = wredrawln(dr_stdscr(), Int32(p.rect.y), Int32(p.rect.height))
            repainted.insert(integersIn: p.rect.y..<p.rect.maxY)
        }
        if !repainted.isEmpty { refresh() }
        var out = ""
        for p in screen.placements {
            let rows = IndexSet(integersIn: p.rect.y..<p.rect.maxY)
            let same = old.contains(p) && repainted.intersection(rows).isEmpty && before.map { Self.cellsEqual($0, screen, in: p.rect) } == true
            if same { continue }
            out += "\u{1B}7\u{1B}[\(p.rect.y + 1);\(p.rect.x + 1)H" + InlinePictures.bytes(p.picture, columns: p.rect.width, rows: p.rect.height) + "\u{1B}8"
        }
        if !out.isEmpty { TerminalGuard.write(out) }
        shown = screen.placements
    }

    static func cellsEqual(_ a: Screen, _ b: Screen, in r: Rect) -> Bool {
        for y in max(0, r.y)..<min(b.height, r.maxY) {
            for x in max(0, r.x)..<min(b.width, r.maxX) where a[x, y] != b[x, y] { return false }
        }
        return true
    }

    private func copy(_ screen: Screen, cursor: (x: Int, y: Int)?) {
        pairs.beginFrame()
        let same = previous.map { $0.width == screen.width && $0.height == screen.height } ?? false
        if !same { erase() }
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.isContinuation { continue }
                if same, let p = previous, p[x, y] == cell, !(x + 1 < screen.width && p[x + 1, y] != screen[x + 1, y] && screen[x + 1, y].isContinuation) {
                    continue
                }
                put(cell, x: x, y: y)
            }
        }
        previous = screen
        if !same { _ = dr_repaint_all() }
        if let c = cursor, c.x >= 0, c.y >= 0, c.x < screen.width, c.y < screen.height {
            curs_set(1)
            move(Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        refresh()
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var attrs: attr_t = 0
        if cell.style.bold { attrs |= dr_a_bold() }
        if cell.style.dim { attrs |= dr_a_dim() }
        if cell.style.reverse { attrs |= dr_a_reverse() }
        if cell.style.underline { attrs |= dr_a_underline() }
        let pair = pairs.pair(cell.style.fg, cell.style.bg)
        // The first scalar and its accents only: joiners, selectors and skin tones are drawn differently by
        // each terminal (tmux 3.3a glues the next cell to a joiner), so they are never sent (`TerminalGlyph`).
        var wide = cell.text.first.map { TerminalGlyph.drawn($0).map { wchar_t(bitPattern: $0.value) } } ?? []
        if wide.isEmpty { wide = [wchar_t(32)] }
        // A character the C library does not know (wcwidth -1) would not be drawn:
        // a stand-in of the width the grid gave it (one cell).
        if dr_wcwidth(wide[0]) < 0 { wide = [wchar_t(0xFFFD)] }
        wide.append(0)
        _ = wide.withUnsafeBufferPointer { dr_put_cell(Int32(y), Int32(x), $0.baseAddress, attrs, pair) }
    }

    /// Reads what the terminal sent (call only when `poll` said fd 0 is readable, or
    /// it blocks) and decodes it. Nil when the terminal is gone (end of file).
    func readInput(into decoder: inout KeyDecoder, now: Duration) -> [Event]? {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = Glibc.read(0, &buf, buf.count)
        if n == 0 { return nil }
        if n < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        return decoder.feed(Array(buf[0..<n]), now: now)
    }
}

/// The terminal's cell widths for code outside this module (benchmarks): the
/// C library's wcwidth, as ncurses counts. Needs a UTF-8 locale set.
public enum TerminalCells {
    public static var widthRule: WidthRule { CursesBackend.widthRule }
}
