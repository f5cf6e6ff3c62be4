import DarkroomCore

/// The bytes that ring the bell and ask the terminal for a desktop
/// notification: OSC 777 (`notify;title;body`: rxvt, foot, kitty, WezTerm, VTE)
/// and OSC 9 (`body`: iTerm2, Windows Terminal, kitty). Terminals ignore the
/// one they do not know. Inside tmux each is wrapped for passthrough, which
/// tmux only lets out with `set -g allow-passthrough on`.
public enum NotificationSequence {
    public static func make(title: String, body: String, bell: Bool, desktop: Bool, inTmux: Bool) -> String {
        var out = bell ? "\u{07}" : ""
        guard desktop else { return out }
        // No control characters, and no `;` that would end a field of OSC 777.
        func field(_ s: String, limit: Int) -> String {
            String(TerminalSanitizer.clean(s).replacingOccurrences(of: ";", with: ",").prefix(limit))
        }
        let t = field(title, limit: 80), b = field(body, limit: 200)
        for osc in ["\u{1B}]777;notify;\(t);\(b)\u{1B}\\", "\u{1B}]9;\(t): \(b)\u{1B}\\"] {
            // tmux passthrough: DCS tmux; with every ESC inside doubled.
            out += inTmux ? "\u{1B}Ptmux;" + osc.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\" : osc
        }
        return out
    }
}
