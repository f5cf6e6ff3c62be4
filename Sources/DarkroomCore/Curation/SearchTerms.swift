import Foundation

/// What a search box holds, read word by word: `#night` asks for the tag
/// `night`, `*` for starred tasks (or tasks with a starred picture), every other
/// word must be in the prompt (ignoring case). `#` alone or a `#word` that is not
/// a valid tag is searched as prompt text. The TUI's search and
/// `HistoryQuery.text` both read their text this way.
public struct SearchTerms: Equatable, Sendable {
    public var words: [String] = []
    public var tags: [TaskTag] = []
    public var starred = false

    public init(_ text: String?) {
        for word in (text ?? "").split(whereSeparator: { $0.isWhitespace }).map(String.init) {
            if word == "*" {
                starred = true
            } else if word.hasPrefix("#"), word.count > 1, case .success(let tag) = TaskTag.parse(word) {
                if !tags.contains(tag) { tags.append(tag) }
            } else {
                words.append(word)
            }
        }
    }

    /// Whether a task matches, as the history's query does (for a task that
    /// changed while the list is filtered).
    public func matches(_ r: TaskRecord) -> Bool {
        if starred && !r.isStarred { return false }
        if !tags.allSatisfy({ r.tags.contains($0) }) { return false }
        let prompt = r.request.prompt.lowercased()
        return words.allSatisfy { prompt.contains($0.lowercased()) }
    }
}

/// Which tasks a query takes by whether they are hidden (`x` in the TUI,
/// `darkroom hide`). Lists and searches the user sees leave hidden tasks out;
/// darkroom's own reads (a run's tasks, the unsent, the unfinished) take all.
public enum HiddenFilter: String, Sendable, Equatable {
    case all, shown, hidden
}
