/// Editing keys, for whichever text field has the keys: the prompt, the
/// references, Ctrl-R's search or the task search. What Ctrl-U, Ctrl-K and
/// Ctrl-W delete is kept for Ctrl-Y, as in readline.
enum Editing {
    static func apply(_ s: inout AppState, _ k: Key) -> [Effect] {
        if k == .ctrl("y") { return insert(&s, s.killed) }
        var killed: String?
        let effects = edit(&s) { e in killed = TextKeys.edit(&e, k) }
        if let killed, !killed.isEmpty { s.killed = killed }
        return effects
    }

    static func insert(_ s: inout AppState, _ text: String) -> [Effect] {
        guard !text.isEmpty else { return [] }
        return edit(&s) { $0.insert(text) }
    }

    /// Runs an edit on the field that has the keys; a changed search asks the history again.
    private static func edit(_ s: inout AppState, _ change: (inout PromptEditor) -> Void) -> [Effect] {
        switch s.overlay {
        case var .filter(e):
            change(&e)
            s.overlay = .filter(e)
        case var .tags(t):
            change(&t.editor)
            t.candidates = []
            t.problem = nil
            s.overlay = .tags(t)
        case var .promptSearch(search):
            let before = search.query
            change(&search.editor)
            s.overlay = .promptSearch(search)
            if search.query != before { return PromptHistory.queryChanged(&s) }
        case nil where s.focus == .compose && s.composer.field == .prompt:
            change(&s.composer.editor)
        case nil where s.focus == .compose && s.composer.field == .references:
            change(&s.composer.references)
        default:
            break
        }
        return []
    }
}

/// Editing keys shared by single- and multi-line text fields.
enum TextKeys {
    /// Applies an editing key. Returns what a kill key deleted ("" for other keys).
    @discardableResult
    static func edit(_ e: inout PromptEditor, _ k: Key) -> String {
        switch k {
        case let .char(c): e.insert(String(c))
        case .backspace, .ctrl("h"): e.backspace()
        case .delete, .ctrl("d"): e.deleteForward()
        case .left, .ctrl("b"): e.left()
        case .right, .ctrl("f"): e.right()
        case .home, .ctrl("a"): e.home()
        case .end, .ctrl("e"): e.end()
        case .ctrlLeft, .alt("b"): e.wordLeft()
        case .ctrlRight, .alt("f"): e.wordRight()
        case .ctrl("u"): return e.killToLineStart()
        case .ctrl("k"): return e.killToLineEnd()
        case .ctrl("w"), .alt("\u{7F}"): return e.killWordBack()
        default: break
        }
        return ""
    }
}
