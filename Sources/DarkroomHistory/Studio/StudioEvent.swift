import DarkroomCore

/// What the Studio tells its faces (CLI, TUI) as things happen.
public enum StudioEvent: Sendable, Equatable {
    /// A task's record changed: submitted, status, progress, results, downloads.
    case changed(TaskRecord)
    /// The key was refused; polling is paused until `Studio.resumePolling()`.
    case authFailed(message: String)
    /// Queries for a task keep failing; polling goes on.
    case stale(taskID: String, message: String)
    case recovered(taskID: String)
    case resumed
}

/// Why `Studio.submit` did not produce a task.
public enum StudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request is invalid; nothing was written or sent.
    case invalid(ValidationFailure)
    /// The submit failed; the record says whether the task may exist (`submit_unknown`)
    /// or surely does not (`submit_failed`).
    case submitFailed(record: TaskRecord?, error: ClientError)
    /// The history could not be written; nothing was sent.
    case storage(String)

    public var description: String {
        switch self {
        case let .invalid(f): return "the request is not valid; nothing was sent:\n" + f.problems.map { "  \($0)" }.joined(separator: "\n")
        case let .submitFailed(_, e): return e.description
        case let .storage(m): return "the history could not be written, so nothing was sent: \(m)"
        }
    }
}
