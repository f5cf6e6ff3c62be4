/// Where a key binding applies. The state decides which contexts are active,
/// in order (`Keymap.contexts`); the first binding of the key in them acts.
public enum KeyContext: String, CaseIterable, Sendable {
    case global, always, commands, composer, prompt, text, references, fields, tasks, taskActions, detail
    case gallery, compare, help, picker, sizePicker, promptSearch, filter, tagEditor, profiles, fullPreview, messages, confirm, completions, tooSmall

    /// The section title on the help screen.
    public var title: String {
        switch self {
        case .global: return "Everywhere"
        case .always: return "Even over lists and help"
        case .commands: return "Outside text fields"
        case .composer: return "Composer"
        case .prompt: return "Prompt"
        case .text: return "Editing text (prompt, references, searches)"
        case .references: return "Reference field"
        case .fields: return "Model, size and other fields"
        case .tasks: return "Task list"
        case .taskActions: return "On the selected task (list and detail)"
        case .detail: return "Detail"
        case .gallery: return "Gallery (g)"
        case .compare: return "Comparing a run (c)"
        case .help: return "This help"
        case .picker: return "A list of values"
        case .sizePicker: return "The size list"
        case .promptSearch: return "Earlier prompts (Ctrl-R)"
        case .filter: return "Task search (/)"
        case .tagEditor: return "Tags (T)"
        case .profiles: return "Profiles (P)"
        case .fullPreview: return "Full-screen picture (v)"
        case .messages: return "Message log (L)"
        case .confirm: return "A question"
        case .completions: return "Path completions (Tab)"
        case .tooSmall: return "Terminal too small"
        }
    }
}

/// One line of the keymap: the keys, what they do, the words for the help
/// screen and (if any) for the hint bar. Adding a key is adding one of these.
public struct Binding: Sendable {
    public let context: KeyContext
    public let keys: [Key]
    /// The help screen's words.
    public let help: String
    /// The hint bar's words (nil: the help screen only).
    public let hint: String?
    /// The hint bar's key label when the keys' own would be long ("↑↓").
    public let hintKeys: String?
    /// Whether the binding acts now.
    let when: @Sendable (AppState) -> Bool
    /// Whether its hint shows now (default: whenever it acts).
    let hintWhen: @Sendable (AppState) -> Bool
    let perform: @Sendable (inout AppState, Key) -> [Effect]

    init(_ context: KeyContext, _ keys: [Key], _ help: String, hint: String? = nil, hintKeys: String? = nil,
         when: @escaping @Sendable (AppState) -> Bool = { _ in true }, hintWhen: (@Sendable (AppState) -> Bool)? = nil,
         _ perform: @escaping @Sendable (inout AppState, Key) -> [Effect]) {
        self.context = context
        self.keys = keys
        self.help = help
        self.hint = hint
        self.hintKeys = hintKeys
        self.when = when
        self.hintWhen = hintWhen ?? when
        self.perform = perform
    }

    /// "↑ ↓ k j" for the help screen.
    public var keysLabel: String { keys.isEmpty ? (hintKeys ?? "") : keys.map(\.longLabel).joined(separator: " ") }
    /// "↑↓" or "^S" for the hint bar.
    public var hintLabel: String { hintKeys ?? keys.first?.shortLabel ?? "" }
}

/// The keymap: which contexts are active for a state, which binding a key
/// meets there, and the hint bar and help screen, all from one table
/// (`Keymap.bindings`), so the help can never disagree with the keys.
public enum Keymap {
    /// The active contexts, most specific first.
    public static func contexts(_ s: AppState) -> [KeyContext] {
        // Too small to show anything: only quitting acts (resizing is an event).
        if s.isTooSmall { return [.tooSmall] }
        if let overlay = s.overlay { return overlayContexts(overlay) + [.always] }
        if s.comparison != nil { return [.compare, .commands, .always] }
        if s.gallery != nil { return [.gallery, .commands, .always] }
        switch s.focus {
        case .compose:
            switch s.composer.field {
            case .prompt: return [.prompt, .text, .composer, .global, .always]
            case .references: return [.references, .text, .composer, .global, .always]
            default: return [.fields, .composer, .commands, .global, .always]
            }
        case .tasks: return [.tasks, .taskActions, .commands, .global, .always]
        case .detail: return [.detail, .taskActions, .commands, .global, .always]
        }
    }

    private static func overlayContexts(_ o: Overlay) -> [KeyContext] {
        switch o {
        case .help: return [.help]
        case let .picker(p): return p.field == .size ? [.sizePicker, .picker] : [.picker]
        case .promptSearch: return [.promptSearch, .text]
        case .filter: return [.filter, .text]
        case .tags: return [.tagEditor, .text]
        case .profiles: return [.profiles]
        case .fullPreview: return [.fullPreview]
        case .messages: return [.messages]
        case .confirm: return [.confirm]
        case .completions: return [.completions]
        }
    }

    /// The binding a key meets in the state, if any.
    public static func binding(for key: Key, in s: AppState) -> Binding? {
        for c in contexts(s) {
            if let b = bindings.first(where: { $0.context == c && $0.keys.contains(key) && $0.when(s) }) { return b }
        }
        return nil
    }

    /// The hint bar's items for the state, most important first: the focused
    /// context's, then the ones that work everywhere.
    public static func hints(_ s: AppState) -> [Binding] {
        contexts(s).flatMap { c in bindings.filter { $0.context == c && $0.hint != nil && $0.hintWhen(s) } }
    }

    /// The help screen: each context with its bindings, in the table's order.
    public static var helpSections: [(title: String, bindings: [Binding])] {
        KeyContext.allCases.compactMap { c in
            let list = bindings.filter { $0.context == c }
            return list.isEmpty ? nil : (c.title, list)
        }
    }
}
