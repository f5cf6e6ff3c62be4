/// Makes untrusted text (server messages, URLs, prompts read back from a server)
/// safe to show on a terminal.
///
/// Removes whole escape sequences (CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ST`,
/// DCS/SOS/PM/APC strings, and two-byte `ESC x`), every other C0 control
/// (U+0000–U+001F) and DEL, and the C1 controls (U+0080–U+009F, including
/// the 8-bit CSI U+009B and OSC U+009D with what they introduce).
/// Newlines and tabs are kept only when `keepNewlines` is true (tabs become a space).
public enum TerminalSanitizer {
    /// Data from a server (a task id) shown so that it is both harmless and
    /// exact: each control character (C0, DEL, C1) written as `\xNN`, so
    /// "t ESC [31m red" reads `t\x1B[31mred`, never a different valid-looking id.
    public static func visible(_ text: String) -> String {
        replacingControls(text) { "\\x" + String(format: "%02X", $0.value) }
    }

    /// A link from a server for a script's output: control characters
    /// percent-encoded (they are not allowed in a URL), everything else kept.
    public static func link(_ text: String) -> String {
        replacingControls(text) { u in String(u).utf8.map { String(format: "%%%02X", $0) }.joined() }
    }

    /// `text` with each control character (C0, DEL, C1) written as `spelled` says.
    private static func replacingControls(_ text: String, _ spelled: (Unicode.Scalar) -> String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        for u in text.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += spelled(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    public static func clean(_ text: String, keepNewlines: Bool = false) -> String {
        // Most text is plain printable ASCII: nothing to remove.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = String.UnicodeScalarView()
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return it.next()
        }
        while let s = next() {
            let v = s.value
            switch v {
            case 0x1B: // ESC
                guard let introducer = next() else { break }
                switch introducer.value {
                case 0x5B: skipCSI(&it)                     // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: skipString(&it) // OSC, DCS, SOS, PM, APC
                default: break                              // two-byte sequence: drop both
                }
            case 0x9B: skipCSI(&it)
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F: skipString(&it)
            case 0x0A, 0x0D:
                if keepNewlines { if v == 0x0A { out.append("\n") } } else { out.append(" ") }
            case 0x09: out.append(" ")
            case 0x00...0x1F, 0x7F, 0x80...0x9F: continue
            // Bidirectional overrides can make a URL or message read differently than it is.
            case 0x202A...0x202E, 0x2066...0x2069: continue
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Skips the parameter and intermediate bytes of a CSI sequence and its final byte.
    private static func skipCSI(_ it: inout String.UnicodeScalarView.Iterator) {
        while let s = it.next() {
            if (0x40...0x7E).contains(s.value) { return }
            if !(0x20...0x3F).contains(s.value) { return }
        }
    }

    /// Skips a control string up to BEL, ST (`ESC \`) or the 8-bit ST (U+009C).
    private static func skipString(_ it: inout String.UnicodeScalarView.Iterator) {
        while let s = it.next() {
            switch s.value {
            case 0x07, 0x9C: return
            case 0x1B: _ = it.next(); return
            default: continue
            }
        }
    }

    /// The first `limit` bytes of a body, decoded leniently and cleaned, for error messages.
    public static func preview(of bytes: [UInt8], limit: Int = 120) -> String {
        let head = Array(bytes.prefix(limit))
        var text = clean(String(decoding: head, as: UTF8.self))
        if bytes.count > limit { text += "…" }
        return text
    }
}
