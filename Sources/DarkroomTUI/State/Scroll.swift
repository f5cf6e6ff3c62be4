/// How every scrolled view of lines moves (help, the message log): ↑↓ a line,
/// PgUp PgDn a page of what is visible, Home End to the ends, the wheel as ↑↓.
/// Offsets count lines from the top and stay within `0...lines - visible`.
enum Scroll {
    static func offset(_ top: Int, _ k: Key, lines: Int, visible: Int) -> Int {
        let most = max(0, lines - visible)
        let page = max(1, visible - 1)
        let next: Int
        switch k {
        case .up, .char("k"): next = top - 1
        case .down, .char("j"): next = top + 1
        case .pageUp: next = top - page
        case .pageDown, .char(" "): next = top + page
        case .home, .char("g"): next = 0
        case .end, .char("G"): next = most
        default: next = top
        }
        return min(most, max(0, next))
    }
}
