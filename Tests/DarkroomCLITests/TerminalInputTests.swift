import DarkroomCore
import Foundation
import Testing

/// What a terminal sends, sent to the real binary in tmux (`send-keys -l`
/// passes the bytes through as they are): the reproductions of issue 11.
@Suite("Terminal input in tmux", .serialized, .enabled(if: TmuxTests.tmuxAvailable))
struct TerminalInputTests {
    static let esc = "\u{1B}"

    /// The demo at 100x30, mouse off (so a mouse report is unasked-for input).
    static func start(_ tmux: TmuxTests.Tmux, seed: Int) async throws {
        try tmux.start(width: 100, height: 30, env: ["LANG=C.UTF-8", "TERM=xterm-256color", "DARKROOM_MOUSE=0"])
        try tmux.text("\(ProcessTests.binary.path) demo --seed \(seed)\n")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
    }

    /// The prompt's lines as the composer shows them (the text between the pane's borders).
    static func promptLines(_ screen: String) -> [String] {
        screen.split(separator: "\n").map { line in
            line.trimmingCharacters(in: CharacterSet(charactersIn: "│┃ "))
        }
    }

    @Test("a paste that never ends is taken after a short silence; keys, Ctrl-C included, work again")
    func unendedPaste() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        try await Self.start(tmux, seed: 11)
        try tmux.text("\(Self.esc)[200~abc")
        try tmux.text("d")
        _ = try await tmux.waitFor("the paste and the key after it in the prompt") { $0.contains("abcd") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end on Ctrl-C") { $0.contains("darkroom demo ended") }
    }

    @Test("replies, reports, modified keys and broken bytes never leak into the prompt; Shift-Enter is a new line; Ctrl-arrows move by word")
    func nothingLeaks() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        try await Self.start(tmux, seed: 12)
        let e = Self.esc
        try tmux.text("one")
        try tmux.text("\(e)[27;2;13~")            // Shift-Enter as xterm sends it (modifyOtherKeys)
        try tmux.text("two")
        try tmux.text("\(e)[13;2u")               // ... and as CSI-u
        try tmux.text("three")
        try tmux.text("\(e)[12;40R")              // a cursor position report
        try tmux.text("\(e)[?62;22c")             // device attributes
        try tmux.text("\(e)]11;rgb:0000/0000/0000\(e)\\")  // an OSC colour reply
        try tmux.text("\(e)[<0;10;5M")            // SGR mouse, with the mouse off
        try tmux.text("\(e)[1;7Q")                // Ctrl-Alt-F2
        try tmux.run(["send-keys", "-t", "t", "-H", "c3"])  // a lone UTF-8 lead byte
        try tmux.text(" four five")
        try tmux.text("\(e)[1;5D")                // Ctrl-Left, as tmux sends it
        try tmux.text("X")
        let s = try await tmux.waitFor("the typed text") { $0.contains("Xfive") }
        let lines = Self.promptLines(s)
        #expect(lines.contains("one"), "Shift-Enter (xterm) is a new line:\n\(s)")
        #expect(lines.contains("two"), "Shift-Enter (CSI-u) is a new line:\n\(s)")
        #expect(lines.contains { $0.hasPrefix("three four Xfive") }, "nothing between three and four, Ctrl-Left moved one word:\n\(s)")
        for leak in [";2;13~", "13;2u", "12;40R", "62;22c", "rgb:", "0;10;5M", "1;7Q", "Ã"] {
            #expect(!s.contains(leak), "\(leak) leaked onto the screen:\n\(s)")
        }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    @Test("emoji the C library counts differently from Unicode's table leave nothing stale on screen (one width authority)")
    func widthsAgree() async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        try await Self.start(tmux, seed: 13)
        // The placeholder text is on the prompt's first row; a heart with VS16 replaces it.
        try tmux.text("\(Self.esc)[200~ab\(Self.esc)[201~")
        _ = try await tmux.waitFor("the paste") { $0.contains("┃ ab ") }
        try tmux.keys("C-u")
        try tmux.text("\(Self.esc)[200~❤️🈂xy\(Self.esc)[201~")
        let s = try await tmux.waitFor("the emoji") { $0.contains("xy") }
        let row = s.split(separator: "\n").first { $0.contains("xy") }.map(String.init) ?? ""
        #expect(row.contains("❤🈂xy"), "stale or torn cells beside the emoji (the heart is drawn without its VS16): \(row)")
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    /// A captured row's width in cells, as tmux lays it out (wide characters two cells).
    static func cells(_ row: Substring) -> Int {
        row.reduce(0) { $0 + DisplayWidth.unicodeWidth($1) }
    }

    @Test("a family emoji (a ZWJ sequence), flags, skin tones and VS16 never tear the screen: every row keeps the terminal's width",
          arguments: [("👨\u{200D}👩\u{200D}👧\u{200D}👦 fox 狐狸", 100), ("👨\u{200D}👩\u{200D}👧\u{200D}👦 fox 狐狸", 120), ("🇫🇷🇯🇵 flags", 100),
                      ("👍🏽 tone", 100), ("❤️ heart", 120)])
    func joinedEmoji(_ pasted: String, _ width: Int) async throws {
        let tmux = TmuxTests.Tmux()
        defer { tmux.kill() }
        // At 120 columns the prompt's row is shared with the task list's.
        try tmux.start(width: width, height: 30, env: ["LANG=C.UTF-8", "TERM=xterm-256color", "DARKROOM_MOUSE=0"])
        try tmux.text("\(ProcessTests.binary.path) demo --seed 13\n")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.text("\(Self.esc)[200~\(pasted)\(Self.esc)[201~")
        _ = try await tmux.waitFor("the paste") { $0.contains(String(pasted.suffix(4))) }
        try tmux.text(" tail")
        let s = try await tmux.waitFor("the typing") { $0.contains(" tail") }
        let rows = s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(3)
        for (i, row) in rows.enumerated() where row.hasSuffix("│") || row.hasSuffix("┃") {
            #expect(Self.cells(row) == width, "row \(i) is \(Self.cells(row)) cells: \(row)")
        }
        let prompt = rows.first { $0.contains(" tail") }.map(String.init) ?? ""
        #expect(!prompt.contains("-S"), "no left-over of the placeholder: \(prompt)")
        #expect(!prompt.unicodeScalars.contains { $0.value == 0x200D || $0.value == 0xFE0F }, "no joiner or selector sent: \(prompt)")
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }
}
