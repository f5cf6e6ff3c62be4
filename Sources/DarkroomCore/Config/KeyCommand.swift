import Foundation

/// Runs a profile's `api_key_command` (through `/bin/sh -c`) and returns what it
/// printed, with a time limit: a command that fails, prints nothing or does not
/// finish gives a `KeyCommandError` naming it, never a hang.
///
/// - `attached` (the CLI, before any screen is drawn): the command shares the
///   terminal, so `pass` or pinentry may ask for a passphrase. Default limit 120 s.
/// - `detached` (inside the TUI, which owns the terminal): standard input is
///   /dev/null and the command runs in a session of its own with no controlling
///   terminal, so nothing it runs can fight ncurses for the screen; what it
///   writes on stderr is kept for the message. Default limit 30 s.
///
/// Blocking: call it off the cooperative pool (`ConfigResolver.resolveDetached` does).
public enum KeyCommand {
    public enum Mode: Sendable { case attached, detached }

    public static func defaultTimeout(_ mode: Mode) -> Duration { mode == .attached ? .seconds(120) : .seconds(30) }

    public static func run(_ command: String, mode: Mode, timeout: Duration? = nil) throws(KeyCommandError) -> String {
        let limit = timeout ?? defaultTimeout(mode)
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw KeyCommandError(command: command, reason: "no pipe could be made") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if mode == .detached { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        if mode == .detached { posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2) }
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Signals the TUI ignores or catches start at their defaults in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        // glibc's POSIX_SPAWN_SETSID (0x80, since 2.26; behind _GNU_SOURCE, so not visible to Swift):
        // the child starts a new session with no controlling terminal.
        if mode == .detached { flags |= 0x80 }
        posix_spawnattr_setflags(&attr, Int16(flags))

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for a in argv { free(a) } }
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        defer { close(outPipe[0]); close(errPipe[0]) }
        guard spawned == 0 else {
            throw KeyCommandError(command: command, reason: "it could not be started (\(String(cString: strerror(spawned))))")
        }

        let deadline = ContinuousClock.now + limit
        var out: [UInt8] = [], err: [UInt8] = []
        var open: Set<Int32> = [outPipe[0], errPipe[0]]
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                kill(mode == .detached ? -pid : pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                throw KeyCommandError(command: command, reason: "it did not finish within \(TimeText.seconds(limit)) and was stopped")
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ms = Int32(min(1000, max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            if poll(&fds, nfds_t(fds.count), ms) < 0, errno != EINTR { break }
            for f in fds where f.revents != 0 {
                let n = read(f.fd, &buffer, buffer.count)
                if n <= 0 { open.remove(f.fd); continue }
                if f.fd == outPipe[0] { out += buffer[0..<n] } else if err.count < 2000 { err += buffer[0..<n] }
                // A key is short: a command that prints megabytes is not a key command.
                if out.count > 64 * 1024 {
                    kill(mode == .detached ? -pid : pid, SIGKILL)
                    var status: Int32 = 0
                    waitpid(pid, &status, 0)
                    throw KeyCommandError(command: command, reason: "it printed more than 64 KiB; a key is one short line")
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        let said = TerminalSanitizer.clean(String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        guard exited && code == 0 else {
            let how = exited ? "it exited with status \(code)" : "it was killed by signal \(status & 0x7f)"
            throw KeyCommandError(command: command, reason: how + (said.isEmpty ? "" : ": \(said.prefix(300))"))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public struct KeyCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public let command: String
    public let reason: String

    public var description: String { "api_key_command `\(TerminalSanitizer.clean(command))`: \(reason)" }
}
