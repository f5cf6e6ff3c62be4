import DarkroomCore
import DarkroomPreview
import Foundation

/// A key, as the backend decodes it.
public enum Key: Equatable, Sendable {
    case char(Character)
    case enter, tab, backTab, backspace, delete, escape
    /// Shift-Enter and Alt-Enter (xterm's `CSI 27;2;13~`, CSI-u `CSI 13;2u`, `ESC CR`):
    /// a newline in the prompt.
    case shiftEnter, altEnter
    case left, right, up, down, home, end, pageUp, pageDown
    case ctrl(Character)      // ctrl("s") for Ctrl-S
    case alt(Character)
    case ctrlLeft, ctrlRight
    case f(Int)
}

/// What the mouse did, where the terminal reports it.
public enum MouseKind: Equatable, Sendable {
    case click, doubleClick, wheelUp, wheelDown
}

/// Everything that can change the state. The update function is the only
/// place that reacts to them.
public enum Event: Equatable, Sendable {
    case key(Key)
    /// A bracketed paste: arrives whole, never read as commands.
    case paste(String)
    /// A click or wheel turn at a cell (0-based).
    case mouse(MouseKind, x: Int, y: Int)
    case resize(width: Int, height: Int)
    /// A task changed (from the Studio: submit, poller, downloads).
    case taskChanged(TaskRecord)
    /// A page of history: replaces the list, or extends it at the bottom.
    /// `query` is what it answers (`.loadTasks`): an answer to a query the list
    /// no longer shows (`s` pressed again before it came) is dropped.
    case tasksLoaded([TaskRecord], replace: Bool, query: HistoryQuery? = nil)
    /// The tasks of a run, for the comparison grid.
    case runLoaded(Int64, [TaskRecord])
    /// A submit finished: the server gave the task an id.
    case submitted(TaskRecord)
    /// A submit failed; `task` is its local id when it was recorded.
    case submitFailed(String, task: Int64? = nil)
    /// A run's requests are recorded (`count`, the first `first`) and being sent,
    /// `limit` at a time: `p`, `X` and `c` now address this run.
    case runQueued(run: Int64, first: Int64, count: Int, limit: Int)
    /// The Studio holds a run while `X` asks (`UnsentAction.hold`): how many of its requests are unsent.
    case runHeld(run: Int64, unsent: Int)
    /// A run's sending ended (every request sent, failed or held): what became of it.
    case runEnded(String, isError: Bool, task: Int64?)
    /// Something to tell the user (it goes into the message log too).
    case notice(String, isError: Bool, task: Int64? = nil)
    /// The status queries of a task (by its server id) keep failing, or (`silent`)
    /// one went unanswered until it timed out; polling goes on.
    case pollTrouble(taskID: String, message: String, silent: Bool)
    /// That task's queries are answered again.
    case pollRecovered(taskID: String)
    /// The key was refused; polling is paused until F5.
    case authFailed(String)
    /// A preview asked for by `.renderPreview` is drawn, failed, or was dropped
    /// (pushed out by newer requests; asked for again if still on screen).
    case previewReady(PreviewKey, PreviewImage)
    case previewFailed(PreviewKey, String)
    case previewDropped(PreviewKey)
    /// The TUI now works on another profile (after `.switchProfile`).
    case profileSwitched(name: String, connectionLabel: String)
    /// Typical durations per kind of task, from history (at start).
    case typicalDurations([String: Double])
    /// What the gateway said of the key (from the profile's cache at start, then
    /// asked); `problems` names each route asked that did not answer, with why.
    case gatewayAnswered(GatewaySnapshot, problems: [String: String])
    /// A request to edit in the composer (`darkroom recall --edit`).
    case compose(ImageRequest)
    /// The wildcard files (`{@name}`), read by the shell at start and on F5.
    case wildcardsLoaded(WildcardSet)
    /// The tags in the history, most used first (at start, and after tags change).
    case tagsLoaded([String])
    /// Earlier prompts for recall, newest first (at start).
    case promptsLoaded([String])
    /// The history's answer to `.searchPrompts(query)`.
    case promptsFound(query: String, [String])
    /// The shell opened local reference files (`.inspectReferences`): what it found, by path.
    case referencesInspected([String: ReferenceCheck])
    /// A remixed picture over the upload limit was re-encoded by the shell into `new`
    /// (`how` says how); it replaces `old` among the references, with its hash.
    case referenceShrunk(old: String, new: String, how: String, sha256: String)
    /// The shell listed a folder for Tab completion (`.listDirectory`).
    case directoryListed(DirectoryQuery, [DirectoryEntry])
    case tick
    /// The wall-clock time, given by the shell before each batch of events: stamps
    /// the message log and times repeated submits. Never a reason to redraw.
    case clock(Date)
}

