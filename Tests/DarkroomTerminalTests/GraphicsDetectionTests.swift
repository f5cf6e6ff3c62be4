import DarkroomPreview
import Foundation
import Testing
@testable import DarkroomTerminal

/// What the terminal answers at start, and what darkroom decides from it.
@Suite("Graphics detection")
struct GraphicsDetectionTests {
    static let kittyAnswer = "\u{1B}_Gi=31;OK\u{1B}\\"
    static let cellAnswer = "\u{1B}[6;20;10t"

    @Test("kitty's answers: the query OK, the cell size, device attributes; keys typed meanwhile are kept in order")
    func parseKitty() {
        let bytes = Array(("x" + Self.kittyAnswer + "\u{1B}[A" + Self.cellAnswer + "\u{1B}[?62;22c" + "y").utf8)
        let a = TerminalReplies.parse(bytes)
        #expect(a.kitty == true)
        #expect(a.cellPixels == CellPixels(width: 10, height: 20))
        #expect(a.deviceAttributes == [62, 22])
        #expect(a.isComplete)
        #expect(a.remainder == Array("x\u{1B}[Ay".utf8))
    }

    @Test("an error answer, a sixel terminal (attribute 4), an answer cut short")
    func parseOthers() {
        #expect(TerminalReplies.parse(Array("\u{1B}_Gi=31;EINVAL:bad\u{1B}\\\u{1B}[?62;4;22c".utf8)).kitty == false)
        let xterm = TerminalReplies.parse(Array("\u{1B}[?63;1;2;4;6;9;15;22c".utf8))
        #expect(xterm.kitty == nil && xterm.deviceAttributes?.contains(4) == true)
        let cut = TerminalReplies.parse(Array("\u{1B}_Gi=31;O".utf8))
        #expect(!cut.isComplete && cut.kitty == nil)
        // A window-size report is not a cell size.
        #expect(TerminalReplies.parse(Array("\u{1B}[8;40;120t".utf8)).cellPixels == nil)
    }

    @Test("the questions: kitty's wrapped for tmux inside tmux, the device attributes last")
    func questions() {
        #expect(TerminalReplies.questions(tmux: false).hasSuffix("\u{1B}[16t\u{1B}[c"))
        #expect(TerminalReplies.questions(tmux: false).hasPrefix("\u{1B}_Gi=31,"))
        #expect(TerminalReplies.questions(tmux: true).hasPrefix("\u{1B}Ptmux;\u{1B}\u{1B}_G"))
    }

    func decide(_ answers: TerminalAnswers?, env: [String: String] = [:], passthrough: Bool? = nil) -> GraphicsDetection.Decision {
        decide(.auto, answers, env: env, passthrough: passthrough)
    }

    func decide(_ choice: GraphicsChoice, _ answers: TerminalAnswers?, env: [String: String] = [:], passthrough: Bool? = nil) -> GraphicsDetection.Decision {
        GraphicsDetection.decide(choice: choice, source: "DARKROOM_GRAPHICS", answers: answers, environment: env, passthrough: passthrough)
    }

    @Test("auto: the answers decide; hints only where the answers say nothing")
    func auto() {
        let kitty = TerminalAnswers(kitty: true, deviceAttributes: [62])
        let plain = TerminalAnswers(deviceAttributes: [62, 22])
        let silent = TerminalAnswers()
        #expect(decide(kitty).graphics == .kitty)
        #expect(decide(plain).graphics == .cells)
        // The terminal answered and is not kitty: KITTY_WINDOW_ID leaked from elsewhere is ignored.
        #expect(decide(plain, env: ["KITTY_WINDOW_ID": "1"]).graphics == .cells)
        // No answer at all: the environment is all there is.
        #expect(decide(silent, env: ["KITTY_WINDOW_ID": "1"]).graphics == .kitty)
        #expect(decide(silent, env: ["GHOSTTY_RESOURCES_DIR": "/x"]).reason == "from the environment")
        #expect(decide(silent).graphics == .cells)
        // A sixel terminal (attribute 4) gets sixel; iTerm2 and WezTerm, known only by
        // their environment, iTerm2 images, even though they answered the attributes.
        #expect(decide(TerminalAnswers(deviceAttributes: [63, 4])).graphics == .sixel)
        #expect(decide(plain, env: ["TERM_PROGRAM": "iTerm.app"]).graphics == .iterm2)
        #expect(decide(silent, env: ["WEZTERM_EXECUTABLE": "/usr/bin/wezterm"]).graphics == .iterm2)
        // Inside tmux neither passes: cells.
        #expect(decide(TerminalAnswers(deviceAttributes: [63, 4]), env: ["TMUX": "x"]).graphics == .cells)
        #expect(decide(plain, env: ["TMUX": "x", "TERM_PROGRAM": "iTerm.app"]).graphics == .cells)
    }

