import Testing
@testable import DarkroomTUI

@Suite("Prompt editor")
struct PromptEditorTests {
    @Test("inserts anywhere and deletes both ways")
    func editing() {
        var e = PromptEditor("a cat")
        e.home()
        e.insert("draw ")
        #expect(e.text == "draw a cat")
        e.end()
        e.backspace()
        e.insert("r")
        #expect(e.text == "draw a car")
        e.home()
        e.deleteForward()
        #expect(e.text == "raw a car")
    }

    @Test("moves and deletes by words, Ctrl-U, Ctrl-K and Ctrl-W")
    func words() {
        var e = PromptEditor("a red fox, at dusk")
        e.wordLeft()
        #expect(e.cursor == 14)
        e.wordLeft()
        e.wordLeft()
        #expect(e.cursor == 6)
        e.wordRight()
        #expect(e.cursor == 9)
        e.killToLineEnd()
        #expect(e.text == "a red fox")
        e.killWordBack()
        #expect(e.text == "a red ")
        e.killToLineStart()
        #expect(e.text == "")
    }

    @Test("keeps pasted newlines and tabs, drops other control characters")
    func paste() {
        var e = PromptEditor()
        e.insert("line one\r\nline two\u{1B}[31m\tend")
        #expect(e.text == "line one\nline two[31m\tend", "a tab is sent as a tab")
        #expect(e.layout(width: 40).map { $0.end - $0.start } == [8, 16], "a tab is one character")
        #expect(e.cursorPosition(width: 40) == (1, 16), "and takes one cell")
    }

    @Test("wraps by display width at spaces, and never splits a wide character")
    func wrapping() {
        let e = PromptEditor("一只猫在屋顶上 sleeping quietly")
        let lines = e.layout(width: 10).map { String(e.chars[$0.start..<$0.end]) }
        #expect(lines == ["一只猫在屋", "顶上 ", "sleeping ", "quietly"])
        let emoji = PromptEditor("🎨🎨🎨🎨🎨🎨")
        #expect(emoji.layout(width: 5).map { $0.end - $0.start } == [2, 2, 2])
    }

    @Test("places the cursor after wide characters and across wraps")
    func cursor() {
        var e = PromptEditor("猫猫 abc")
        #expect(e.cursorPosition(width: 20).column == 8)
        e.setText("hello world")
        #expect(e.cursorPosition(width: 6) == (row: 1, column: 5))
        e.home()
        #expect(e.cursorPosition(width: 6) == (row: 0, column: 0))
        e.setText("ab\ncd")
        e.left(); e.left(); e.left()
        #expect(e.cursorPosition(width: 10) == (row: 0, column: 2))
    }

    @Test("moves up and down by visual lines, keeping the column")
    func vertical() {
        var e = PromptEditor("first line\nsecond")
        let up = e.vertical(-1, width: 40)
        #expect(up)
        #expect(e.cursor == 6)
        let upAgain = e.vertical(-1, width: 40)
        #expect(!upAgain)
        let down = e.vertical(1, width: 40)
        #expect(down)
        #expect(e.cursor == 17)
    }
}
