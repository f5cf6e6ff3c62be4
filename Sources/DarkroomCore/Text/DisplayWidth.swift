/// How many terminal cells text takes: wide (CJK, fullwidth, most emoji) = 2,
/// combining marks and zero-width joiners = 0, everything else = 1. Works on
/// grapheme clusters, so an emoji sequence or an accented letter counts once.
public enum DisplayWidth {
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    public static func of(_ c: Character) -> Int {
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

    /// `s` truncated and padded with spaces to exactly `width` cells.
    public static func pad(_ s: String, to width: Int) -> String {
        let t = truncate(s, to: width)
        return t + String(repeating: " ", count: max(0, width - of(t)))
    }
}
