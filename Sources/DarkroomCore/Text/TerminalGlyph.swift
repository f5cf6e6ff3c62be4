/// What darkroom sends a terminal to draw one grapheme cluster, so that every
/// terminal puts it in the cells the grid gave it (`WidthRule.terminal`: the
/// `wcwidth` of its first scalar).
///
/// Terminals disagree on emoji sequences: a zero-width joiner (the family
/// 👨‍👩‍👧‍👦), a variation selector (❤️ with VS16), a skin tone (👍🏽), a flag's
/// second regional indicator or a tag sequence may join the next character,
/// widen the cell, or be drawn alone. tmux 3.3a glues whatever follows a joiner
/// into the joiner's cell, which shifted the rest of the row (and the pane
/// beside it) by a cell. So a cluster is drawn as its first scalar and the
/// marks that combine with it (accents, a keycap's enclosing mark), and
/// nothing else: the picture is simpler (👨 for the family), the layout is
/// the same on every terminal. The text itself (the prompt sent) is untouched.
public enum TerminalGlyph {
    /// The scalars to send for `c`: its first, then its combining marks, at most
    /// `limit` in all (ncurses keeps five per cell).
    public static func drawn(_ c: Character, limit: Int = 4) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for s in c.unicodeScalars {
            if out.isEmpty { out.append(s); continue }
            guard out.count < limit, combines(s) else { continue }
            out.append(s)
        }
        return out
    }

    /// Whether a scalar after the first is drawn with it: a nonspacing or
    /// enclosing mark that is not a variation selector.
    static func combines(_ s: Unicode.Scalar) -> Bool {
        if (0xFE00...0xFE0F).contains(s.value) || (0xE0100...0xE01EF).contains(s.value) { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
