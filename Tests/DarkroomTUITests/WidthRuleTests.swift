import DarkroomCore
import Foundation
import Testing
@testable import DarkroomTUI

/// One width authority: the grid counts cells as the terminal will (the
/// backend gives the rule; here a table of what glibc's wcwidth answers).
@Suite("Cell widths given by the terminal")
struct WidthRuleTests {
    /// glibc 2.36's wcwidth for the characters below (measured with ctypes on Debian 12).
    static let glibc: [UInt32: Int] = [
        0x2764: 1, 0xFE0F: 0, 0x1F202: 2, 0x1F1EF: 1, 0x1F1F5: 1, 0x1F469: 2, 0x200D: 0, 0x1F680: 2, 0x20E3: 0,
        0xE9: 1, 0x301: 0, 0x1F3A8: 2, 0xFF46: 2, 0xFF55: 2, 0xFF4C: 2, 0x1FAE8: -1,
    ]
    static let terminal = WidthRule.terminal { cp in
        if let w = glibc[cp] { return w }
        if (0x4E00...0x9FFF).contains(cp) { return 2 }
        return 1
    }

    /// Heart with VS16, U+1F202, a flag, a ZWJ sequence, a keycap, a combining
    /// accent, CJK, fullwidth Latin and an emoji glibc does not know yet.
    static let text = "❤️ 🈂 🇯🇵 👩‍🚀 1️⃣ e\u{301} 一只猫 ｆｕｌｌ 🫨 end"

    /// The cells of each row, as the rule counts them: must be the screen's width.
    static func rowWidths(_ screen: Screen, under rule: WidthRule) -> [Int] {
        DisplayWidth.$rule.withValue(rule) {
            (0..<screen.height).map { y in
                (0..<screen.width).reduce(0) { sum, x in
                    let cell = screen[x, y]
                    return cell.isContinuation ? sum : sum + max(1, cell.text.isEmpty ? 1 : DisplayWidth.of(Character(cell.text)))
                }
            }
        }
    }

    @Test("the two rules disagree where glibc and darkroom's table do: ❤️, U+1F202, flags, keycaps")
    func disagreements() {
        let unicode = Self.text.map { DisplayWidth.unicodeWidth($0) }
        let term = DisplayWidth.$rule.withValue(Self.terminal) { Self.text.map { DisplayWidth.of($0) } }
        let clusters = Array(Self.text)
        func at(_ s: String) -> Int { clusters.firstIndex(of: Character(s))! }
        #expect(unicode[at("❤️")] == 2 && term[at("❤️")] == 1)
        #expect(unicode[at("🈂")] == 1 && term[at("🈂")] == 2)
        #expect(unicode[at("🇯🇵")] == 2 && term[at("🇯🇵")] == 1)
        #expect(term[at("👩‍🚀")] == 2 && term[at("1️⃣")] == 1 && term[at("e\u{301}")] == 1 && term[at("一")] == 2)
        #expect(term[at("🫨")] == 1, "unknown to wcwidth: one cell (the backend draws a stand-in)")
    }

    @Test("a screen drawn under the terminal's rule has every row exactly as wide as the terminal counts it")
    func gridAgreesWithTerminal() {
        let d = Driver(width: 80, height: 24)
        d.send(.paste(Self.text + "\n" + Self.text + Self.text))
        let screen = DisplayWidth.$rule.withValue(Self.terminal) { AppView.render(d.state, now: Driver.now).screen }
        #expect(Self.rowWidths(screen, under: Self.terminal).allSatisfy { $0 == 80 })
        // Drawn under darkroom's own table, the terminal would see rows of other widths: the tearing of issue 11.
        let torn = AppView.render(d.state, now: Driver.now).screen
        #expect(Self.rowWidths(torn, under: Self.terminal).contains { $0 != 80 })
        // The prompt is on screen whole, CJK included (every size, in the snapshots).
        #expect(screen.text.contains("一只猫"))
        assertSnapshot(screen.text, named: "widths-terminal-80x24")
    }

    @Test("the editor moves and wraps by the terminal's widths too")
    func editorUsesTheRule() {
        let e = PromptEditor("❤️❤️❤️❤️🈂🈂")
        let (unicodeLines, termLines) = (e.layout(width: 4).count, DisplayWidth.$rule.withValue(Self.terminal) { e.layout(width: 4).count })
        #expect(unicodeLines == 3)   // ❤️❤️ | ❤️❤️ | 🈂🈂
        #expect(termLines == 2)      // ❤️❤️❤️❤️ | 🈂🈂
    }
}
