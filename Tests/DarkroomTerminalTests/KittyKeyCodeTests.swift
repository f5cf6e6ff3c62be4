import DarkroomTUI
import Testing
@testable import DarkroomTerminal

/// kitty's keyboard protocol names keys with no character of their own (F13 to
/// F35, the keypad, media and volume keys, lone modifiers, Caps Lock...) by
/// code points of Unicode's private-use area, 57344 to 63743, sent as `CSI code u`.
/// They are keys, never text: typed into a prompt they would be invisible
/// characters sent to a paid API.
@Suite("Key decoder: kitty's private-use key codes")
struct KittyKeyCodeTests {
    static let privateUse = 57344...63743

    /// What a key of the range may decode to: nothing, or a key darkroom has a use for.
    static func isTextInPrivateUse(_ e: Event) -> Bool {
        guard case let .key(k) = e else { return true }
        switch k {
        case let .char(c), let .alt(c), let .ctrl(c):
            return c.unicodeScalars.contains { privateUse.contains(Int($0.value)) }
        default: return false
        }
    }

    @Test("\"ab\", F13, \"cd\" types abcd: F13 (CSI 57376 u) is dropped, not U+E020")
    func f13InThePrompt() {
        #expect(decode("ab\(esc)[57376ucd") == [.key(.char("a")), .key(.char("b")), .key(.char("c")), .key(.char("d"))])
    }

    @Test("no code of the whole range becomes a character, with or without modifiers and event types")
    func wholeRangeIsNeverText() {
        for suffix in ["", ";1", ";2", ";3", ";5", ";9", ";1:1", ";1:2", ";2:3", ";129"] {
            for code in Self.privateUse {
                let events = decode("\(esc)[\(code)\(suffix)u")
                #expect(events.count <= 1, "CSI \(code)\(suffix) u: \(events)")
                if let e = events.first, Self.isTextInPrivateUse(e) {
                    Issue.record("CSI \(code)\(suffix) u became \(e)")
                    return
                }
            }
        }
    }

    @Test("the keys darkroom has no use for are dropped whole",
          arguments: [57358, 57359, 57360, 57361, 57362, 57363, 57376, 57386, 57398, 57425, 57427, 57428, 57430, 57437,
                      57438, 57439, 57440, 57441, 57442, 57447, 57452, 57453, 57454, 57455, 58000, 63743])
    func dropped(code: Int) {
        #expect(decode("\(esc)[\(code)u").isEmpty)
        #expect(decode("\(esc)[\(code);5u").isEmpty)
    }

    @Test("the keypad is what its keys say: digits and operators type, arrows move, Enter is Enter",
          arguments: [(57399, Key.char("0")), (57404, .char("5")), (57408, .char("9")), (57409, .char(".")), (57410, .char("/")),
                      (57411, .char("*")), (57412, .char("-")), (57413, .char("+")), (57414, .enter), (57415, .char("=")),
                      (57416, .char(",")), (57417, .left), (57418, .right), (57419, .up), (57420, .down), (57421, .pageUp),
                      (57422, .pageDown), (57423, .home), (57424, .end), (57426, .delete)])
    func keypad(code: Int, key: Key) {
        #expect(decode("\(esc)[\(code)u") == [.key(key)])
    }

    @Test("keypad keys keep their modifiers: Ctrl-KP_Left moves by word, Shift-KP_Enter is a new line")
    func keypadModifiers() {
        #expect(decode("\(esc)[57417;5u") == [.key(.ctrlLeft)])
        #expect(decode("\(esc)[57418;3u") == [.key(.ctrlRight)])
        #expect(decode("\(esc)[57414;2u") == [.key(.shiftEnter)])
        #expect(decode("\(esc)[57399;3u") == [.key(.alt("0"))])
        #expect(decode("\(esc)[57399;5u").isEmpty, "Ctrl with a keypad digit has no use here")
    }

    @Test("a release event (kitty's event type 3) is not a second key press")
    func releaseIsNotAPress() {
        #expect(decode("\(esc)[97;1:3u").isEmpty)
        #expect(decode("\(esc)[57399;1:3u").isEmpty)
        #expect(decode("\(esc)[97;1:2u") == [.key(.char("a"))], "a repeat types again")
    }
}
