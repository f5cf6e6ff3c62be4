import Foundation

/// A task's status, normalised from whatever case and synonym the server used.
public enum TaskStatus: Sendable, Equatable, Hashable {
    case queued
    case processing
    case succeeded
    case failed
    /// A status darkroom does not know, kept as the server sent it (sanitized).
    /// Treated as not finished: polling goes on.
    case unknown(String)

    /// Maps the page's four statuses and the synonyms gateways send
    /// (`SUCCESS`, `completed`, `FAILURE`, `error`, `in_progress`, `running`, ...), any case.
    public init(raw: String) {
        let s = raw.trimmingSpaces.lowercased()
        switch s {
        case "queued", "queue", "pending", "submitted", "not_start", "not_started", "waiting", "created":
            self = .queued
        case "processing", "in_progress", "inprogress", "running", "started", "generating":
            self = .processing
        case "succeeded", "success", "successful", "succeed", "completed", "complete", "done", "finished":
            self = .succeeded
        case "failed", "failure", "fail", "error", "errored", "cancelled", "canceled", "expired", "timeout", "timed_out":
            self = .failed
        default:
            self = .unknown(TerminalSanitizer.clean(String(raw.prefix(64))))
        }
    }

    /// True once the server will not change the task any more.
    public var isFinished: Bool { self == .succeeded || self == .failed }

    /// The canonical word (`queued`, `processing`, `succeeded`, `failed`) or the raw unknown text.
    public var name: String {
        switch self {
        case .queued: return "queued"
        case .processing: return "processing"
        case .succeeded: return "succeeded"
        case .failed: return "failed"
        case let .unknown(raw): return raw
        }
    }
}

/// A task as the server last described it. Every string in it was sanitized
/// for display (no control characters or escape sequences).
public struct ImageTask: Sendable, Equatable, Hashable {
    public var id: String
    public var status: TaskStatus
    /// The status word exactly as received (sanitized), e.g. `SUCCESS`.
    public var rawStatus: String
    /// 0 to 100, or nil when the server sent none.
    public var progress: Int?
    /// Result links, only ever filled for a succeeded task: absolute http(s) URLs
    /// (relative ones resolved against the base URL by the client), or, as the
    /// server sent them, links of another scheme, which are refused on download.
    public var resultURLs: [String]
    /// `metadata.result_count` when sent.
    public var resultCount: Int?
    /// `metadata.task_type` when sent.
    public var taskType: String?
    /// Why the task failed, when it did.
    public var errorMessage: String?

    public init(id: String, status: TaskStatus, rawStatus: String? = nil, progress: Int? = nil, resultURLs: [String] = [],
                resultCount: Int? = nil, taskType: String? = nil, errorMessage: String? = nil) {
        self.id = id
        self.status = status
        self.rawStatus = rawStatus ?? status.name
        self.progress = progress
        self.resultURLs = resultURLs
        self.resultCount = resultCount
        self.taskType = taskType
        self.errorMessage = errorMessage
    }
}
