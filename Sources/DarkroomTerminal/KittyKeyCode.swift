import DarkroomTUI

/// kitty's keyboard protocol gives keys that have no character of their own a
/// code point in Unicode's private-use area (57344 to 63743), sent as `CSI code u`:
/// F13 to F35, the keypad, Caps Lock and the other locks, Print Screen, Pause,
/// Menu, media and volume keys, and the modifier keys themselves
/// (kitty's `docs/keyboard-protocol.rst`, "Functional key definitions").
///
/// Such a code is a key, never text: the keypad is read as what its keys say
/// (digits and operators type, arrows move, Enter is Enter); every other code
/// of the range is dropped, so no invisible character reaches a prompt.
enum KittyKeyCode {
    /// The codes kitty may use for keys (the Basic Multilingual Plane's private-use area).
    static let privateUse = 57344...63743

    /// The key a code of `privateUse` stands for, or nil (no use here: dropped).
    static func key(_ code: Int, _ m: KeySequence.Mods) -> Key? {
        switch code {
        case 57399...57408: return text(Character(String(code - 57399)), m)        // KP_0 to KP_9
        case 57409: return text(".", m)                                            // KP_DECIMAL
        case 57410: return text("/", m)                                            // KP_DIVIDE
        case 57411: return text("*", m)                                            // KP_MULTIPLY
        case 57412: return text("-", m)                                            // KP_SUBTRACT
        case 57413: return text("+", m)                                            // KP_ADD
        case 57414: return m.shift ? .shiftEnter : m.alt ? .altEnter : .enter      // KP_ENTER
        case 57415: return text("=", m)                                            // KP_EQUAL
        case 57416: return text(",", m)                                            // KP_SEPARATOR
        case 57417: return m.ctrl || m.alt ? .ctrlLeft : .left                     // KP_LEFT
        case 57418: return m.ctrl || m.alt ? .ctrlRight : .right                   // KP_RIGHT
        case 57419: return .up                                                     // KP_UP
        case 57420: return .down                                                   // KP_DOWN
        case 57421: return .pageUp                                                 // KP_PAGE_UP
        case 57422: return .pageDown                                               // KP_PAGE_DOWN
        case 57423: return .home                                                   // KP_HOME
        case 57424: return .end                                                    // KP_END
        case 57426: return .delete                                                 // KP_DELETE
        default: return nil          // F13-F35, locks, Pause, Menu, KP_INSERT, KP_BEGIN, media, volume, modifiers
        }
    }

    /// A keypad character: typed, or Alt with it; Ctrl with it has no use.
    private static func text(_ c: Character, _ m: KeySequence.Mods) -> Key? {
        if m.ctrl { return nil }
        return m.alt ? .alt(c) : .char(c)
    }
}
