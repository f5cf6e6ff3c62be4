/// How many terminal cells text takes, by grapheme cluster (an emoji sequence
/// or an accented letter counts once), following a `WidthRule`.
///
/// The rule is given, not guessed: the terminal backend runs `update` and the
/// views under `DisplayWidth.$rule.withValue(.terminal(...))`, so the grid
/// counts cells exactly as ncurses and the terminal will. Outside such a scope
/// (the CLI, tests) the rule is `.unicode`.
public enum DisplayWidth {
    @TaskLocal public static var rule: WidthRule = .unicode

    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    public static func of(_ c: Character) -> Int {
        // Printable ASCII is one cell under every rule (and most text is ASCII).
        if c.isASCII, let v = c.asciiValue { return v >= 0x20 && v < 0x7F ? 1 : 0 }
        return rule.width(c)
    }

    /// Wide (CJK, fullwidth, emoji presentation and VS16 sequences) = 2, combining
    /// marks and joiners = 0, everything else = 1: what modern terminals draw.
    public static func unicodeWidth(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        // An emoji presentation sequence or any cluster with an emoji-presentation scalar is wide.
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        if scalars.count > 1 && scalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        // Otherwise the cells of each scalar, as wcwidth counts them (so a halfwidth
        // kana with its halfwidth voiced mark is two cells, e + combining accent one).
        return scalars.reduce(0) { $0 + (isWide($1.value) ? 2 : (isZeroWidth($1) ? 0 : 1)) }
    }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return s.value == 0x200B || (0x1160...0x11FF).contains(s.value) // Hangul medial and final jamo
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Cuts `s` to at most `width` cells, ending with `…` when cut. Never splits
    /// a wide character: the cut falls before it.
    public static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let room = width - of(ellipsis)
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        return room > 0 ? out + ellipsis : String(out.prefix(width))
    }

    /// Cuts `s` to at most `width` cells at a word's end, ending with `…` when cut
    /// (for labels and hints: never "aspe…"). A first word longer than the width
    /// is cut as `truncate` cuts.
    public static func truncateWords(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        let cut = truncate(s, to: width)
        let kept = cut.dropLast()          // without its "…"
        // Cut right before a space: the last word is whole.
        if s.dropFirst(kept.count).first == " " {
            var head = String(kept)
            while let last = head.last, " ;,:·(".contains(last) { head.removeLast() }
            if !head.isEmpty { return head + "…" }
        }
        guard let space = kept.lastIndex(where: { $0 == " " }), space > kept.startIndex else { return cut }
        var head = String(kept[..<space])
        while let last = head.last, " ;,:·(".contains(last) { head.removeLast() }
        return head.isEmpty ? cut : head + "…"
    }

    /// `s` without its first `cells` cells (a wide character cut in two goes whole).
    public static func dropCells(_ s: String, _ cells: Int) -> Substring {
        var used = 0
        var i = s.startIndex
        while i < s.endIndex, used < cells {
            used += of(s[i])
            i = s.index(after: i)
        }
        return s[i...]
    }

    /// `s` truncated and padded with spaces to exactly `width` cells.
    public static func pad(_ s: String, to width: Int) -> String {
        let t = truncate(s, to: width)
        return t + String(repeating: " ", count: max(0, width - of(t)))
    }
}

/// How a terminal counts cells. `.unicode` is darkroom's own table; `.terminal`
/// asks the C library's `wcwidth`, as ncurses does for each cell it is given (the
/// width of the cluster's first character), so the grid and the terminal agree
/// on "❤️" (1 under glibc) and U+1F202 (2).
public struct WidthRule: Sendable {
    public let name: String
    let width: @Sendable (Character) -> Int

    public init(name: String, width: @escaping @Sendable (Character) -> Int) {
        self.name = name
        self.width = width
    }

    public static let unicode = WidthRule(name: "unicode") { DisplayWidth.unicodeWidth($0) }

    /// The terminal's count from a `wcwidth`. A character it does not know (-1)
    /// takes one cell (`drawable` says the backend must draw a stand-in for it).
    public static func terminal(wcwidth: @escaping @Sendable (UInt32) -> Int) -> WidthRule {
        WidthRule(name: "wcwidth") { c in
            guard let first = c.unicodeScalars.first else { return 0 }
            if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
            let w = wcwidth(first.value)
            return w < 0 ? 1 : w
        }
    }
}
