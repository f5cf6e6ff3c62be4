import DarkroomCore
import Foundation
import DarkroomPreview

/// The three panes. On narrow terminals they become tabs.
public enum Pane: Int, CaseIterable, Sendable {
    case compose, tasks, detail

    public var title: String {
        switch self {
        case .compose: return "Compose"
        case .tasks: return "Tasks"
        case .detail: return "Detail"
        }
    }
}

/// A list picker open over the composer.
public struct Picker: Equatable, Sendable {
    public var field: ComposerField
    public var options: [(value: String, label: String)]
    public var index: Int

    public static func == (a: Picker, b: Picker) -> Bool {
        a.field == b.field && a.index == b.index && a.options.map(\.value) == b.options.map(\.value)
    }
}

/// Quick filters of the task list and the gallery (`s` steps through them).
/// Every filter but `hidden` leaves hidden tasks out; `hidden` shows only them.
public enum StatusFilter: String, CaseIterable, Sendable {
    case all, running, succeeded, failed, starred, hidden

    public var states: Set<TaskState> {
        switch self {
        case .all, .starred, .hidden: return []
        case .running: return [.waiting, .paused, .intent, .queued, .processing, .unknown]
        case .succeeded: return [.succeeded]
        case .failed: return [.failed, .submitFailed, .submitUnknown, .lost, .expired]
        }
    }
}

/// Why a watched task's status is not moving: its queries fail, or the server
/// does not answer them at all (`silent`).
public struct PollTrouble: Equatable, Sendable {
    /// A status query is given up after this long (the client's request timeout).
    public static let queryTimeout: TimeInterval = 60
    public var message: String
    public var silent: Bool
    /// When darkroom said so first.
    public var since: Date

    /// "the server has not answered for 2 min; still asking", or the failure and "still asking".
    public func text(now: Date) -> String {
        guard silent else { return message + "; still asking" }
        let quiet = max(0, now.timeIntervalSince(since)) + Self.queryTimeout
        return "the server has not answered for " + (quiet < 120 ? "1 min" : "\(Int(quiet / 60)) min") + "; still asking"
    }
}

/// The status bar's counters: each kind of task as what it is.
public struct TaskCounts: Equatable, Sendable {
    /// Requests of runs not sent yet that wait their turn.
    public var toSend = 0
    /// Submits written to history and on their way (`intent`).
    public var sending = 0
    public var paused = 0
    public var queued = 0
    public var running = 0
    /// Succeeded with every picture saved.
    public var done = 0
    /// Succeeded, some pictures not saved (`TaskRecord.isDoneNotSaved`).
    public var notSaved = 0
    public var failed = 0
    /// Submissions whose outcome is unknown.
    public var unknown = 0
    public var cancelled = 0
}

/// A request as sent, and when (by `AppState.clock`).
public struct SentRequest: Equatable, Sendable {
    public var request: ImageRequest
    public var at: Date
}

/// A run as sent (its requests), and when.
public struct SentRun: Equatable, Sendable {
    public var requests: [ImageRequest]
    public var at: Date
}

/// The run Ctrl-S just sent: `p`, `X` and `c` act on it while the selection is
/// where it was put (`selection`), whatever the list shows.
public struct RunJustSent: Equatable, Sendable {
    public var run: Int64
    /// Its first request, selected when it shows in the list.
    public var first: Int64
    /// The selection while this run is the keys' target; a move elsewhere ends it.
    public var selection: Int64?
}

/// Everything the TUI shows, as one value. Only `update` changes it.
public struct AppState: Equatable, Sendable {
    /// Asking before the same request goes again within this many seconds.
    public static let resendWindow: TimeInterval = 10
    /// Asking before a prompt longer than this many characters goes.
    public static let longPrompt = ImageRequest.longPrompt

