import Testing
@testable import DarkroomCore

@Suite("Display width")
struct DisplayWidthTests {
    @Test("counts wide, narrow and combining characters", arguments: [
        ("abc", 3), ("猫", 2), ("一只猫", 6), ("café", 4), ("cafe\u{301}", 4), ("🎨", 2), ("👍🏽", 2),
        ("👩‍👩‍👧", 2), ("ｶﾞ", 2), ("Ａ", 2), ("\u{200B}", 0), ("한국어", 6),
    ])
    func widths(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test("truncates by cells, never splitting a wide character")
    func truncation() {
        #expect(DisplayWidth.truncate("hello world", to: 8) == "hello w…")
        #expect(DisplayWidth.truncate("一只猫在屋顶", to: 6) == "一只…")
        #expect(DisplayWidth.truncate("一只猫在屋顶", to: 5) == "一只…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.pad("猫", to: 4) == "猫  ")
        #expect(DisplayWidth.of(DisplayWidth.pad("🎨🎨🎨", to: 5)) == 5)
    }
}
