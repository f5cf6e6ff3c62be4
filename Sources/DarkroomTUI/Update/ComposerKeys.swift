import DarkroomCore

/// What the composer's keys do (the keymap says which key does which):
/// the prompt's lines and history, moving between fields, changing values.
enum ComposerKeys {
    static func insert(_ s: inout AppState, _ text: String) -> [Effect] {
        s.composer.editor.insert(text)
        return []
    }

    /// Up: a line up; on the first line, the previous prompt from history.
    static func promptUp(_ s: inout AppState) -> [Effect] {
        if !s.composer.editor.vertical(-1, width: promptWidth(s)), !PromptHistory.older(&s) { s.composer.editor.home() }
        return []
    }

    /// Down: a line down; on the last line, newer prompts, then the next field.
    static func promptDown(_ s: inout AppState) -> [Effect] {
        if !s.composer.editor.vertical(1, width: promptWidth(s)), !PromptHistory.newer(&s) { move(&s, by: 1) }
        return []
    }

    /// Ctrl-U in the prompt: to the start of the line, or at the very start the
    /// whole prompt (kept for Ctrl-Y).
    static func killToStart(_ s: inout AppState) -> [Effect] {
        guard s.composer.editor.cursor == 0, !s.composer.editor.chars.isEmpty else {
            return Editing.apply(&s, .ctrl("u"))
        }
        s.killed = s.composer.editor.text
        s.composer.editor.setText("")
        s.say("Prompt cleared (\(CountText.grouped(s.killed.count)) characters); Ctrl-Y puts it back")
        return []
    }

    @discardableResult
    static func move(_ s: inout AppState, by delta: Int) -> [Effect] {
        let fields = s.composer.fields
        let i = fields.firstIndex(of: s.composer.field) ?? 0
        s.composer.field = fields[min(fields.count - 1, max(0, i + delta))]
        return []
    }

    /// Left/Right (h/l) on a field: the previous or next value.
    static func cycle(_ s: inout AppState, _ k: Key) -> [Effect] {
        s.composer.cycle(s.composer.field, by: k == .left || k == .char("h") ? -1 : 1)
        sayNotice(&s)
        return []
    }

    /// What a change of value changed elsewhere, in the status bar; a change that
    /// changed nothing else clears an earlier such notice (it would be stale).
    static func sayNotice(_ s: inout AppState) {
        if let n = s.composer.notice {
            s.say(n)
        } else if s.message?.hasPrefix(Composer.changedPrefix) == true {
            s.message = nil
        }
    }

    static func openPicker(_ s: inout AppState, _ f: ComposerField) {
        let opts = s.composer.options(f)
        guard !opts.isEmpty else { return }
        let i = opts.firstIndex { $0.value == s.composer.currentValue(f) } ?? 0
        s.overlay = .picker(Picker(field: f, options: opts, index: i))
    }

    /// The prompt editor's width in cells for the current layout.
    static func promptWidth(_ s: AppState) -> Int {
        let r = Layout.rect(s, .compose) ?? Rect(x: 0, y: 1, width: s.width, height: s.height - 3)
        return max(4, r.width - 4)
    }
}
