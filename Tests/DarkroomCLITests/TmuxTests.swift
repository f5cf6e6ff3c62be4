import DarkroomSimulator
import DarkroomTestSupport
import Foundation
import Testing

/// The real binary's TUI in tmux against the simulator: what a user sees.
/// Screens are polled with a deadline, never read after a fixed sleep.
@Suite("The TUI in tmux", .serialized)
struct TmuxTests {
    final class Tmux {
        let socket = "darkroom-test-\(UUID().uuidString.prefix(8))"
        /// Runs a tmux command. Only `capture` reads output: a new session's server
        /// would keep a pipe open forever, so other commands write to /dev/null.
        @discardableResult
        func run(_ args: [String], capture: Bool = false) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["tmux", "-L", socket] + args
            p.standardInput = FileHandle.nullDevice
            guard capture else {
                // Foundation's Process waits for a pipe that tmux's forked server
                // would inherit and keep open: spawn and wait directly instead.
                Self.spawnAndWait(["/usr/bin/tmux", "-L", socket] + args)
                return ""
            }
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        static func spawnAndWait(_ argv: [String]) {
            var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
            // tmux's server lives on: it must not inherit this process's sockets
            // (a simulator's listening socket kept open would swallow connections).
            let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
            for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
            let cargs = argv.map { strdup($0) } + [nil]
            defer { for a in cargs { free(a) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, argv[0], &actions, nil, cargs, environ) == 0 else { return }
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }

        /// Starts the session "t", `width` x `height`, running `command` (a shell by
        /// default) with the `env` given ("NAME=value"; UTF-8 and xterm-256color by default).
        func start(width: Int = 120, height: Int = 40, env: [String] = ["LANG=C.UTF-8", "TERM=xterm-256color"],
                   _ command: String = "bash --norc --noprofile") throws {
            try run(["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", String(width), "-y", String(height)]
                    + env.flatMap { ["-e", $0] } + [command])
        }
        func screen() throws -> String { try run(["capture-pane", "-t", "t", "-p"], capture: true) }
        func keys(_ k: String...) throws { try run(["send-keys", "-t", "t"] + k) }
        func text(_ s: String) throws { try run(["send-keys", "-t", "t", "-l", s]) }
        /// Ends the server and everything in its panes. `kill-server` alone is not
        /// enough: tmux waits for pane processes that outlive the hangup (an
        /// interactive bash), and a leaked server keeps its programs running.
        func kill() {
            let panes = ((try? run(["list-panes", "-a", "-F", "#{pane_pid}"], capture: true)) ?? "").split(separator: "\n").compactMap { Int32($0) }
            let server = Int32(((try? run(["display-message", "-p", "#{pid}"], capture: true)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
            for pid in panes { Glibc.kill(-pid, SIGKILL); Glibc.kill(pid, SIGKILL) }
            _ = try? run(["kill-server"])
            if let server { Glibc.kill(server, SIGKILL) }
        }

        /// Waits until the screen satisfies `condition`, or fails with the last screen.
        /// A capture can catch the terminal halfway through writing a frame (the
        /// header of a list drawn, its last row not yet), so a screen is taken only
        /// when the next capture, 20 ms later, is the same.
        func waitFor(_ what: String, within seconds: Double = 30, _ condition: (String) -> Bool) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            var candidate: String?
            while Date() < deadline {
                last = try screen()
                if condition(last) {
                    if last == candidate { return last }
                    candidate = last
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
                candidate = nil
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("timed out waiting for \(what); the screen was:\n\(last)")
            print("timed out waiting for \(what); the screen was:\n\(last)")
            throw CancellationError()
        }
    }

    static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// How many cells of a screen are block symbols (U+2580...U+259F): how much picture it shows.
    static func blockCells(_ screen: String) -> Int { screen.unicodeScalars.filter { (0x2580...0x259F).contains($0.value) }.count }

    @Test("compose, submit, watch it succeed, resize, quit with Ctrl-C, and find the task again", .enabled(if: tmuxAvailable))
    func composeSubmitQuitRestart() async throws {
        var config = SimulatorConfig()
        config.speed = 4
        let sim = try await SimulatorServer.start(config: config)
        defer { Task { await sim.stop() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = Tmux()
        defer { tmux.kill() }
        let env = ["HOME=\(home.path)", "XDG_DATA_HOME=\(home.path)/data", "XDG_CONFIG_HOME=\(home.path)/config",
                   "XDG_STATE_HOME=\(home.path)/state", "DARKROOM_BASE_URL=\(sim.baseURL.absoluteString)",
                   "DARKROOM_API_KEY=sk-tmux-test-0001", "LANG=C.UTF-8", "TERM=xterm-256color"]
        try tmux.start(env: env)
        try tmux.text("\(ProcessTests.binary.path)\n")
        _ = try await tmux.waitFor("the composer") { $0.contains("Compose") && $0.contains("Describe the image") }
        try tmux.text("a lighthouse at dusk 一只猫")
        try tmux.keys("C-s")
        _ = try await tmux.waitFor("the task to succeed") { s in
            s.split(separator: "\n").contains { $0.contains("100%") && $0.contains("a lighthouse at dusk") }
        }
        let saved = try await tmux.waitFor("the saved file in the detail") { $0.contains("saved 384x384") }
        #expect(saved.contains("done"))
        try tmux.run(["resize-window", "-t", "t", "-x", "80", "-y", "24"])
        _ = try await tmux.waitFor("the narrow layout with tabs") { $0.hasPrefix(" Compose   Tasks   Detail") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the shell prompt back") { $0.contains("bash-") && !$0.contains("Compose") }
        // The marker is split in the command so only the output line matches.
        try tmux.text("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo \"DO\"\"NE\"\n")
        // Wait for the whole answer line (tr prints its part before echo prints DONE).
        func answer(_ screen: String) -> String? { screen.split(separator: "\n").first { $0.hasSuffix("DONE") && !$0.contains("grep") }.map(String.init) }
        let line = answer(try await tmux.waitFor("stty's answer") { answer($0) != nil }) ?? ""
        #expect(line == "icanon echo DONE", "the terminal after quitting: \(line)")
        try tmux.text("\(ProcessTests.binary.path)\n")
        _ = try await tmux.waitFor("the TUI again") { $0.contains("Compose") }
        try tmux.keys("F3")
        _ = try await tmux.waitFor("the task again after a restart") { $0.contains("a lighthouse at dusk") && $0.contains("100%") }
        try tmux.keys("C-c")
    }

    @Test("the demo starts with seeded history and quits cleanly", .enabled(if: tmuxAvailable))
    func demo() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 100, height: 30)
        try tmux.text("\(ProcessTests.binary.path) demo --seed 300\n")
        let s = try await tmux.waitFor("the seeded list") { $0.contains("✓ 2") || $0.contains("done") && $0.contains("Compose") }
        #expect(s.contains("demo http://127.0.0.1:"))
        try tmux.keys("F3")
        try tmux.text("/")
        try tmux.text("lighthouse")
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the search title") { $0.contains("Tasks /lighthouse") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    @Test("SIGTERM, SIGHUP and a crash signal all leave the terminal sane", .enabled(if: tmuxAvailable),
          arguments: ["TERM", "HUP", "SEGV"])
    func signalsRestoreTheTerminal(signal: String) async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 100, height: 30)
        // A seed no other test uses marks this process for pkill.
        let marker = 1000 + Int.random(in: 0..<9000)
        try tmux.text("\(ProcessTests.binary.path) demo --seed \(marker)\n")
        _ = try await tmux.waitFor("the demo") { $0.contains("Compose") && $0.contains("done") }
        try Tmux.kill(signal: signal, matching: "demo --seed \(marker)")
        _ = try await tmux.waitFor("the shell after SIG\(signal)") { $0.split(separator: "\n").last { !$0.isEmpty }?.hasPrefix("bash-") == true }
        try tmux.text("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo \"DO\"\"NE\"\n")
        let stty = try await tmux.waitFor("stty's answer") { $0.split(separator: "\n").contains { $0.hasSuffix("DONE") && !$0.contains("grep") } }
        let line = stty.split(separator: "\n").first { $0.hasSuffix("DONE") && !$0.contains("grep") }.map(String.init) ?? ""
        #expect(line == "icanon echo DONE", "after SIG\(signal): \(line)")
    }

    // A regression test for a race: `kill(getpid(), SIGSTOP)` can return before the
    // stop takes effect, and darkroom took the terminal back before the shell reset
    // it, so after fg the terminal was cooked (typed keys echoed, Ctrl-C killed the
    // process without its closing line). Typing and Ctrl-C after fg catch both.
    @Test("Ctrl-Z suspends to the shell and fg brings the TUI back, fully redrawn and raw")
    func suspendAndResume() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(width: 100, height: 30)
        try tmux.text("\(ProcessTests.binary.path) demo --seed 5\n")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.keys("C-z")
        _ = try await tmux.waitFor("the job stopped") { $0.contains("Stopped") }
        try tmux.text("fg\n")
        _ = try await tmux.waitFor("the TUI again") { $0.contains("Describe the image") && $0.contains("Compose") }
        try tmux.text("typed after fg")
        let s = try await tmux.waitFor("the prompt typed") { $0.contains("typed after fg") }
        #expect(!s.contains("typed after fgmage"), "the screen was not fully redrawn after fg")
        try tmux.keys("C-c")
        // Either the demo ends cleanly, or the shell is back after a kernel SIGINT (the TUI gone).
        let end = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") || (!$0.contains("Tab next") && $0.contains("^C")) }
        #expect(end.contains("darkroom demo ended"), "Ctrl-C after fg reached the kernel, not darkroom: the terminal was not raw")
    }

    @Test("previews in the real binary: half blocks in the detail, v full screen, and a mouse click selects a task")
    func previewsAndMouse() async throws {
        // `swift test` runs with NO_COLOR=1, which turns previews off; an empty NO_COLOR means unset.
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR="], "\(ProcessTests.binary.path) demo --seed 5; sleep 60")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.keys("F3")
        // The newest seeded task has a painted picture: the detail pane draws it.
        let detail = try await tmux.waitFor("the preview") { Self.blockCells($0) >= 200 && $0.contains("PNG") && $0.contains("v full screen") }
        #expect(!detail.contains("no preview"))
        try tmux.keys("v")
        let full = try await tmux.waitFor("the full-screen preview") { $0.contains("Esc back") && $0.contains("PNG · cells  ") }
        #expect(Self.blockCells(full) >= 1000)
        try tmux.keys("Escape")
        _ = try await tmux.waitFor("the panes again") { $0.contains("Detail") }
        // An X10 mouse press and release on the third task row (column 60, row 4).
        func mouse(_ button: Int) -> String { "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + 60))) + String(UnicodeScalar(UInt8(33 + 4))) }
        let third = try await tmux.waitFor("the list") { $0.split(separator: "\n").count > 5 }
        let row = third.split(separator: "\n")[4]
        let model = try #require(row.split(separator: " ").first { $0.hasPrefix("NanoBanana") || $0.hasPrefix("gpt-image") })
        try tmux.text(mouse(0) + mouse(3))
        let after = try await tmux.waitFor("the detail of the clicked task") { screen in
            screen.split(separator: "\n").dropFirst(20).contains { $0.contains("Request  \(model)") }
        }
        #expect(after.contains("Request  \(model)"))
        // P switches to the demo's second profile, on its own simulator.
        try tmux.keys("P")
        _ = try await tmux.waitFor("the profile list") { $0.contains("demo-flaky") }
        try tmux.keys("Down")
        try tmux.keys("Enter")
        _ = try await tmux.waitFor("the other profile") { $0.contains("demo-flaky http://127.0.0.1") && $0.contains("No tasks yet") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    @Test("a task that ends while the user composes: the status bar says so, with the bell and OSC 777/9 when the config asks")
    func notifications() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-notify-\(UUID().uuidString)")
        let config = home.appendingPathComponent("darkroom/config.toml")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "[notifications]\nbell = true\ndesktop = true\n".write(to: config, atomically: true, encoding: .utf8)
        chmod(config.path, 0o600)
        defer { try? FileManager.default.removeItem(at: home) }
        let log = home.appendingPathComponent("pane.log").path
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "XDG_CONFIG_HOME=\(home.path)"], "\(ProcessTests.binary.path) demo --seed 0 --speed 20; sleep 60")
        try tmux.run(["pipe-pane", "-t", "t", "-o", "cat > \(log)"])
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.text("a fox in the snow")
        try tmux.keys("C-s")
        let screen = try await tmux.waitFor("the announcement") { $0.contains("✓ #1 done: a fox") }
        // The demo's gateway prices gpt-image-2 at $0.04 a picture.
        #expect(screen.contains("≈ $0.040 this session"))
        let bytes = try String(decoding: Data(contentsOf: URL(fileURLWithPath: log)), as: UTF8.self)
        #expect(bytes.contains("\u{07}"), "the bell")
        // Inside tmux (TMUX is set in its panes) both are wrapped for passthrough.
        #expect(bytes.contains("\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;darkroom: task done;#1 a fox in the snow\u{1B}\u{1B}\\\u{1B}\\"))
        #expect(bytes.contains("\u{1B}Ptmux;\u{1B}\u{1B}]9;darkroom: task done: #1 a fox in the snow\u{1B}\u{1B}\\\u{1B}\\"))
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }
}

extension TmuxTests {
    @Test("closing the demo's window (SIGHUP) ends it cleanly: its temporary folder is removed, nothing traps", .enabled(if: tmuxAvailable))
    func hangupRemovesFolder() async throws {
        let folder = TempDir()
        let tmp = folder.url
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "TMPDIR=\(tmp.path)"],
                       "exec \(ProcessTests.binary.path) demo --seed 5")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        let demoFolders = { (try? FileManager.default.contentsOfDirectory(atPath: tmp.path))?.filter { $0.hasPrefix("darkroom-demo-") } ?? [] }
        #expect(demoFolders().count == 1)
        // The window closes: the terminal's other end goes away (the tmux server, killed
        // outright), so the kernel hangs up the demo's terminal and every write to it fails.
        let server = try #require(Int32(try tmux.run(["display-message", "-p", "#{pid}"], capture: true)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        Glibc.kill(server, SIGKILL)
        // Another process: wait for it with a deadline.
        let deadline = Date().addingTimeInterval(20)
        while !demoFolders().isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(demoFolders().isEmpty, "the demo's folder is left behind: it did not end cleanly")
    }

