import Foundation

/// Where a task stands in darkroom's own records. The first three describe the
/// submit itself; the rest mirror the server, plus the two ends the server
/// never reports (lost, expired).
public enum TaskState: String, Sendable, CaseIterable, Codable {
    /// A request of a run, recorded and waiting its turn in this process's submit
    /// queue (`owner_pid`); nothing sent yet.
    case waiting
    /// A request of a run not sent, held until someone resumes it: paused by the
    /// user, or left waiting by a darkroom that stopped. Never sent by itself.
    case paused
    /// A request of a run the user cancelled before it was sent. Nothing was sent.
    case cancelled
    /// Written durably before the submit was sent; no answer yet.
    case intent
    /// The submit may or may not have created a task (timeout, dropped connection,
    /// or darkroom was killed while waiting). Never resubmitted silently.
    case submitUnknown = "submit_unknown"
    /// The server refused the submit; no task exists.
    case submitFailed = "submit_failed"
    case queued, processing
    /// The server sent a status darkroom does not know; still watched.
    case unknown
    case succeeded, failed
    /// The server stopped knowing the task (repeated not-found).
    case lost
    /// Unfinished 24 h after submit.
    case expired

    public init(_ status: TaskStatus) {
        switch status {
        case .queued: self = .queued
        case .processing: self = .processing
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        case .unknown: self = .unknown
        }
    }

    /// States the poller must watch: the server still owes an answer.
    public static let watchable: [TaskState] = [.queued, .processing, .unknown]
    public var isWatchable: Bool { Self.watchable.contains(self) }
    /// States that will not change any more.
    public var isFinal: Bool { [.succeeded, .failed, .submitFailed, .lost, .expired, .cancelled].contains(self) }
    /// States of a request not sent yet (and never sent in the past).
    public static let unsent: [TaskState] = [.waiting, .paused]
    public var isUnsent: Bool { Self.unsent.contains(self) }

    /// The state as people read it: the one word table of the list, the detail,
    /// the gallery and the CLI's text (`--json` says `rawValue`). At most 9 cells.
    public var label: String {
        switch self {
        case .waiting: return "to send"
        case .paused: return "paused"
        case .cancelled: return "cancelled"
        case .intent: return "sending"
        case .queued: return "queued"
        case .processing: return "running"
        case .unknown: return "unknown"
        case .succeeded: return "done"
        case .failed: return "failed"
        case .submitFailed: return "refused"
        case .submitUnknown: return "submit?"
        case .lost: return "lost"
        case .expired: return "expired"
        }
    }
}

/// Why a submit certainly created nothing (`TaskState.submitFailed`).
public enum SubmitFailure: String, Sendable, Codable {
    /// No connection could be made: the server was not reached at all.
    case unreachable
    /// The server answered no (4xx: the key, the quota, the request, the model).
    case refused
    /// A local reference file could not be read; nothing was sent.
    case invalidReference = "invalid_reference"
}

/// Where a result file stands.
public enum ResultState: String, Sendable, Codable {
    case pending, downloading, saved, failed
    /// The URL stopped answering before the file was saved; the URL is kept.
    case expired
    /// The link is not one darkroom fetches (not http(s)); kept with the reason, never fetched.
    case refused
}

/// One result of a task: its URL and, once downloaded, the file.
public struct ResultRecord: Sendable, Equatable {
    public var index: Int
    public var url: String
    public var state: ResultState
    /// The saved file (path, size, format, pixels, checksum); nil until saved.
    public var file: SavedResult?
    public var attempts: Int
    public var error: String?

    public init(index: Int, url: String, state: ResultState, file: SavedResult? = nil, attempts: Int = 0, error: String? = nil) {
        self.index = index
        self.url = url
        self.state = state
        self.file = file
        self.attempts = attempts
        self.error = error
    }
}

/// A status change with its time, for the timeline.
public struct TaskEvent: Sendable, Equatable {
    public var state: TaskState
    public var progress: Int?
    public var at: Date

    public init(state: TaskState, progress: Int?, at: Date) {
        self.state = state
        self.progress = progress
        self.at = at
    }
}

