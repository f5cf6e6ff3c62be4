import Foundation
import Synchronization

/// A program on a pseudo-terminal, for tests that must see every byte it
/// writes (what tmux would interpret) and answer its questions as a given
/// terminal would. The `answer` function sees all output so far and returns
/// bytes to send back (it keeps its own record of what it answered).
public final class PseudoTerminal: @unchecked Sendable {
    public let pid: pid_t
    private let master: Int32
    private let state = Mutex<(output: [UInt8], exited: Bool)>(([], false))

    /// Starts `argv` on a new pseudo-terminal of `columns` x `rows`.
    public init(_ argv: [String], environment: [String: String], columns: Int = 120, rows: Int = 40,
                answer: @escaping @Sendable (_ output: [UInt8]) -> [UInt8]? = { _ in nil }) throws {
        var m: Int32 = 0, s: Int32 = 0
        var ws = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &ws) == 0 else { throw POSIXError(.ENXIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_adddup2(&actions, s, fd) }
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, 0x80) // POSIX_SPAWN_SETSID (glibc), which Swift does not import: a session of its own
        let cargs = argv.map { strdup($0) } + [nil]
        let cenv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for a in cargs + cenv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cargs, cenv)
        close(s)
        guard rc == 0 else { close(m); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        self.pid = pid
        master = m
        let thread = Thread { [self] in self.read(answer) }
        thread.start()
    }

    private func read(_ answer: @Sendable ([UInt8]) -> [UInt8]?) {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(master, &buf, buf.count)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                // The reader owns the terminal's fd: closed here, once nothing reads it,
                // so its number can never be reused under a read still running.
                close(master)
                state.withLock { $0.exited = true }
                return
            }
            let all = state.withLock { st -> [UInt8] in
                st.output += buf[0..<n]
                return st.output
            }
            if let reply = answer(all), !reply.isEmpty { send(reply) }
        }
    }

    /// Everything the program wrote so far.
    public var output: [UInt8] { state.withLock { $0.output } }

    /// Types bytes at the program (nothing once it has ended).
    public func send(_ bytes: [UInt8]) {
        guard !state.withLock({ $0.exited }) else { return }
        bytes.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = Glibc.write(master, p.baseAddress! + done, p.count - done)
                if n <= 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }
    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Waits until the output satisfies `condition`, polling every 50 ms; false at the deadline.
    public func wait(within seconds: Double = 30, _ condition: ([UInt8]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(output) { return true }
            if state.withLock({ $0.exited }) { return condition(output) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(output)
    }

    /// Ends the program (SIGTERM, then SIGKILL) and waits for the reader to
    /// close the terminal (its reads end when the program's side is gone).
    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<40 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r < 0 { reaped = true; break }
            usleep(50_000)
        }
        if !reaped {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        for _ in 0..<100 where !state.withLock({ $0.exited }) { usleep(20_000) }
    }
}

/// Answers a terminal's start-up questions once, as a given terminal would
/// (tests only): `kitty` (the graphics query OK, cells of 10x20 pixels, device
/// attributes without sixel) or `sixel` (no kitty answer, cells of 10x20,
/// attributes with 4: sixel).
public struct TerminalScript: Sendable {
    /// A new script each time: one answers once, so two terminals never share one.
    public static var kitty: TerminalScript { TerminalScript("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[6;20;10t\u{1B}[?62;22c") }
    public static var sixel: TerminalScript { TerminalScript("\u{1B}[6;20;10t\u{1B}[?63;1;2;4;6;9;15;22c") }

    private final class Seen: @unchecked Sendable { var answered = false; let lock = NSLock() }
    private let seen = Seen()
    private let reply: [UInt8]

    public init(_ reply: String) { self.reply = Array(reply.utf8) }

    public func callAsFunction(_ output: [UInt8]) -> [UInt8]? {
        seen.lock.lock()
        defer { seen.lock.unlock() }
        guard !seen.answered, String(decoding: output, as: UTF8.self).contains("\u{1B}[c") else { return nil }
        seen.answered = true
        return reply
    }
}
