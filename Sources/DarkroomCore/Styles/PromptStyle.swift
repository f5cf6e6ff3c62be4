/// A style: a named prompt wrapper from the config file,
///
/// ```toml
/// [styles.film]
/// prompt = "{prompt}, 35mm film, soft grain"
/// ```
///
/// `apply(to:)` puts the user's prompt where the template says `{prompt}`
/// (every occurrence). Styles are global: the same for every profile.
public struct PromptStyle: Equatable, Sendable, Hashable {
    /// The style's name: letters, digits, `_` and `-` (`PromptStyle.isName`).
    public let name: String
    /// The prompt as the style sends it, holding `{prompt}` at least once. Sent
    /// as written: `{a|b}` and `{@name}` inside a template are not expanded.
    public let template: String

    /// The placeholder a template holds for the user's prompt.
    public static let placeholder = "{prompt}"

    /// A style as given (no check: `parse` checks what the config file holds).
    public init(name: String, template: String) {
        self.name = name
        self.template = template
    }

    /// The prompt as sent: the template with each `{prompt}` replaced by `prompt`
    /// (in one pass: a `{prompt}` inside the user's prompt stays as typed).
    public func apply(to prompt: String) -> String {
        template.replacingOccurrences(of: Self.placeholder, with: prompt)
    }

    /// Whether `name` is a simple word: one or more ASCII letters, digits, `_` or `-`
    /// (the same rule as wildcard names).
    public static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-"
        }
    }

    /// The keys a `[styles.NAME]` table may hold.
    public static let keys = ["prompt"]

    /// Reads `[styles]` of the config file: each `[styles.NAME]` a table with
    /// `prompt`. A name that is not a simple word, a table without `prompt`, an
    /// empty template, one without `{prompt}`, one with control characters (a
    /// newline is allowed) or another key in the table is an error naming the style.
    static func parse(_ root: TOMLValue) throws(ConfigError) -> [String: PromptStyle] {
        guard let table = root["styles"] else { return [:] }
        let example = "[styles.film] with prompt = \"{prompt}, 35mm film\""
        guard let members = table.members else { throw .invalidFile("styles must be a table of styles: \(example)") }
        var styles: [String: PromptStyle] = [:]
        for (name, value) in members {
            let shown = TerminalSanitizer.clean(name)
            guard isName(name) else {
                throw .invalidFile("the style name \"\(shown)\" is not a simple word: use letters, digits, _ and - ([styles.\(shown.isEmpty ? "film" : "my_style")])")
            }
            guard let keys = value.members else { throw .invalidFile("[styles.\(name)] must be a table with prompt = \"{prompt}, …\"") }
            for (k, _) in keys where !Self.keys.contains(k) {
                throw .invalidFile("[styles.\(name)] has an unknown key \"\(TerminalSanitizer.clean(k))\": a style holds only prompt = \"{prompt}, …\"")
            }
            guard let v = value["prompt"] else { throw .invalidFile("[styles.\(name)] has no prompt: add prompt = \"{prompt}, …\"") }
            guard let template = v.string else { throw .invalidFile("[styles.\(name)] prompt must be a string in quotes, holding {prompt}") }
            guard !template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .invalidFile("[styles.\(name)] prompt is empty: write the style around {prompt}, e.g. prompt = \"{prompt}, 35mm film\"")
            }
            guard template.contains(placeholder) else {
                throw .invalidFile("[styles.\(name)] prompt has no {prompt}: write where your prompt goes, e.g. prompt = \"{prompt}, 35mm film\"")
            }
            if let bad = template.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }) {
                throw .invalidFile("[styles.\(name)] prompt holds a control character (U+\(String(format: "%04X", bad.value))); only a newline is allowed")
            }
            styles[name] = PromptStyle(name: name, template: template)
        }
        return styles
    }

    /// What to say of a style the config file does not have: the styles it has
    /// (and the nearest, when one is close), or how to define one. `file` is the
    /// config file's path, as shown.
    public static func unknown(_ name: String, styles: [String: PromptStyle], file: String) -> String {
        let shown = TerminalSanitizer.clean(name)
        guard !styles.isEmpty else {
            return "no style \"\(shown)\": \(file) defines none; add one there:\n  [styles.\(isName(name) ? name : "film")]\n  prompt = \"{prompt}, 35mm film, soft grain\""
        }
        let near = ConfigKeys.nearest(name, in: Array(styles.keys)).map { "did you mean \($0)? " } ?? ""
        return "no style \"\(shown)\" in \(file); \(near)styles: \(styles.keys.sorted().joined(separator: ", "))"
    }
}

/// The style a request was made with: its name and the user's own prompt before
/// the style was applied (`ImageRequest.prompt` is the prompt as sent). Kept
/// with the request in the history; never sent to the server.
public struct StyleUse: Codable, Equatable, Sendable, Hashable {
    public var name: String
    /// The prompt as typed (after `{a|b}` and `{@name}` were expanded, before the style).
    public var prompt: String

    public init(name: String, prompt: String) {
        self.name = name
        self.prompt = prompt
    }
}

extension ImageRequest {
    /// The prompt the user wrote: `style.prompt` when a style was applied, else `prompt`.
    public var typedPrompt: String { style?.prompt ?? prompt }

    /// This request under `style` (nil: none), starting from the prompt as typed,
    /// so styling a styled request replaces its style rather than wrapping it twice.
    public func styled(_ style: PromptStyle?) -> ImageRequest {
        var r = self
        let typed = typedPrompt
        r.prompt = style?.apply(to: typed) ?? typed
        r.style = style.map { StyleUse(name: $0.name, prompt: typed) }
        return r
    }
}
