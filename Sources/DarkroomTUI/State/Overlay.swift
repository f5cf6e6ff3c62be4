import DarkroomCore

/// What covers the panes and takes the keys first. There is at most one, so
/// impossible combinations (help over a picker over a search) cannot be written.
public enum Overlay: Equatable, Sendable {
    /// Every key, from the keymap; `scroll` is the first line shown.
    case help(scroll: Int)
    /// A list to pick a composer field's value from.
    case picker(Picker)
    /// Ctrl-R: earlier prompts matching what is typed.
    case promptSearch(PromptSearch)
    /// P: the config's profiles; the index is the highlighted one.
    case profiles(index: Int)
    /// v: a result full screen.
    case fullPreview(FullPreview)
    /// /: the task list's search being typed.
    case filter(PromptEditor)
    /// A question answered in one key (y or n).
    case confirm(Confirmation)
    /// L: every notice of this session, newest last; `scroll` counts wrapped lines up from the newest.
    case messages(scroll: Int)
    /// Tab in the Reference field with several names matching: pick one.
    case completions(Completions)
    /// T: a task's tags being edited.
    case tags(TagEditor)

    public var picker: Picker? { if case let .picker(p) = self { return p } else { return nil } }
    public var promptSearch: PromptSearch? { if case let .promptSearch(p) = self { return p } else { return nil } }
    public var fullPreview: FullPreview? { if case let .fullPreview(f) = self { return f } else { return nil } }
    public var profileIndex: Int? { if case let .profiles(i) = self { return i } else { return nil } }
    public var filterEditor: PromptEditor? { if case let .filter(e) = self { return e } else { return nil } }
    public var confirmation: Confirmation? { if case let .confirm(c) = self { return c } else { return nil } }
    public var completions: Completions? { if case let .completions(c) = self { return c } else { return nil } }
    public var tagEditor: TagEditor? { if case let .tags(t) = self { return t } else { return nil } }
    public var isHelp: Bool { if case .help = self { return true } else { return false } }
    public var isMessages: Bool { if case .messages = self { return true } else { return false } }
}

/// A question darkroom asks before doing something the user may not mean.
public enum Confirmation: Equatable, Sendable {
    /// Quit while a submit is in flight.
    case quitWhileSending
    /// The same request as one sent less than `AppState.resendWindow` ago.
    case resend(ImageRequest)
    /// A prompt longer than `AppState.longPrompt` characters.
    case longPrompt(ImageRequest)
    /// A run of more than `RequestMatrix.confirmAbove` requests, or (`again`) the same
    /// run as one sent less than `AppState.resendWindow` ago.
    case run(RunPlan, again: Bool)
    /// A request, or a run, estimated over `max_run_cost` or over the key's balance;
    /// `why` holds the numbers ("estimated at $2.40, over max_run_cost ($2.00)").
    case overBudget(ImageRequest, why: String)
    case runOverBudget(RunPlan, why: String)
    /// Cancel the requests of a run not sent yet. The run is held while this is
    /// asked; `count` is how many the Studio holds (nil until it says).
    case cancelUnsent(run: Int64, count: Int?)

    /// The question, as the status bar asks it.
    public var question: String {
        switch self {
        case .quitWhileSending:
            return "A submit is in flight. Quit anyway? (y/n) Watched tasks resume on the next start; a run's requests not sent yet wait, paused."
        case .resend:
            return "The same request was sent seconds ago. Send it again (and be billed again)? (y/n)"
        case let .longPrompt(r):
            return "The prompt is \(CountText.grouped(r.prompt.count)) characters long. Send it? (y/n)"
        case let .run(plan, again):
            return again ? "The same run was sent seconds ago. Send its \(plan.summary) again (and be billed again)? (y/n)"
                : "Send \(plan.summary)? (y/n) The list is in the composer."
        case let .overBudget(_, why):
            return "Send anyway? (y/n) This request is \(why)"
        case let .runOverBudget(plan, why):
            return "Send anyway? (y/n) This run of \(plan.requests.count) requests is \(why)"
        case let .cancelUnsent(run, count):
            let what = count.map { $0 == 1 ? "the request" : "the \(CountText.grouped($0)) requests" } ?? "the requests"
            return "Cancel \(what) of run #\(run) not sent yet? They will never be sent. Sending is held until you answer (n lets it go on). (y/n)"
        }
    }
}