/// Everything darkroom keeps about one submitted (or attempted) task.
public struct TaskRecord: Sendable, Equatable, Identifiable {
    /// darkroom's own id, assigned when the intent is written. Newer tasks have larger ids.
    public var localID: Int64
    /// The server's id; nil until the submit answered.
    public var taskID: String?
    public var profile: String
    /// The endpoint the task belongs to (never the key).
    /// The endpoint's normalised URL, as stored (`endpoint` is the typed value).
    public var baseURL: String
    public var endpoint: Endpoint { Endpoint(stored: baseURL) }
    /// The request as composed, to re-run or edit it.
    public var request: ImageRequest
    public var state: TaskState
    public var rawStatus: String?
    public var progress: Int?
    public var error: String?
    public var resultURLs: [String]
    public var createdAt: Date
    public var submittedAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var updatedAt: Date
    /// The quality and output format the submit sent, defaults included (the
    /// request keeps what the user chose, nil where a default applied).
    public var sentQuality: String?
    public var sentFormat: String?
    /// Why a refused submit created nothing (nil for other states).
    public var submitFailure: SubmitFailure?
    /// When the user stopped watching it (nil: watched while unfinished). An
    /// unwatched task is not polled, even after a restart, until watched again.
    public var unwatchedAt: Date?
    /// When the user starred the task itself (`f`, `darkroom star`); nil: not starred.
    public var starredAt: Date?
    /// The pictures the user starred, by result index (from 0).
    public var starredPictures: Set<Int> = []
    /// When the user hid it (`x`, `darkroom hide`): kept, but left out of lists and searches.
    public var hiddenAt: Date?
    /// Its tags, sorted.
    public var tags: [TaskTag] = []
    /// The task or one of its pictures is starred.
    public var isStarred: Bool { starredAt != nil || !starredPictures.isEmpty }
    /// A picture is shown starred: the task is, or that picture (its result index).
    public func isStarred(picture: Int) -> Bool { starredAt != nil || starredPictures.contains(picture) }
    public var isHidden: Bool { hiddenAt != nil }
    /// Filled by `HistoryStore.record(...)`, empty in search pages.
    /// The run this task was sent in (several values, or a batch); nil for a single submit.
    public var runID: Int64?
    public var results: [ResultRecord]
    public var events: [TaskEvent]

    public var id: Int64 { localID }

    public init(localID: Int64, taskID: String?, profile: String, baseURL: String, request: ImageRequest, state: TaskState,
                rawStatus: String? = nil, progress: Int? = nil, error: String? = nil, resultURLs: [String] = [], createdAt: Date,
                submittedAt: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil, updatedAt: Date,
                unwatchedAt: Date? = nil, results: [ResultRecord] = [], events: [TaskEvent] = []) {
        self.localID = localID
        self.taskID = taskID
        self.profile = profile
        self.baseURL = baseURL
        self.request = request
        self.state = state
        self.rawStatus = rawStatus
        self.progress = progress
        self.error = error
        self.resultURLs = resultURLs
        self.createdAt = createdAt
        self.submittedAt = submittedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
        self.unwatchedAt = unwatchedAt
        self.results = results
        self.events = events
    }

    /// The state as a short word, telling a refused submit from one that never
    /// reached the server: `unreachable`, `refused` or `not sent`.
    public var statusLabel: String {
        guard state == .submitFailed else { return state.label }
        switch submitFailure {
        case .unreachable?: return "unreached"
        case .invalidReference?: return "not sent"
        default: return "refused"
        }
    }

    /// Results not saved that will not be without the user (`d`, `darkroom download`):
    /// failed, expired or refused.
    public var unsavedResults: [ResultRecord] { results.filter { [.failed, .expired, .refused].contains($0.state) } }

    /// Whether no download of its results is pending or running.
    public var downloadsOver: Bool { !results.contains { $0.state == .pending || $0.state == .downloading } }

    /// Succeeded on the server, its downloads over, and some of its pictures not
    /// saved here: not "done" for the user (the CLI exits 2 for it).
    public var isDoneNotSaved: Bool { state == .succeeded && downloadsOver && !unsavedResults.isEmpty }

    /// The task id for a screen or a terminal: control characters written as
    /// `\xNN` (`TerminalSanitizer.visible`), so it is harmless and still exact
    /// (the id itself is kept and asked for as the server gave it).
    public var shownTaskID: String? { taskID.map { TerminalSanitizer.visible($0) } }

    /// Whether the poller should follow it: unfinished on the server and not unwatched by the user.
    public var isWatched: Bool { state.isWatchable && unwatchedAt == nil }

    /// "1024x768" for gpt-image-2, "16:9" for NanoBanana, "-" when neither.
    public var shapeLabel: String { request.size ?? request.aspectRatio ?? "-" }
}
