import Foundation

/// Who holds a request of a run that is waiting or being sent (the task's
/// `owner_pid` column): a process id together with that process's start time,
/// so that an owner that died is seen dead even when the kernel gave its id to
/// another process, or to the darkroom now looking (common in containers, where
/// ids start again from 1). A process id alone would keep such requests
/// "being sent by another darkroom" for ever.
///
/// The token is one integer: the pid in its low 22 bits (Linux's largest pid is
/// 2^22) and the start time above them, in clock ticks after boot (field 22 of
/// `/proc/PID/stat`). A row written by an older darkroom holds the pid alone
/// (start time 0): for it, and where `/proc` is missing, the pid alone decides.
enum OwnerToken {
    static let pidBits: Int64 = 22

    /// This process's token.
    static let mine: Int64 = make(pid: getpid(), started: startTime(of: getpid()) ?? 0)

    static func make(pid: Int32, started: UInt64) -> Int64 { Int64(started) << pidBits | Int64(pid) }
    static func pid(_ token: Int64) -> Int32 { Int32(truncatingIfNeeded: token & ((1 << pidBits) - 1)) }
    static func started(_ token: Int64) -> UInt64 { UInt64(token >> pidBits) }

    /// Whether the process the token names is alive: its pid exists and, when
    /// the token has a start time, that process started then.
    static func isAlive(_ token: Int64) -> Bool {
        let p = pid(token)
        guard p > 0, token >= 0, ProcessLiveness.isAlive(p) else { return false }
        let s = started(token)
        guard s != 0, let now = startTime(of: p) else { return true }
        return now == s
    }

    /// A process's start time in clock ticks after boot (`/proc/PID/stat`, field
    /// 22), or nil without `/proc`. The command name (field 2) may hold spaces
    /// and parentheses: fields are counted after its last `)`.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let close = data.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let rest = data[data.index(after: close)...].split(separator: UInt8(ascii: " "))
        // After the name: field 3 (state) is rest[0], so field 22 is rest[19].
        guard rest.count > 19 else { return nil }
        return UInt64(String(decoding: rest[19], as: UTF8.self))
    }
}
