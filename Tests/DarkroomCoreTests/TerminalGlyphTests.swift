import DarkroomCore
import Testing

/// What is sent to draw a cluster: its first scalar and its accents, never a
/// joiner, selector, skin tone or second regional indicator.
@Suite("Terminal glyphs")
struct TerminalGlyphTests {
    func drawn(_ s: String) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: TerminalGlyph.drawn(Character(s)))
        return String(v)
    }

    @Test("emoji sequences are drawn as their first emoji",
          arguments: [("👨\u{200D}👩\u{200D}👧\u{200D}👦", "👨"), ("👍🏽", "👍"), ("❤️", "❤"), ("🇫🇷", "🇫"),
                      ("🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", "🏴"), ("🧑🏾\u{200D}🚀", "🧑")])
    func sequences(_ cluster: String, _ expected: String) {
        #expect(drawn(cluster) == expected)
    }

    @Test("accents and a keycap's enclosing mark stay with their letter; plain text is itself")
    func marks() {
        #expect(drawn("e\u{301}") == "e\u{301}")
        #expect(drawn("1\u{FE0F}\u{20E3}") == "1\u{20E3}")
        #expect(drawn("狐") == "狐")
        #expect(drawn("a") == "a")
        #expect(TerminalGlyph.drawn(Character("a\u{301}\u{302}\u{303}\u{304}\u{305}")).count == 4, "ncurses keeps five wide chars a cell, with its end")
    }
}
