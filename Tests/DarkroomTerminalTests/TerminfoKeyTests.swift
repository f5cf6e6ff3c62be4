import DarkroomTUI
import Foundation
import Testing
@testable import DarkroomTerminal

/// Every key sequence the installed terminfo says real terminals send
/// (xterm, tmux, screen, rxvt, the Linux console, and with Debian's
/// `ncurses-term` alacritty, kitty, konsole, GNOME, iTerm2, PuTTY, mintty, st…)
/// is read as the key it names, or dropped whole: never typed as text.
@Suite("Key decoder: the sequences terminfo lists")
struct TerminfoKeyTests {
    /// From ncurses-base (always on Debian) and ncurses-term (installed by scripts/setup).
    static let base = ["xterm-256color", "xterm", "tmux-256color", "screen-256color", "rxvt-unicode-256color", "linux", "vt220"]
    static let extra = ["alacritty", "kitty", "foot", "st-256color", "konsole", "gnome-256color", "iterm2", "putty-256color", "mintty", "vte-256color"]

    /// The keys darkroom reads, by terminfo capability.
    static let expected: [String: Key] = {
        var m: [String: Key] = [
            "kcuu1": .up, "kcud1": .down, "kcub1": .left, "kcuf1": .right, "khome": .home, "kend": .end,
            "kdch1": .delete, "kpp": .pageUp, "knp": .pageDown, "kcbt": .backTab, "kcbt2": .backTab, "kbs": .backspace, "kent": .enter,
            // xterm's extended names: Shift (no suffix, 2), Alt (3), Ctrl (5).
            "kLFT": .left, "kRIT": .right, "kHOM": .home, "kEND": .end, "kDC": .delete, "kUP": .up, "kDN": .down,
            "kLFT3": .ctrlLeft, "kRIT3": .ctrlRight, "kLFT5": .ctrlLeft, "kRIT5": .ctrlRight, "kUP5": .up, "kDN5": .down,
            "kHOM5": .home, "kEND5": .end, "kDC5": .delete, "kNXT5": .pageDown, "kPRV5": .pageUp,
        ]
        for n in 1...12 { m["kf\(n)"] = .f(n) }
        return m
    }()

    /// Capabilities that are not a key press a user makes (the mouse prefix, the
    /// keypad-transmit toggles) or that name no key darkroom has.
    static let notKeys: Set<String> = ["kmous", "kxIN", "kxOUT"]

    /// `infocmp -1 -x NAME` as capability → bytes; nil when the entry is not installed.
    static func keyCapabilities(_ name: String) -> [String: [UInt8]]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["infocmp", "-1", "-x", name]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        var caps: [String: [UInt8]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("\tk") {
            var l = line.dropFirst()
            if l.hasSuffix(",") { l = l.dropLast() }
            guard let eq = l.firstIndex(of: "=") else { continue } // a boolean such as km
            caps[String(l[..<eq])] = unescape(l[l.index(after: eq)...])
        }
        return caps
    }

    /// terminfo's string escapes (terminfo(5)): \E \e ^X \n \r \t \b \f \s \^ \\ \, \: \0 and \NNN octal.
    static func unescape(_ s: Substring) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        func next() -> UInt8? { guard i < u.endIndex else { return nil }; defer { i = u.index(after: i) }; return u[i] }
        while let c = next() {
            switch c {
            case UInt8(ascii: "^"):
                guard let x = next() else { break }
                out.append(x == UInt8(ascii: "?") ? 127 : x & 0x1F)
            case UInt8(ascii: "\\"):
                guard let x = next() else { break }
                switch x {
                case UInt8(ascii: "E"), UInt8(ascii: "e"): out.append(27)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "s"): out.append(32)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var v = Int(x - 48)
                    for _ in 0..<2 {
                        guard i < u.endIndex, (48...55).contains(u[i]) else { break }
                        v = v * 8 + Int(next()! - 48)
                    }
                    out.append(v == 0 ? 0x80 : UInt8(v & 0xFF))
                default: out.append(x)
                }
            default: out.append(c)
            }
        }
        return out
    }

    @Test("every key capability decodes to its key or to nothing, never to text", arguments: base + extra)
    func terminal(_ name: String) throws {
        guard let caps = Self.keyCapabilities(name) else {
            // The ncurses-base entries are always there on Debian; the others come with ncurses-term.
            #expect(!Self.base.contains(name), "terminfo entry \(name) is missing (is ncurses-base installed?)")
            return
        }
        #expect(caps.count >= 10, "\(name) lists few keys: \(caps.keys.sorted())")
        for (cap, bytes) in caps where !Self.notKeys.contains(cap) {
            let events = decode(bytes)
            if let key = Self.expected[cap] {
                #expect(events == [.key(key)], "\(name) \(cap)=\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            } else {
                // Keys darkroom has no use for (keypad centre, Insert, F13+, modified
                // keys it does not bind): a key or nothing, never characters.
                let typed = events.filter { if case .key(.char) = $0 { return true }; if case .paste = $0 { return true }; return false }
                #expect(typed.isEmpty && events.count <= 1, "\(name) \(cap)=\(String(decoding: bytes, as: UTF8.self).debugDescription) gave \(events)")
            }
        }
    }
}
