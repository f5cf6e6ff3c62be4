import Foundation
import DarkroomCore

/// Restores the terminal on every way out: SIGTERM and SIGHUP end the loop
/// cleanly; crash signals (including Swift traps, which raise SIGILL or SIGTRAP)
/// restore the terminal first, then let the signal take its default course.
enum TerminalGuard {
    // Written once before handlers are installed, read by them.
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    nonisolated(unsafe) static var terminateRequested: sig_atomic_t = 0
    nonisolated(unsafe) static var backendActive = false
    /// Set by the backend: gives the terminal back (ncurses `endwin`) from a crash handler.
    nonisolated(unsafe) static var emergencyRestore: (() -> Void)?
    nonisolated(unsafe) static var resizeRequested: sig_atomic_t = 0
    /// Set by SIGCONT: the process was stopped and continued (our Ctrl-Z, or a
    /// `kill -STOP`/`-CONT` from outside), so the terminal must be taken back.
    nonisolated(unsafe) static var continued: sig_atomic_t = 0
    nonisolated(unsafe) static var continueFDs: (read: Int32, write: Int32) = (-1, -1)

    /// All of `s` to the terminal (`DescriptorOutput.writeAll` on stdout).
    static func write(_ s: String) {
        DescriptorOutput.writeAll(s, to: 1)
    }

    /// Installs the handlers. Call after `initscr`, which installs its own.
    static func install(wakeFD fd: Int32) {
        wakeFD = fd
        for sig in [SIGTERM, SIGHUP] {
            signal(sig) { _ in
                TerminalGuard.terminateRequested = 1
                var b: UInt8 = 2
                _ = Glibc.write(TerminalGuard.wakeFD, &b, 1)
            }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(sig) { sig in
                if TerminalGuard.backendActive {
                    // Not async-signal-safe, but the process is ending anyway; leaving the
                    // terminal raw would be worse (htop does the same).
                    TerminalGuard.emergencyRestore?()
                    var reset = Array("\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?2004l\u{1B}[?25h\r\n".utf8)
                    _ = Glibc.write(1, &reset, reset.count)
                    TerminalGuard.backendActive = false
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            continueFDs = (fds[0], fds[1])
        }
        signal(SIGCONT) { _ in
            TerminalGuard.continued = 1
            var b: UInt8 = 4
            _ = Glibc.write(TerminalGuard.continueFDs.write, &b, 1)
            _ = Glibc.write(TerminalGuard.wakeFD, &b, 1)
        }
        // The resize signal may reach any thread; the handler wakes the terminal thread.
        signal(SIGWINCH) { _ in
            TerminalGuard.resizeRequested = 1
            var b: UInt8 = 3
            _ = Glibc.write(TerminalGuard.wakeFD, &b, 1)
        }
        // A broken pipe must not kill darkroom mid-draw.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Stops the whole process (Ctrl-Z) and returns only once it has been
    /// continued. `kill` to ourselves may return before the stop takes effect in
    /// a multi-threaded process; taking the terminal back in that window would
    /// happen before the shell resets it, leaving it cooked after `fg`.
    static func stopAndWaitForContinue() {
        var buf = [UInt8](repeating: 0, count: 16)
        while Glibc.read(continueFDs.read, &buf, buf.count) > 0 {}
        continued = 0
        kill(getpid(), SIGSTOP)
        var fd = pollfd(fd: continueFDs.read, events: Int16(POLLIN), revents: 0)
        while continued == 0 && continueFDs.read >= 0 {
            _ = poll(&fd, 1, -1)
        }
        while Glibc.read(continueFDs.read, &buf, buf.count) > 0 {}
        continued = 0
    }

    /// True once after each SIGCONT that `stopAndWaitForContinue` did not consume.
    static func takeContinued() -> Bool {
        guard continued != 0 else { return false }
        continued = 0
        var buf = [UInt8](repeating: 0, count: 16)
        while Glibc.read(continueFDs.read, &buf, buf.count) > 0 {}
        return true
    }
}
