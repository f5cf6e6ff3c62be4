import CNcurses
import Foundation

/// Restores the terminal on every way out: SIGTERM and SIGHUP end the loop
/// cleanly; crash signals (including Swift traps, which raise SIGILL or SIGTRAP)
/// restore the terminal first, then let the signal take its default course.
enum TerminalGuard {
    // Written once before handlers are installed, read by them.
    nonisolated(unsafe) static var wakeFD: Int32 = -1
    nonisolated(unsafe) static var terminateRequested: sig_atomic_t = 0
    nonisolated(unsafe) static var backendActive = false
    nonisolated(unsafe) static var resizeRequested: sig_atomic_t = 0

    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        _ = Glibc.write(1, &bytes, bytes.count)
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
                    endwin()
                    var reset = Array("\u{1B}[?2004l\u{1B}[?25h\r\n".utf8)
                    _ = Glibc.write(1, &reset, reset.count)
                    TerminalGuard.backendActive = false
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
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
}
