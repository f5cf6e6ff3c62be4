import Foundation

/// A page of history: newest first, filtered, paged by keyset.
public struct HistoryQuery: Sendable, Equatable {
    /// A search as typed (`SearchTerms`): every word in the prompt, `#tag` for a
    /// tag, `*` for starred tasks.
    public var text: String?
    /// Only starred tasks (or tasks with a starred picture), as `*` in `text`.
    public var starred = false
    /// Only tasks with every one of these tags, as `#tag` in `text`.
    public var tags: [TaskTag] = []
    /// Hidden tasks: all (default, for darkroom's own reads), only those shown, only the hidden.
    public var hidden: HiddenFilter = .all
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
