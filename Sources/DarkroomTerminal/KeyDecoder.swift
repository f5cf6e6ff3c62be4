import DarkroomTUI

/// Turns the bytes a terminal sends into keys, pastes and mouse events,
/// following the terminal's grammar (ECMA-48 and xterm's ctlseqs): every
/// well-formed sequence is understood or dropped whole, never typed.
///
/// - UTF-8 is decoded here; invalid bytes never become characters.
/// - `ESC` alone is the Escape key once `escapeDelay` (25 ms) passes with nothing
///   after it; `ESC x` is Alt-x, `ESC Enter` Alt-Enter.
/// - CSI (`ESC [` parameters, intermediates, final byte): arrows, Home, End,
///   Insert, Delete, PgUp, PgDn and F1–F12 with xterm's modifier parameter, the
///   `CSI 27;m;code ~` and CSI-u (`CSI code;m u`) forms (so Shift-Enter is read as
///   such), Shift-Tab, SGR and X10 mouse reports; anything else (a cursor report, a
///   device-attributes answer...) is dropped.
/// - SS3 (`ESC O x`), and OSC, DCS, APC, PM, SOS strings ended by BEL or ST: read
///   and dropped.
/// - Bracketed paste (`ESC [200~` … `ESC [201~`) arrives as one `.paste`; one that
///   never ends is closed after `pasteSilence` (200 ms) without a byte, or at
///   `pasteCap` bytes, with what arrived. CR and CRLF in a paste become newlines;
///   tabs stay.
///
/// Pure: time comes in as a monotonic `Duration` (`now`), and `deadline` says when
/// to call `expire` if no byte comes first. No ncurses here.
public struct KeyDecoder {
    public var escapeDelay: Duration = .milliseconds(25)
    /// How long an unfinished CSI, SS3 or UTF-8 sequence may wait for its end.
    public var sequenceDelay: Duration = .milliseconds(100)
    /// How long an OSC, DCS or APC string may wait for its end (a terminal sends its
    /// replies in one write; keys typed after a broken one must not wait long).
    public var stringDelay: Duration = .milliseconds(100)
    public var pasteSilence: Duration = .milliseconds(200)
    public var pasteCap = 4 << 20
    /// Mouse reports become events only when the mouse is on (else they are dropped).
    public var mouseEnabled = true
    /// A second click at the same cell within this is a double click.
    public var doubleClickTime: Duration = .milliseconds(400)

    private enum State: Equatable {
        case ground
        case escape
        case csi
        case ss3
        /// After `CSI [` (the Linux console's F1–F5): one more byte names the key.
        case linuxFunction
        /// OSC, DCS, APC, PM or SOS: `sawEscape` when an ESC came (ST is ESC \).
        case string(sawEscape: Bool)
        /// After `CSI M`: the three bytes of an X10 mouse report.
        case x10
        case paste
    }

    private var state = State.ground
    private var sequence: [UInt8] = []
    private var utf8: [UInt8] = []
    private var pasteBytes: [UInt8] = []
    /// When the last byte arrived (the deadlines count from it).
    private var last: Duration = .zero
    private var lastClick: (x: Int, y: Int, at: Duration)?
    /// An ESC came before the ESC now pending (Alt sent as a prefix).
    private var altPrefix = false
    /// The CSI or SS3 being read had that Alt prefix.
    private var sequenceAlt = false

    public init() {}

    /// When `expire` must be called if no byte arrives before; nil when nothing waits.
    public var deadline: Duration? {
        switch state {
        case .ground: return utf8.isEmpty ? nil : last + sequenceDelay
        case .escape: return last + escapeDelay
        case .csi, .ss3, .x10, .linuxFunction: return last + sequenceDelay
        case .string: return last + stringDelay
        case .paste: return last + pasteSilence
        }
    }

    public mutating func feed(_ bytes: [UInt8], now: Duration) -> [Event] {
        var out: [Event] = []
        for b in bytes { step(b, now: now, &out) }
        last = now
        return out
    }

    /// What time alone decides: a lone Esc, a paste that stopped, a sequence cut off.
    public mutating func expire(now: Duration) -> [Event] {
        guard let d = deadline, now >= d else { return [] }
        var out: [Event] = []
        switch state {
        case .escape: out += altPrefix ? [.key(.escape), .key(.escape)] : [.key(.escape)]
        case .paste: out += closePaste()
        default: break  // an unfinished sequence or UTF-8 character: dropped whole
        }
        state = .ground
        altPrefix = false
        sequence.removeAll()
        utf8.removeAll()
        return out
    }

    // MARK: - The grammar

