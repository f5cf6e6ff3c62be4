import Testing
@testable import DarkroomTUI

@Suite("Screen")
struct ScreenTests {
    @Test("writes text clipped to its limit and the edge, wide characters taking two cells")
    func put() {
        var s = Screen(width: 12, height: 2)
        #expect(s.put("猫 cat", x: 0, y: 0) == 6)
        s.put("abcdefghijklmnop", x: 4, y: 1, limit: 5)
        #expect(s.text == "猫 cat\n    abcde")
        #expect(s[1, 0].isContinuation)
    }

    @Test("never puts half a wide character at the right edge")
    func edge() {
        var s = Screen(width: 5, height: 1)
        s.put("ab猫猫", x: 0, y: 0)
        #expect(s.text == "ab猫")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwrite() {
        var s = Screen(width: 6, height: 1)
        s.put("猫猫", x: 0, y: 0)
        s.put("x", x: 1, y: 0)
        #expect(s.text == " x猫")
    }

    @Test("draws a titled box, bold when focused")
    func box() {
        var s = Screen(width: 14, height: 3)
        s.box(Rect(x: 0, y: 0, width: 14, height: 3), title: "Tasks", focused: false)
        #expect(s.text == "┌─ Tasks ────┐\n│            │\n└────────────┘")
        s.box(Rect(x: 0, y: 0, width: 14, height: 3), title: "Tasks", focused: true)
        #expect(s.text == "┏━ Tasks ━━━━┓\n┃            ┃\n┗━━━━━━━━━━━━┛")
    }

    @Test("drops control characters instead of drawing them")
    func controls() {
        var s = Screen(width: 10, height: 1)
        s.put("a\u{1B}b\u{07}c", x: 0, y: 0)
        #expect(s.text == "abc")
    }
}
