import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTerminal

@Suite("The backend's width rule is the C library's")
struct TerminalWidthTests {
    @Test("under a UTF-8 locale: ❤️ one cell, U+1F202 two, a ZWJ sequence two, a combining accent with its letter one")
    func libcWidths() {
        // The backend sets the user's locale at start; a test sets a UTF-8 one for LC_CTYPE only.
        let previous = String(cString: setlocale(LC_CTYPE, nil))
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { Issue.record("no C.UTF-8 locale"); return }
        defer { setlocale(LC_CTYPE, previous) }
        let widths = DisplayWidth.$rule.withValue(CursesBackend.widthRule) {
            ["❤️", "🈂", "👩‍🚀", "e\u{301}", "一", "a", "\u{7}"].map { DisplayWidth.of(Character($0)) }
        }
        #expect(widths == [1, 2, 2, 1, 2, 1, 0])
    }
}
