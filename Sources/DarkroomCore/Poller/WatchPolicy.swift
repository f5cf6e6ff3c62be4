/// What the poller knows about one watched task between queries.
public struct WatchState: Sendable, Equatable {
    public var id: String
    /// Successful queries so far.
    public var polls = 0
    /// Failed queries in a row (any failure but not-found).
    public var failures = 0
    /// "Task not found" answers in a row.
    public var notFound = 0
    /// The task as last published, to publish only changes.
    public var last: ImageTask?
    /// Whether a `.stale` update is outstanding (cleared by the next success).
    public var stale = false
    /// Whether an answer naming another id was reported (once per task).
    public var otherIDSaid = false

    public init(id: String, last: ImageTask? = nil) {
        self.id = id
        self.last = last
    }
}

/// What a query about a watched task came back with.
public enum QueryOutcome: Sendable, Equatable {
    case task(ImageTask)
    case failure(APIError)
}

/// What the poller does next for one task.
public enum WatchDecision: Sendable, Equatable {
    /// Query again after this delay.
    case pollAgain(after: Duration)
    /// Stop watching the task.
    case stop
    /// The key was refused: pause every task and report once.
    case pauseAll(message: String)
}

/// The poller's rules as a pure function: given what a task's last query
/// returned, the next state, the updates to publish and when to ask again.
///
/// - Succeeded and failed tasks stop being watched.
/// - Successful queries follow `PollSchedule` (2 s, x1.5, 5 s cap, ±20%).
/// - Failed queries back off on their own: exponential from 2 s to a 60 s cap
///   with jitter, or the server's `Retry-After` (at most 120 s).
/// - After `staleAfter` failures in a row (default 3), or the first query that
///   timed out (a minute of silence already), the task is reported stale.
/// - 401/403 pause everything (one report, not one per task).
/// - A task the server does not know is marked lost after `lostAfter` (default 5)
///   not-found answers in a row, never at the first.
public struct WatchPolicy: Sendable, Equatable {
    public var staleAfter = 3
    public var lostAfter = 5
    public var failureBackoff = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(2), maxDelay: .seconds(60), maxRetryAfter: .seconds(120))

    public init() {}

    public func next(_ state: WatchState, _ outcome: QueryOutcome, random: Double) -> (WatchState, [PollerUpdate], WatchDecision) {
        var s = state
        var updates: [PollerUpdate] = []
        switch outcome {
        case var .task(t):
            // The answer is about the task asked for, whatever id it names: filed under
            // the asked id (else that task would wait for ever), and said once.
            if t.id != s.id {
                if !s.otherIDSaid {
                    s.otherIDSaid = true
                    updates.append(.note(id: s.id, message: "the server's answer names the task \"\(TerminalSanitizer.clean(t.id))\"; "
                                         + "darkroom asked about \"\(TerminalSanitizer.clean(s.id))\" and takes the answer for it"))
                }
                t.id = s.id
            }
            s.polls += 1
            s.failures = 0
            s.notFound = 0
            if s.stale { s.stale = false; updates.append(.recovered(id: s.id)) }
            if t != s.last { updates.append(.task(t)); s.last = t }
            if t.status.isFinished { return (s, updates, .stop) }
            return (s, updates, .pollAgain(after: PollSchedule.delay(beforePoll: s.polls + 1, random: random)))
        case let .failure(e):
            switch e {
            case .unauthorized, .forbidden, .quotaExhausted, .modelNotAllowed, .keyExpired, .keyDisabled:
                return (s, updates, .pauseAll(message: e.description))
            case .taskNotFound:
                s.notFound += 1
                if s.notFound >= lostAfter {
                    updates.append(.lost(id: s.id, message: e.description))
                    return (s, updates, .stop)
                }
                return (s, updates, .pollAgain(after: max(PollSchedule.floor, failureBackoff.backoff(attempt: s.notFound, random: random))))
            default:
                s.failures += 1
                // A query that timed out is a minute of silence already: said at once.
                let silent: Bool
                if case .timedOut = e { silent = true } else { silent = false }
                if (s.failures >= staleAfter || silent) && !s.stale {
                    s.stale = true
                    updates.append(.stale(id: s.id, message: e.description, silent: silent))
                }
                let delay: Duration
                if case let .rateLimited(_, after?) = e {
                    delay = max(PollSchedule.floor, min(after, failureBackoff.maxRetryAfter))
                } else {
                    delay = max(PollSchedule.floor, failureBackoff.backoff(attempt: s.failures, random: random))
                }
                return (s, updates, .pollAgain(after: delay))
            }
        }
    }
}

/// What the poller publishes. Consumers (history, CLI, TUI) react to each.
public enum PollerUpdate: Sendable, Equatable {
    /// The task changed: status, progress, results or error. Finished tasks come last.
    case task(ImageTask)
    /// Queries for this task have failed several times in a row; polling goes on.
    /// `silent`: its query timed out (the server says nothing), rather than failing.
    case stale(id: String, message: String, silent: Bool = false)
    /// A stale task answered again.
    case recovered(id: String)
    /// Something about a task the user should know once, polling unchanged (an
    /// answer that names another id).
    case note(id: String, message: String)
    /// The server no longer knows the task (after repeated not-found answers).
    case lost(id: String, message: String)
    /// Unfinished 24 h after submit; the platform gives up then too.
    case expired(id: String)
    /// The key was refused (401/403). Polling is paused until `resume()`.
    case authFailed(message: String)
    /// Polling resumed after an auth failure.
    case resumed
}
