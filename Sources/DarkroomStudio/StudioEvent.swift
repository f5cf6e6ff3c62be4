import DarkroomCore
import DarkroomHistory

/// What the Studio tells its faces (CLI, TUI) as things happen.
public enum StudioEvent: Sendable, Equatable {
    /// A task's record changed: submitted, status, progress, results, downloads, watching.
    case changed(TaskRecord)
    /// The key was refused; polling is paused until `Studio.resumePolling()`.
    case authFailed(message: String)
    /// Queries for a task keep failing; polling goes on.
    /// `silent`: the server does not answer (queries time out), rather than failing.
    case stale(taskID: String, message: String, silent: Bool)
    case recovered(taskID: String)
    /// The history could not be written (a full disk, a damaged file): what
    /// happened since is not recorded; faces stop waiting and say so.
    case historyFailed(message: String)
    /// Something to say once about a task; polling goes on (see `PollerUpdate.note`).
    case note(taskID: String, message: String)
    case resumed
}

/// What became of downloading a task's results (`Studio.downloadNow`).
public struct DownloadReport: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var index: Int
        public var message: String
        /// The result was saved before and its file is kept as it was.
        public var keptSavedCopy: Bool

        public init(index: Int, message: String, keptSavedCopy: Bool) {
            self.index = index
            self.message = message
            self.keptSavedCopy = keptSavedCopy
        }
    }

    /// The task afterwards.
    public var record: TaskRecord?
    /// Results saved by this call.
    public var saved: [Int] = []
    /// Results this call could not save.
    public var failed: [Failure] = []

    public init(record: TaskRecord?, saved: [Int] = [], failed: [Failure] = []) {
        self.record = record
        self.saved = saved
        self.failed = failed
    }

    /// One line for a status bar or a terminal, the outcome first (a status bar
    /// may cut the end): what was saved, what failed, whether a saved copy was kept.
    public var summary: String {
        let name = record.map { "#\($0.localID)" } ?? "the task"
        if failed.isEmpty {
            return saved.isEmpty ? "\(name): nothing to download" : "\(name): saved \(saved.count) result\(saved.count == 1 ? "" : "s")"
        }
        let f = failed[0]
        var s = f.keptSavedCopy ? "\(name) re-download failed, saved copy kept: \(f.message)"
                                : "\(name) download failed (result \(f.index)): \(f.message)"
        if failed.count > 1 { s += " (and \(failed.count - 1) more)" }
        if !saved.isEmpty { s += "; \(saved.count) saved" }
        return s
    }
}

/// Why `Studio.submit` did not produce a task.
public enum StudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request is invalid; nothing was written or sent.
    case invalid(ValidationFailure)
    /// The submit failed; the record says whether the task may exist (`submit_unknown`)
    /// or surely does not (`submit_failed`).
    case submitFailed(record: TaskRecord?, error: ClientError)
    /// The history could not be written before sending, so nothing was sent.
    case storage(String)
    /// The server created the task, but the history could not take its id.
    /// `journal` is where the id was kept instead (nil: nowhere but here).
    case recordFailed(taskID: String, localID: Int64, journal: String?, reason: String)

    public var description: String {
        switch self {
        case let .invalid(f): return "the request is not valid; nothing was sent:\n" + f.problems.map { "  \($0)" }.joined(separator: "\n")
        case let .submitFailed(_, e): return e.description
        case let .storage(m): return "the history could not be written, so nothing was sent: \(m)"
        case let .recordFailed(id, local, journal, reason):
            let kept = journal.map { "It was kept in \($0) and goes into the history at the next start" }
                ?? "Write this id down: it is kept nowhere else"
            let shown = TerminalSanitizer.clean(id)
            return "the server created task \(shown) (#\(local)), but the history could not record it (\(reason)). \(kept); `darkroom watch \(shown)` follows it"
        }
    }
}
