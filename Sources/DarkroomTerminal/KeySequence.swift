import DarkroomTUI

/// What a terminal's sequences mean, as pure functions: the tables of xterm's
/// ctlseqs (PC-style function keys with their modifier parameter), the CSI-u form,
/// and the forms of rxvt and the Linux console. `KeyDecoder` cuts the bytes into
/// sequences; this names them.
enum KeySequence {
    /// What a CSI sequence asks for.
    enum Meaning: Equatable {
        case key(Key)
        /// Understood or not, nothing to do (a report, a key darkroom has no use for).
        case nothing
        /// `CSI 200 ~`: a bracketed paste begins.
        case pasteStart
        /// An SGR mouse report (cells 0-based).
        case mouse(button: Int, x: Int, y: Int, press: Bool)
    }


    /// xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4, meta 8).
    struct Mods {
        let shift: Bool, alt: Bool, ctrl: Bool
        init(_ p: Int?, alt prefix: Bool = false) {
            let m = max(0, (p ?? 1) - 1)
            shift = m & 1 != 0
            alt = prefix || m & 2 != 0 || m & 8 != 0
            ctrl = m & 4 != 0
        }
    }

    static func csi(params raw: [UInt8], final: UInt8, alt sequenceAlt: Bool) -> Meaning {
        let text = String(decoding: raw, as: UTF8.self)
        let privateMarker = text.first.map { "<=>?".contains($0) } ?? false
        let hasIntermediate = raw.contains { (0x20...0x2F).contains($0) }
        let fields = text.dropFirst(privateMarker ? 1 : 0).split(separator: ";", omittingEmptySubsequences: false)
        // Sub-parameters (`1:2`) keep their first value.
        let p = fields.map { Int($0.split(separator: ":").first ?? "") }
        func param(_ i: Int) -> Int? { i < p.count ? p[i] : nil }

        if text.first == "<", final == 0x4D || final == 0x6D {           // SGR mouse: CSI < b ; x ; y M/m
            guard let b = param(0), let x = param(1), let y = param(2) else { return .nothing }
            return .mouse(button: b, x: x - 1, y: y - 1, press: final == 0x4D)
        }
        if privateMarker || hasIntermediate { return .nothing }                 // device reports and the like
        let mods = Mods(param(1), alt: sequenceAlt)
        // A function key with a modifier (Ctrl-Alt-F2 is `CSI 1;7Q`) has no use here: dropped whole.
        func fkey(_ n: Int) -> Meaning { (param(1) ?? 1) > 1 || sequenceAlt || [0x24, 0x5E, 0x40].contains(final) ? .nothing : .key(.f(n)) }
        func arrow(_ plain: Key, _ word: Key?) -> Meaning {
            if let word, mods.ctrl || mods.alt { return .key(word) }
            return .key(plain)
        }
        switch final {
        case 0x41, 0x61: return arrow(.up, nil)                          // A (a: rxvt's Shift-Up)
        case 0x42, 0x62: return arrow(.down, nil)                        // B
        case 0x43, 0x63: return arrow(.right, .ctrlRight)                // C
        case 0x44, 0x64: return arrow(.left, .ctrlLeft)                  // D
        case 0x48: return .key(.home)                                  // H
        case 0x46: return .key(.end)                                   // F
        case 0x5A: return .key(.backTab)                               // Z
        case 0x50, 0x51, 0x53:                                           // P Q S: F1 F2 F4
            return fkey(Int(final) - 0x50 + 1)
        case 0x52:                                                       // R: F3, or a cursor report
            return param(0) == 1 || p.isEmpty ? fkey(3) : .nothing
        case 0x7E, 0x24, 0x5E, 0x40:                                     // ~, and rxvt's $ ^ @
            guard let n = param(0) else { return .nothing }
            if final != 0x7E, n == 200 || n == 27 { return .nothing }
            switch n {
            case 1, 7: return .key(.home)
            case 4, 8: return .key(.end)
            case 3: return .key(.delete)
            case 5: return .key(.pageUp)
            case 6: return .key(.pageDown)
            case 2: return .nothing                                      // Insert: unused
            case 11...15: return fkey(n - 10)
            case 17...21: return fkey(n - 11)
            case 23, 24: return fkey(n - 12)
            case 200: return .pasteStart
            case 27: return param(2).flatMap { codeKey($0, Mods(param(1), alt: sequenceAlt)) }.map { .key($0) } ?? .nothing
            default: return .nothing
            }
        case 0x75:                                                       // u: CSI-u
            guard let code = param(0) else { return .nothing }
            // kitty's event type (`;mods:3`) : a release is not a key press.
            if fields.count > 1, fields[1].split(separator: ":").dropFirst().first == "3" { return .nothing }
            return codeKey(code, mods).map { .key($0) } ?? .nothing
        default:
            return .nothing                                              // cursor reports, focus, window ops...
        }
    }

    /// A key given by its code point and modifiers (CSI-u, `CSI 27;m;code ~`).
    static func codeKey(_ code: Int, _ m: Mods) -> Key? {
        if KittyKeyCode.privateUse.contains(code) { return KittyKeyCode.key(code, m) }
        switch code {
        case 13: return m.shift ? .shiftEnter : m.alt ? .altEnter : .enter
        case 9: return m.shift ? .backTab : .tab
        case 27: return .escape
        case 8, 127: return m.alt ? .alt("\u{7F}") : .backspace
        default:
            guard code >= 32, let s = Unicode.Scalar(code) else { return nil }
            let c = Character(s)
            if m.ctrl, s.isASCII, s.properties.isAlphabetic { return .ctrl(Character(String(c).lowercased())) }
            if m.alt { return .alt(c) }
            return .char(m.shift ? Character(String(c).uppercased()) : c)
        }
    }

    static func ss3Key(_ b: UInt8, _ m: Mods) -> Key? {
        switch b {
        case 0x41, 0x61: return .up                      // a-d: rxvt's Ctrl-arrows
        case 0x42, 0x62: return .down
        case 0x43: return m.ctrl || m.alt ? .ctrlRight : .right
        case 0x44: return m.ctrl || m.alt ? .ctrlLeft : .left
        case 0x63: return .ctrlRight
        case 0x64: return .ctrlLeft
        case 0x48: return .home
        case 0x46: return .end
        case 0x4D: return .enter
        case 0x50...0x53: return m.shift || m.ctrl || m.alt ? nil : .f(Int(b) - 0x50 + 1)
        default: return nil
        }
    }

    /// Pasted bytes as text: invalid UTF-8 dropped (never replaced), CR and CRLF as
    /// newlines, tabs kept, every other control character (ESC included) dropped.
    static func pasteText(_ bytes: [UInt8]) -> [Event] {
        let decoded = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var scalars = String.UnicodeScalarView()
        for u in decoded.unicodeScalars {
            switch u.value {
            case 0x0D: scalars.append("\n")
            case 0x09, 0x0A: scalars.append(u)
            case 0xFFFD, 0x00..<0x20, 0x7F...0x9F: continue
            default: scalars.append(u)
            }
        }
        return scalars.isEmpty ? [] : [.paste(String(scalars))]
    }
}