    private mutating func step(_ b: UInt8, now: Duration, _ out: inout [Event]) {
        switch state {
        case .paste:
            pasteBytes.append(b)
            if b == 0x7E, pasteBytes.count >= 6, pasteBytes.suffix(6).elementsEqual(Self.pasteEnd) {
                pasteBytes.removeLast(6)
                out += closePaste()
            } else if pasteBytes.count >= pasteCap {
                // A huge paste arrives in pieces (each whole characters), all as pastes:
                // nothing of it is ever read as keys.
                out += pastePiece()
            }
        case .escape:
            escape(b, now: now, &out)
        case .csi:
            csi(b, now: now, &out)
        case .ss3:
            // `ESC O` then a key; some terminals put a modifier in between (`ESC O 5 D`).
            if (0x30...0x39).contains(b) || b == 0x3B { sequence.append(b); return }
            let mods = KeySequence.Mods(Int(String(decoding: sequence, as: UTF8.self)), alt: sequenceAlt)
            sequence.removeAll()
            state = .ground
            if b == 0x1B { state = .escape; return }
            if let k = KeySequence.ss3Key(b, mods) { out.append(.key(k)) }
        case .linuxFunction:
            state = .ground
            if (0x41...0x45).contains(b) { out.append(.key(.f(Int(b) - 0x40))) }
        case let .string(sawEscape):
            // ST (ESC \) or BEL ends the string; CAN or SUB cancel it. Another ESC
            // starts a new sequence, as in xterm: the unfinished string is dropped.
            if sawEscape {
                sequence.removeAll()
                if b == 0x5C { state = .ground } else { escape(b, now: now, &out) }
                return
            }
            switch b {
            case 0x07, 0x18, 0x1A: state = .ground; sequence.removeAll()
            case 0x1B: state = .string(sawEscape: true)
            default:
                // Only the length matters (the content is dropped): a runaway string ends at 1 MiB.
                sequence.append(0)
                if sequence.count > 1 << 20 { state = .ground; sequence.removeAll() }
            }
        case .x10:
            sequence.append(b)
            if sequence.count == 3 {
                let (cb, cx, cy) = (Int(sequence[0]) - 32, Int(sequence[1]) - 33, Int(sequence[2]) - 33)
                sequence.removeAll()
                state = .ground
                mouse(button: cb, x: cx, y: cy, press: cb & 3 != 3, now: now, &out)
            }
        case .ground:
            ground(b, now: now, &out)
        }
    }

    private mutating func ground(_ b: UInt8, now: Duration, _ out: inout [Event]) {
        if !utf8.isEmpty || b >= 0x80 {
            utf8Byte(b, &out)
            return
        }
        switch b {
        case 0x1B: state = .escape
        case 0x09: out.append(.key(.tab))
        case 0x0D: out.append(.key(.enter))
        case 0x0A: out.append(.key(.ctrl("j")))
        case 0x08, 0x7F: out.append(.key(.backspace))
        case 0x01...0x1A: out.append(.key(.ctrl(Character(Unicode.Scalar(b + 96)))))
        case 0x00, 0x1C...0x1F: break
        default: out.append(.key(.char(Character(Unicode.Scalar(b)))))
        }
    }

    private mutating func utf8Byte(_ b: UInt8, _ out: inout [Event]) {
        if utf8.isEmpty {
            // A lead byte; a continuation byte or an invalid lead alone is dropped.
            guard (0xC2...0xF4).contains(b) else { return }
            utf8 = [b]
            return
        }
        guard b & 0xC0 == 0x80 else {
            // The character was cut short: drop it, and read this byte afresh.
            utf8.removeAll()
            if b < 0x80 { ground(b, now: last, &out) } else { utf8Byte(b, &out) }
            return
        }
        utf8.append(b)
        let need = utf8[0] >= 0xF0 ? 4 : utf8[0] >= 0xE0 ? 3 : 2
        guard utf8.count == need else { return }
        let bytes = utf8
        utf8.removeAll()
        // C1 controls (U+0080–U+009F) are control characters too: never typed.
        if let s = String(validating: bytes, as: UTF8.self), let c = s.first, s.count == 1,
           let u = c.unicodeScalars.first, !(0x80...0x9F).contains(u.value) {
            out.append(.key(.char(c)))
        }
    }