/// What the update function asks the outside world to do. Results come back as events.
public enum Effect: Equatable, Sendable {
    case submit(ImageRequest)
    /// Record the run's requests and send them through the submit queue (answered by
    /// `.notice`s and, at the end, `.runEnded`).
    case sendRun(RunPlan)
    /// Pause (or resume) or cancel the requests of a run not sent yet.
    case unsent(run: Int64, UnsentAction)
    /// Load a page of history; `before` nil means from the newest.
    case loadTasks(HistoryQuery)
    /// Read every task of a run (answered by `.runLoaded`).
    case loadRun(Int64)
    case download(localID: Int64)
    case open(path: String)
    case copy(String)
    /// Star, hide or tag a task in the history (the screen shows the change
    /// already; the Studio's `.taskChanged` confirms it).
    case curate(localID: Int64, Curation)
    /// Stop (`false`) or resume (`true`) polling a task.
    case setWatching(localID: Int64, Bool)
    /// Polling was paused by a refused key; read the key afresh and try again.
    case resumePolling
    /// Ask the gateway's routes again (the balance after a task ends; everything on F5).
    case askGateway([GatewayRoute])
    /// Read the history's tags again (answered by `.tagsLoaded`): another process may have added some.
    case loadTags
    /// Read the wildcard files again (answered by `.wildcardsLoaded`).
    case readWildcards
    /// Stop this profile's Studio and start one for another profile.
    case switchProfile(String)
    /// Find earlier prompts matching the text (answered by `.promptsFound`).
    case searchPrompts(String)
    /// A task ended: ring the bell and/or ask for a desktop notification.
    /// The texts are already free of control characters.
    case notify(title: String, body: String, bell: Bool, desktop: Bool)
    /// Decode and fit a result file off the terminal thread; answered by a preview event.
    case renderPreview(PreviewKey)
    /// Send a picture to the terminal as kitty image `id`, placed virtually over
    /// `columns` x `rows` placeholder cells (the shell wraps it for tmux).
    case uploadPicture(id: Int, png: [UInt8], columns: Int, rows: Int)
    /// Forget kitty images the state no longer shows or caches.
    case deletePictures([Int])
    /// Open local reference files off the terminal thread (size, magic bytes);
    /// answered by `.referencesInspected`.
    case inspectReferences([String], remixed: Set<String> = [])
    /// List a folder's names starting with a prefix; answered by `.directoryListed`.
    case listDirectory(DirectoryQuery)
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    case suspend
    case quit
}

/// What `p` and `X` do to the requests of a run not sent yet.
public enum UnsentAction: Equatable, Sendable {
    /// Holds those waiting; when none waits, sends those paused.
    case pauseOrResume
    /// While `X` asks: nothing more of the run is taken from waiting (in memory,
    /// in this process); answered by `.runHeld`.
    case hold
    /// `n` to that question: the run goes on.
    case release
    /// `y`: every request of the run still unsent is cancelled, then the hold ends.
    case cancel
}