    @Test("WezTerm and Konsole answer the kitty query but draw no placeholders: iTerm2 images, sixel, or cells")
    func noPlaceholders() {
        let kittyOK = TerminalAnswers(kitty: true, deviceAttributes: [62, 22])
        #expect(decide(kittyOK, env: ["WEZTERM_EXECUTABLE": "/usr/bin/wezterm-gui"]).graphics == .iterm2)
        #expect(decide(kittyOK, env: ["TERM_PROGRAM": "WezTerm"]).graphics == .iterm2)
        #expect(decide(kittyOK, env: ["KONSOLE_VERSION": "230805"]).graphics == .cells)
        #expect(decide(TerminalAnswers(kitty: true, deviceAttributes: [62, 4]), env: ["KONSOLE_VERSION": "230805"]).graphics == .sixel)
        #expect(decide(kittyOK, env: ["KITTY_WINDOW_ID": "1"]).graphics == .kitty)
    }

    @Test("inside tmux: tmux answers the attributes itself, so hints count; without passthrough, cells and one notice")
    func tmux() {
        let fromTmux = TerminalAnswers(deviceAttributes: [1, 2])
        let env = ["TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "3"]
        #expect(decide(fromTmux, env: env, passthrough: true).graphics == .kitty)
        let off = decide(fromTmux, env: env, passthrough: false)
        #expect(off.graphics == .cells)
        #expect(off.notice == GraphicsDetection.tmuxAdvice)
        #expect(off.notice?.contains("allow-passthrough on") == true)
        // The outer terminal answered through the passthrough.
        #expect(decide(TerminalAnswers(kitty: true, deviceAttributes: [1]), env: ["TMUX": "x"], passthrough: true).graphics == .kitty)
    }

    @Test("forced: honoured; kitty in tmux without passthrough says how to fix it; sixel and iTerm2 in tmux say tmux does not pass them")
    func forced() {
        #expect(decide(.forced(.none), nil).graphics == .none)
        #expect(decide(.forced(.cells), TerminalAnswers(kitty: true)).graphics == .cells)
        // Forced kitty inside a tmux that keeps pictures back: what the notice says is done (cells).
        let k = decide(.forced(.kitty), nil, env: ["TMUX": "x"], passthrough: false)
        #expect(k.graphics == .cells && k.notice == GraphicsDetection.tmuxAdvice)
        #expect(k.reason == "DARKROOM_GRAPHICS=kitty, but tmux without passthrough", "\(k.reason)")
        #expect(decide(.forced(.kitty), nil, env: ["TMUX": "x"], passthrough: true).graphics == .kitty)
        #expect(decide(.forced(.kitty), nil, env: ["TMUX": "x"], passthrough: nil).graphics == .kitty, "unknown: as forced")
        #expect(decide(.forced(.sixel), nil).graphics == .sixel)
        #expect(decide(.forced(.iterm2), nil).graphics == .iterm2)
        let s = decide(.forced(.sixel), nil, env: ["TMUX": "x"])
        #expect(s.graphics == .cells)
        #expect(s.notice == "DARKROOM_GRAPHICS=sixel: tmux does not pass sixel; pictures are drawn in cells (kitty graphics pass tmux).")
        #expect(GraphicsChoice("KITTY") == .forced(.kitty))
        #expect(GraphicsChoice("auto") == .auto)
        #expect(GraphicsChoice("blocks") == nil)
    }

    @Test("the wait: 100 ms, or DARKROOM_GRAPHICS_TIMEOUT within 1 to 5,000 ms")
    func timeout() {
        #expect(TerminalProbe.timeoutMilliseconds(nil) == 100)
        #expect(TerminalProbe.timeoutMilliseconds("") == 100)
        #expect(TerminalProbe.timeoutMilliseconds("soon") == 100)
        #expect(TerminalProbe.timeoutMilliseconds("400") == 400)
        #expect(TerminalProbe.timeoutMilliseconds("0") == 1)
        #expect(TerminalProbe.timeoutMilliseconds("60000") == 5000)
    }

    @Test("asking: answers already waiting are read at once; a terminal that never answers costs the timeout, no more")
    func ask() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let answer = Array((Self.kittyAnswer + Self.cellAnswer + "\u{1B}[?62c").utf8)
        _ = answer.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        var sent = ""
        let a = TerminalProbe.ask(tmux: false, timeout: .seconds(10), input: fds[0]) { sent += $0 }
        #expect(a.kitty == true && a.cellPixels == CellPixels(width: 10, height: 20))
        #expect(sent == TerminalReplies.questions(tmux: false))
        // Nothing comes: back after the timeout with no answers.
        let silent = TerminalProbe.ask(tmux: false, timeout: .milliseconds(30), input: fds[0]) { _ in }
        #expect(silent == TerminalAnswers())
    }
}