    @Test("d on a seeded demo task whose links are dead keeps its picture, says so, and v still shows it")
    func downloadAgainKeepsThePicture() async throws {
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR="], "\(ProcessTests.binary.path) demo --seed 5; sleep 60")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        try tmux.keys("F3")
        // The demo paints its seeded pictures while it runs: on a machine busy with other tests, that takes a while.
        _ = try await tmux.waitFor("the preview", within: 90) { Self.blockCells($0) >= 200 && $0.contains("PNG") && $0.contains("v full screen") }
        try tmux.keys("d")
        let after = try await tmux.waitFor("the outcome in the status bar") { $0.contains("re-download failed, saved copy kept") && !$0.contains("Downloading the results") }
        #expect(after.contains("re-download failed: the host"), "the failure beside the result")
        #expect(Self.blockCells(after) >= 200, "the preview stays")
        #expect(after.contains("saved 384x"), "the result stays saved")
        try tmux.keys("v")
        _ = try await tmux.waitFor("the full-screen preview") { $0.contains("Esc back") && $0.contains("PNG · cells  ") }
        try tmux.keys("Escape")
        _ = try await tmux.waitFor("the panes again") { $0.contains("Detail") }
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }

    @Test("while another process holds the history's write lock, typing still shows at once; the submit lands after")
    func lockedHistoryKeepsTheScreenAlive() async throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.start(env: ["LANG=C.UTF-8", "TERM=xterm-256color", "TMPDIR=\(tmp.path)"], "\(ProcessTests.binary.path) demo --seed 5 --speed 4; sleep 60")
        _ = try await tmux.waitFor("the demo") { $0.contains("Describe the image") }
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: tmp.path).first { $0.hasPrefix("darkroom-demo-") })
        let lock = try LockHolder(path: tmp.appendingPathComponent(folder).appendingPathComponent("history.sqlite").path)
        try tmux.text("a lighthouse typed while the history is locked")
        try tmux.keys("C-s")
        try tmux.text(" and more")
        // The screen follows the keys while every history write waits.
        _ = try await tmux.waitFor("the typed text", within: 3) { $0.contains("and more") }
        lock.release()
        _ = try await tmux.waitFor("the task once the lock is gone, sent and done") { s in
            s.split(separator: "\n").contains { $0.contains("a lighthouse typed") && $0.contains("done") }
        }
        // The submit's own answer (it ends "in flight") is in the message log.
        try tmux.keys("F3")
        try tmux.text("L")
        _ = try await tmux.waitFor("the submit's answer in the log") { $0.contains("Submitted task_") }
        try tmux.keys("Escape")
        try tmux.keys("C-c")
        _ = try await tmux.waitFor("the demo to end") { $0.contains("darkroom demo ended") }
    }
}

extension TmuxTests.Tmux {
    static func kill(signal: String, matching pattern: String) throws {
        spawnAndWait(["/usr/bin/pkill", "-\(signal)", "-f", pattern])
    }
}
