import Foundation

/// A page of history: newest first, filtered, paged by keyset.
public struct HistoryQuery: Sendable, Equatable {
    /// Full-text search over prompts (every word must match, as a prefix).
    public var text: String?
    /// Only these states (empty: all).
    public var states: Set<TaskState> = []
    public var model: String?
    /// Only the tasks of this run.
    public var run: Int64?
    public var profile: String?
    public var since: Date?
    public var until: Date?
    /// Only tasks older than this local id (the last id of the previous page).
    public var before: Int64?
    /// Page size, 1 to 1,000. Default 50.
    public var limit = 50
    /// The size of a page the TUI loads at a time (the list, and the history searched for prompts).
    public static let pageSize = 200

    public init(text: String? = nil, states: Set<TaskState> = [], model: String? = nil, profile: String? = nil,
                since: Date? = nil, until: Date? = nil, before: Int64? = nil, limit: Int = 50) {
        self.text = text
        self.states = states
        self.model = model
        self.profile = profile
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }
}
