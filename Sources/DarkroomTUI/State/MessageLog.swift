import Foundation

/// One notice the status bar showed: when, about which task, the whole text.
public struct LogEntry: Equatable, Sendable {
    public var at: Date
    public var task: Int64?
    public var text: String
    public var isError: Bool
}

/// The message log (L): every notice goes through `say`, so the status bar,
/// which shows one line, never holds the only copy of a message.
enum MessageLog {
    /// Entries kept; the oldest go first.
    static let capacity = 500
}

extension AppState {
    /// Shows a notice in the status bar and keeps it in the log. The text is
    /// already free of control characters (server text goes through
    /// `TerminalSanitizer` first).
    /// `transient`: a "working on it" notice that its outcome replaces ("Submitting…"):
    /// shown, not logged.
    mutating func say(_ text: String, error: Bool = false, task: Int64? = nil, transient: Bool = false) {
        message = text
        messageIsError = error
        if transient { return }
        // The same notice again (a key pressed twice) is one entry.
        if let last = log.last, last.text == text, last.task == task, last.isError == error { return }
        log.append(LogEntry(at: clock, task: task, text: text, isError: error))
        if log.count > MessageLog.capacity { log.removeFirst(log.count - MessageLog.capacity) }
    }
}

extension AppState {
    /// Keeps a notice in the log only (L), leaving the status bar as it is: for
    /// what darkroom does quietly (a gateway route that is off).
    mutating func note(_ text: String) {
        log.append(LogEntry(at: clock, task: nil, text: text, isError: false))
        if log.count > MessageLog.capacity { log.removeFirst(log.count - MessageLog.capacity) }
    }
}

/// Scrolling the message log (L): as every list scrolls (`Scroll`); the offset
/// counts lines up from the newest, so new notices show while at the bottom.
enum MessageLogOverlay {
    static func scroll(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard case let .messages(fromBottom) = s.overlay else { return [] }
        let lines = MessageLogView.lines(s).count
        let visible = MessageLogView.visibleRows(height: s.height)
        let most = max(0, lines - visible)
        let top = Scroll.offset(most - min(most, fromBottom), k, lines: lines, visible: visible)
        s.overlay = .messages(scroll: most - top)
        return []
    }
}