    private mutating func escape(_ b: UInt8, now: Duration, _ out: inout [Event]) {
        state = .ground
        // `ESC ESC [ D` is Alt-Left where Alt sends an ESC before the key (iTerm2, rxvt).
        let alt = altPrefix
        altPrefix = false
        switch b {
        case 0x5B: state = .csi; sequence.removeAll(); sequenceAlt = alt     // [
        case 0x4F: state = .ss3; sequence.removeAll(); sequenceAlt = alt     // O
        case 0x1B:
            if alt { out.append(.key(.escape)) }
            altPrefix = true
            state = .escape
        default:
            if alt { out.append(.key(.escape)) }
            switch b {
            case 0x09: out.append(.key(.backTab))                            // the Linux console's Shift-Tab
            case 0x5D, 0x50, 0x5F, 0x5E, 0x58: state = .string(sawEscape: false); sequence.removeAll()  // ] P _ ^ X
            case 0x0D: out.append(.key(.altEnter))
            case 0x7F, 0x08: out.append(.key(.alt("\u{7F}")))
            case 0x20...0x7E: out.append(.key(.alt(Character(Unicode.Scalar(b)))))
            default:
                // Esc, then something that is not a sequence: the Escape key, then that.
                out.append(.key(.escape))
                ground(b, now: now, &out)
            }
        }
    }

    private mutating func csi(_ b: UInt8, now: Duration, _ out: inout [Event]) {
        switch b {
        case 0x40...0x7E:
            // Final byte. `CSI M` alone is an X10 mouse report: three raw bytes follow;
            // `CSI [` alone is the Linux console's F1–F5, one byte follows.
            if sequence.isEmpty, b == 0x4D || b == 0x5B {
                state = b == 0x4D ? .x10 : .linuxFunction
                return
            }
            let params = sequence
            sequence.removeAll()
            state = .ground
            out += finish(params: params, final: b, now: now)
        case 0x24 where !sequence.isEmpty && sequence.allSatisfy({ (0x30...0x39).contains($0) }):
            // rxvt ends its shifted keys with `$` (Shift-Delete is `CSI 3 $`): an
            // intermediate byte by the grammar, a final one there. Nothing else sends
            // `CSI digits $` to an application.
            let params = sequence
            sequence.removeAll()
            state = .ground
            out += finish(params: params, final: b, now: now)
        case 0x20...0x3F:
            sequence.append(b)
            if sequence.count > 64 { sequence.removeAll(); state = .ground }
        case 0x1B:
            // A new escape interrupts an unfinished sequence, which is dropped.
            sequence.removeAll()
            state = .escape
        case 0x18, 0x1A:
            sequence.removeAll()
            state = .ground
        default:
            break  // other controls inside a sequence are ignored
        }
    }

    private mutating func finish(params: [UInt8], final: UInt8, now: Duration) -> [Event] {
        switch KeySequence.csi(params: params, final: final, alt: sequenceAlt) {
        case let .key(k): return [.key(k)]
        case .nothing: return []
        case .pasteStart:
            state = .paste
            pasteBytes.removeAll()
            return []
        case let .mouse(button, x, y, press):
            var out: [Event] = []
            mouse(button: button, x: x, y: y, press: press, now: now, &out)
            return out
        }
    }

    private mutating func mouse(button: Int, x: Int, y: Int, press: Bool, now: Duration, _ out: inout [Event]) {
        guard mouseEnabled, press, x >= 0, y >= 0, button & 32 == 0 else { return }  // no motion, no releases
        switch button & ~(4 | 8 | 16) {
        case 64: out.append(.mouse(.wheelUp, x: x, y: y))
        case 65: out.append(.mouse(.wheelDown, x: x, y: y))
        case 0:
            if let l = lastClick, l.x == x, l.y == y, now - l.at <= doubleClickTime {
                out.append(.mouse(.doubleClick, x: x, y: y))
                lastClick = nil
            } else {
                out.append(.mouse(.click, x: x, y: y))
                lastClick = (x, y, now)
            }
        default: break
        }
    }

    private static let pasteEnd: [UInt8] = [27, 91, 50, 48, 49, 126]  // ESC [ 2 0 1 ~

    private mutating func closePaste() -> [Event] {
        state = .ground
        let bytes = pasteBytes
        pasteBytes.removeAll()
        return KeySequence.pasteText(bytes)
    }

    /// The pasted bytes so far up to the last whole character, as a paste; the rest waits.
    private mutating func pastePiece() -> [Event] {
        var cut = pasteBytes.count
        // Keep back the last bytes if they may begin the end marker.
        if let k = (1...5).reversed().first(where: { pasteBytes.suffix($0).elementsEqual(Self.pasteEnd.prefix($0)) }) { cut -= k }
        // Back off over continuation bytes to the lead byte of a character that may be cut.
        var back = 0
        while back < 3, cut - back - 1 >= 0, pasteBytes[cut - back - 1] & 0xC0 == 0x80 { back += 1 }
        if cut - back - 1 >= 0, pasteBytes[cut - back - 1] >= 0xC0 { cut -= back + 1 }
        // A CR may be the first half of a CRLF: it waits too.
        if cut > 0, pasteBytes[cut - 1] == 0x0D { cut -= 1 }
        let piece = Array(pasteBytes[..<cut])
        pasteBytes.removeFirst(cut)
        return KeySequence.pasteText(piece)
    }
}
