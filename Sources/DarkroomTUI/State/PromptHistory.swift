/// Ctrl-R in the composer: earlier prompts matching what is typed, newest first.
public struct PromptSearch: Equatable, Sendable {
    public var editor = PromptEditor()
    public var matches: [String]
    public var index = 0

    public var query: String { editor.text }
}

/// Recalling earlier prompts: Up on the prompt's first line steps back through
/// them (newest first, from history), Down on its last line steps forward and
/// finally back to the draft being written. Ctrl-R searches them.
enum PromptHistory {
    /// Up on the first line: the next older prompt. False when there is none.
    static func older(_ s: inout AppState) -> Bool {
        let next = (s.historyIndex ?? -1) + 1
        guard next < s.promptHistory.count else { return false }
        if s.historyIndex == nil { s.promptDraft = s.composer.editor.text }
        show(&s, next)
        return true
    }

    /// Down on the last line: the next newer prompt, then the draft. False when
    /// not recalling (Down then moves to the next field).
    static func newer(_ s: inout AppState) -> Bool {
        guard let i = s.historyIndex else { return false }
        if i == 0 {
            s.historyIndex = nil
            s.composer.editor.setText(s.promptDraft)
            s.message = nil
            return true
        }
        show(&s, i - 1)
        return true
    }

    private static func show(_ s: inout AppState, _ i: Int) {
        s.historyIndex = i
        s.composer.editor.setText(s.promptHistory[i])
        s.message = "Prompt \(i + 1) of \(s.promptHistory.count) from history (↑ older, ↓ newer)"
        s.messageIsError = false
    }

    /// A submitted prompt becomes the newest; recall starts over.
    static func submitted(_ s: inout AppState, _ prompt: String) {
        s.promptHistory.removeAll { $0 == prompt }
        s.promptHistory.insert(prompt, at: 0)
        s.historyIndex = nil
    }

    /// The prompts already known that match every word of `query`, ignoring case
    /// (shown at once; the history's full search replaces them when it answers).
    static func localMatches(_ s: AppState, _ query: String) -> [String] {
        let words = query.lowercased().split(whereSeparator: { $0.isWhitespace })
        return s.promptHistory.filter { p in let l = p.lowercased(); return words.allSatisfy { l.contains($0) } }
    }

    static func openSearch(_ s: inout AppState) -> [Effect] {
        s.promptSearch = PromptSearch(matches: s.promptHistory)
        return []
    }

    static func searchKey(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var search = s.promptSearch else { return [] }
        switch k {
        case .escape, .ctrl("g"):
            s.promptSearch = nil
            return []
        case .enter:
            if search.matches.indices.contains(search.index) {
                if s.historyIndex == nil { s.promptDraft = s.composer.editor.text }
                s.composer.editor.setText(search.matches[search.index])
                s.composer.field = .prompt
            }
            s.promptSearch = nil
            return []
        case .ctrl("r"), .up:
            search.index = min(max(0, search.matches.count - 1), search.index + 1)
        case .down:
            search.index = max(0, search.index - 1)
        default:
            let before = search.query
            TextKeys.edit(&search.editor, k)
            guard search.query != before else { break }
            search.matches = localMatches(s, search.query)
            search.index = 0
            s.promptSearch = search
            return search.query.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [.searchPrompts(search.query)]
        }
        s.promptSearch = search
        return []
    }

    /// The history's answer for `query`, if the search still asks it.
    static func found(_ s: inout AppState, _ query: String, _ prompts: [String]) {
        guard var search = s.promptSearch, search.query == query else { return }
        let chosen = search.matches.indices.contains(search.index) ? search.matches[search.index] : nil
        search.matches = prompts
        search.index = chosen.flatMap { prompts.firstIndex(of: $0) } ?? 0
        s.promptSearch = search
    }
}
