import Foundation
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
        keepEdits(&s)
        let next = (s.historyIndex ?? -1) + 1
        guard next < s.promptHistory.count else { return false }
        if s.historyIndex == nil { s.promptDraft = s.composer.editor.text }
        show(&s, next)
        return true
    }

    /// A recalled prompt the user changed is no longer history: it becomes the
    /// draft (what Down comes back to), so stepping away never loses typing.
    private static func keepEdits(_ s: inout AppState) {
        guard let i = s.historyIndex, i < s.promptHistory.count, s.composer.editor.text != s.promptHistory[i] else { return }
        s.promptDraft = s.composer.editor.text
        s.historyIndex = nil
    }

    /// Down on the last line: the next newer prompt, then the draft. False when
    /// not recalling (Down then moves to the next field).
    static func newer(_ s: inout AppState) -> Bool {
        guard let i = s.historyIndex else { return false }
        if s.composer.editor.text != s.promptHistory[safe: i] {
            // Edited: it is the draft now, and stays on screen.
            keepEdits(&s)
            s.say("Your edit is kept as the draft (↑ recalls earlier prompts again)", transient: true)
            return true
        }
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
        // Not logged: stepping through history is no news.
        s.say("Prompt \(i + 1) of \(s.promptHistory.count) from history (↑ older, ↓ newer)", transient: true)
    }

    /// Before the composer is loaded with another request (`i`, `e`): what the user
    /// was writing goes into the prompt history (↑ brings it back). Returns whether
    /// there was something to keep.
    static func keepTyped(_ s: inout AppState, replacedBy prompt: String) -> Bool {
        let typed = s.composer.editor.text
        let recalledAsIs = s.historyIndex.map { s.promptHistory[safe: $0] == typed } ?? false
        guard !typed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, typed != prompt, !recalledAsIs else { return false }
        s.promptHistory.removeAll { $0 == typed }
        s.promptHistory.insert(typed, at: 0)
        s.historyIndex = nil
        return true
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
        s.overlay = .promptSearch(PromptSearch(matches: s.promptHistory))
        return []
    }

    /// Ctrl-R or ↑ (older, +1), ↓ (newer, -1) in the search's matches.
    static func step(_ s: inout AppState, by delta: Int) -> [Effect] {
        guard var search = s.overlay?.promptSearch else { return [] }
        search.index = min(max(0, search.matches.count - 1), max(0, search.index + delta))
        s.overlay = .promptSearch(search)
        return []
    }

    /// Enter: the chosen prompt replaces the editor's text (the draft is kept for ↓).
    static func use(_ s: inout AppState) -> [Effect] {
        guard let search = s.overlay?.promptSearch else { return [] }
        if search.matches.indices.contains(search.index) {
            if s.historyIndex == nil { s.promptDraft = s.composer.editor.text }
            s.composer.editor.setText(search.matches[search.index])
            s.composer.field = .prompt
        }
        s.overlay = nil
        return []
    }

    /// The search text changed: matches from what is known at once, and ask the history.
    static func queryChanged(_ s: inout AppState) -> [Effect] {
        guard var search = s.overlay?.promptSearch else { return [] }
        search.matches = localMatches(s, search.query)
        search.index = 0
        s.overlay = .promptSearch(search)
        return search.query.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [.searchPrompts(search.query)]
    }

    /// The history's answer for `query`, if the search still asks it.
    static func found(_ s: inout AppState, _ query: String, _ prompts: [String]) {
        guard var search = s.overlay?.promptSearch, search.query == query else { return }
        let chosen = search.matches.indices.contains(search.index) ? search.matches[search.index] : nil
        search.matches = prompts
        search.index = chosen.flatMap { prompts.firstIndex(of: $0) } ?? 0
        s.overlay = .promptSearch(search)
    }
}