    public var width: Int
    public var height: Int
    public var focus: Pane = .compose
    public var composer = Composer()
    /// What covers the panes and takes keys first (help, a picker, a question...).
    public var overlay: Overlay?
    /// Tasks shown, newest first (this session's and past ones, paged from history).
    public var tasks: [TaskRecord] = []
    /// The selection follows a task, not a row: updates never move it.
    public var selectedID: Int64?
    /// The first visible row of the task list.
    public var scrollTop = 0
    public var filterText = ""
    public var statusFilter: StatusFilter = .all
    /// The tags in the history, most used first (for `T`'s completion).
    public var knownTags: [String] = []
    public var showJSON = false
    /// The first row of the request list or JSON shown under Ctrl-T when it does not fit (PgUp PgDn).
    public var jsonScroll = 0
    /// The Tab completion waiting for its folder listing.
    public var completionQuery: DirectoryQuery?
    /// What Ctrl-U, Ctrl-K or Ctrl-W deleted last (Ctrl-Y puts it back).
    public var killed = ""
    public var submitting = 0
    /// The server refused the key: polling waits for F5.
    public var pollingPaused = false
    public var quitting = false
    /// What the status bar says of the connection: profile, base URL and masked key.
    public var connectionLabel: String
    /// The status bar's notice (the newest entry of `log`, until something replaces or clears it).
    public var message: String?
    public var messageIsError = false
    /// Every notice of this session, oldest first (at most `MessageLog.capacity`).
    public var log: [LogEntry] = []
    /// The time, as the shell last gave it (`.clock`): stamps the log, times repeated submits.
    public var clock = Date(timeIntervalSince1970: 0)
    /// The last request sent and when, to ask before sending the same again at once.
    public var lastSubmit: SentRequest?
    /// The last run sent (its requests), and when: the same again within
    /// `resendWindow` is asked about, as for one request.
    public var lastRun: SentRun?
    /// The run Ctrl-S sent last, while it is what `p`, `X` and `c` act on.
    public var runJustSent: RunJustSent?
    /// The zone times are shown in (the shell gives the user's; tests fix one).
    public var timeZone = TimeZone(identifier: "UTC")!
    /// More history pages exist below the loaded ones.
    public var hasMore = true
    /// What the terminal can show; decides how previews are drawn (none: not at all).
    public var colorDepth: ColorDepth = .palette256
    public var previews = PreviewCache()
    /// How pictures reach the terminal (the shell detects it at start; `cells` by default).
    public var graphics: GraphicsProtocol = .cells
    /// Why `graphics` is what it is, for the detail's preview line ("kitty graphics (asked the terminal)").
    public var graphicsReason = ""
    /// One cell's size in pixels, to scale real pictures to their box.
    public var cellPixels = CellPixels.fallback
    /// The gallery of saved pictures (g), over the panes; nil when closed.
    public var gallery: Gallery?
    /// The comparison grid of a run (c), over the panes; nil when closed.
    public var comparison: Comparison?
    /// The task list's thumbnail column (t toggles it).
    public var showThumbnails = false
    /// Bell and desktop notification when a task ends (config; both off by default).
    public var notifications = NotificationSettings()
    /// Earlier prompts, newest first (from history, then this session's submits).
    public var promptHistory: [String] = []
    /// Which of them the prompt editor shows (nil: the user's own draft).
    public var historyIndex: Int?
    /// What the user was writing before recalling earlier prompts.
    public var promptDraft = ""
    /// Median durations of past succeeded tasks per kind (`ProgressEstimate.kind`), for estimates.
    public var typicalDurations: [String: TimeInterval] = [:]
    /// The profile whose tasks are shown and to which submits go (nil: all tasks, one endpoint).
    public var profile: String?
    /// Profiles to switch between (P), from the config; empty when there is one.
    public var profiles: [String] = []
    /// The config's `[prices]`, if any.
    public var priceTable: PriceTable?
    /// The prices estimates use: the config's `[prices]` first, then the server's
    /// (`/api/pricing`, from `gateway`); without either, billable units are shown.
    /// Setting it sets the table (the server's part always comes from `gateway`).
    public var prices: Prices {
        get { Prices(table: priceTable, server: gateway.pricing) }
        set { priceTable = newValue.table }
    }
    /// What the gateway said of this key: the models it may use, its balance, prices.
    public var gateway = GatewaySnapshot()
    /// `max_run_cost` and `balance_warning` from the config.
    public var budget = Budget()
    /// When a task's end last asked the balance again (it asks at most once a minute).
    public var balanceAskedAt: Date?
    /// A task ended within that minute: the balance is asked once the minute is over.
    public var balanceDue = false
    /// F5 asked the gateway and its answer has not come yet.
    public var gatewayAsking = false
    /// Gateway routes already said to be off or unreachable this session (each said once, in the log).
    public var gatewaySaid: Set<String> = []
    /// What this session's accepted submits add up to: an estimate from the
    /// price table (nil when some request had no price) and billable units.
    public var sessionCost: Double? = 0
    public var sessionUnits: Double = 0
    /// Tasks seen unfinished: their end is news (then they leave the set).
    public var seenUnfinished: Set<Int64> = []
    /// Tasks announced done while their pictures were still downloading: news
    /// again if some end not saved.
    public var awaitingSaves: Set<Int64> = []
    /// Requests of runs seen before they were sent: each counts in the session's
    /// units once the server gives it an id.
    public var awaitingSubmit: Set<Int64> = []
    /// Watched tasks whose status queries are failing or unanswered, by local id.
    public var pollTrouble: [Int64: PollTrouble] = [:]

    public init(width: Int, height: Int, connectionLabel: String) {
        self.width = width
        self.height = height
        self.connectionLabel = connectionLabel
    }

    public var selectedIndex: Int? { tasks.firstIndex { $0.localID == selectedID } }
    public var selected: TaskRecord? { selectedIndex.map { tasks[$0] } }

    /// Wide terminals show all three panes; narrower ones show the focused pane as a tab.
    public var isWide: Bool { width >= 120 }
    public var isTooSmall: Bool { width < 40 || height < 12 }

    /// The query for the task list as filtered now.
    public func query(before: Int64? = nil) -> HistoryQuery {
        Self.listQuery(text: filterText, filter: statusFilter, profile: profile, before: before)
    }

    /// The task list's query for a search and a filter (hidden tasks only in the
    /// "hidden" filter); with the defaults, the list as it starts.
    public static func listQuery(text: String = "", filter: StatusFilter = .all, profile: String?, before: Int64? = nil) -> HistoryQuery {
        var q = HistoryQuery(text: text.isEmpty ? nil : text, states: filter.states, profile: profile, before: before, limit: HistoryQuery.pageSize)
        q.starred = filter == .starred
        q.hidden = filter == .hidden ? .hidden : .shown
        return q
    }

    /// The tasks of the list by what the user must know of them (the status bar's counters).
    public var counts: TaskCounts {
        var c = TaskCounts()
        for t in tasks {
            switch t.state {
            case .waiting: c.toSend += 1
            case .intent: c.sending += 1
            case .paused: c.paused += 1
            case .queued: c.queued += 1
            case .processing, .unknown: c.running += 1
            case .succeeded: if t.isDoneNotSaved { c.notSaved += 1 } else { c.done += 1 }
            case .cancelled: c.cancelled += 1
            case .submitUnknown: c.unknown += 1
            case .failed, .submitFailed, .lost, .expired: c.failed += 1
            }
        }
        return c
    }
}
