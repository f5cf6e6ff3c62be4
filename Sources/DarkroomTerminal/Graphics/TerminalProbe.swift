import DarkroomPreview
import Foundation

/// Asks the terminal what it can show, once, at start (after the backend took
/// the terminal, before the first frame): the questions of `TerminalReplies`,
/// answers read for at most `timeout`. Inside tmux, asks tmux whether it passes
/// pictures through.
enum TerminalProbe {
    /// The decision, the cell size in pixels, and bytes typed meanwhile (for the key decoder).
    /// The wait is 100 ms, or `DARKROOM_GRAPHICS_TIMEOUT` milliseconds (1 to 5,000: for a
    /// terminal at the end of a slow link, and for tests on a busy machine).
    static func decide(choice: GraphicsChoice, source: String, tmux: Bool) -> (GraphicsDetection.Decision, CellPixels, [UInt8]) {
        let env = ProcessInfo.processInfo.environment
        let timeout = Duration.milliseconds(timeoutMilliseconds(env["DARKROOM_GRAPHICS_TIMEOUT"]))
        // Forced to cells or nothing: no question, no wait.
        if case let .forced(p) = choice, p == .cells || p == .none {
            return (GraphicsDetection.decide(choice: choice, source: source, answers: nil, environment: env, passthrough: nil),
                    kernelCellPixels() ?? .fallback, [])
        }
        let answers = ask(tmux: tmux, timeout: timeout)
        var d = GraphicsDetection.decide(choice: choice, source: source, answers: answers, environment: env, passthrough: tmux ? true : nil)
        // Only kitty pictures need tmux's passthrough: ask tmux (a process) only then.
        if tmux, d.graphics == .kitty {
            d = GraphicsDetection.decide(choice: choice, source: source, answers: answers, environment: env, passthrough: tmuxPassthrough())
        }
        let cell = answers.cellPixels ?? kernelCellPixels()
        // A sixel picture is sized in pixels: with a guessed cell size it could spill
        // past its box, or scroll the screen. Cells, then.
        if d.graphics == .sixel, cell == nil {
            d = .init(graphics: .cells, reason: "sixel, but the terminal gave no cell size",
                      notice: "The terminal speaks sixel but did not say its cell size in pixels (CSI 16 t): pictures are drawn in cells.")
        }
        return (d, cell ?? .fallback, answers.remainder)
    }

    /// 100, or the given milliseconds within 1...5,000.
    static func timeoutMilliseconds(_ raw: String?) -> Int {
        guard let raw, let n = Int(raw.trimmingCharacters(in: .whitespaces)) else { return 100 }
        return min(5000, max(1, n))
    }

    /// Sends the questions and reads until the device attributes arrive or `timeout` passes.
    /// `input` is the terminal (0; tests pass a pipe), `send` writes to it.
    static func ask(tmux: Bool, timeout: Duration, input: Int32 = 0,
                    send: (String) -> Void = { TerminalGuard.write($0) }) -> TerminalAnswers {
        send(TerminalReplies.questions(tmux: tmux))
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while clock.now < deadline {
            let left = TUIRunner<ContinuousClock>.milliseconds(deadline - clock.now)
            var p = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(clamping: max(1, left)))
            if r < 0 && errno == EINTR { continue }
            guard r > 0, p.revents & Int16(POLLIN) != 0 else { break }
            let n = read(input, &buf, buf.count)
            if n <= 0 { break }
            bytes += buf[0..<n]
            if TerminalReplies.parse(bytes).isComplete { break }
        }
        return TerminalReplies.parse(bytes)
    }

    /// tmux's `allow-passthrough` for this pane: on (or all) lets pictures through.
    static func tmuxPassthrough() -> Bool? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "show", "-Apv", "allow-passthrough"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        let v = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return v == "on" || v == "all"
    }

    /// The cell size from the kernel's window size, where the terminal fills in pixels.
    static func kernelCellPixels() -> CellPixels? {
        var w = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0, w.ws_xpixel > 0, w.ws_ypixel > 0 else { return nil }
        return CellPixels(width: Int(w.ws_xpixel / w.ws_col), height: Int(w.ws_ypixel / w.ws_row))
    }
}
