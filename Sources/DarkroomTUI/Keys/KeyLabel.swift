/// How keys are written: short in the hint bar (`^S`, `↑`), in full on the help
/// screen (`Ctrl-S`, `Up`).
extension Key {
    public var shortLabel: String {
        switch self {
        case let .char(c): return c == " " ? "Space" : String(c)
        case let .ctrl(c): return "^" + c.uppercased()
        case let .alt(c): return c == "\u{7F}" ? "Alt-Bksp" : "Alt-\(c)"
        case let .f(n): return "F\(n)"
        case .enter: return "Enter"
        case .shiftEnter: return "S-Enter"
        case .altEnter: return "Alt-Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .escape: return "Esc"
        case .left: return "←"
        case .right: return "→"
        case .up: return "↑"
        case .down: return "↓"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .ctrlLeft: return "^←"
        case .ctrlRight: return "^→"
        }
    }

    public var longLabel: String {
        switch self {
        case let .ctrl(c): return "Ctrl-" + c.uppercased()
        case let .alt(c): return c == "\u{7F}" ? "Alt-Backspace" : "Alt-\(c)"
        case .shiftEnter: return "Shift-Enter"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .ctrlLeft: return "Ctrl-←"
        case .ctrlRight: return "Ctrl-→"
        default: return shortLabel
        }
    }
}
