/// Prompt alternatives: `a {red|blue|green} fox in {fog|snow}` stands for every
/// combination (6 prompts), in reading order (the first group varies slowest).
///
/// - A group needs at least one `|`: `{style}` stays as written, braces and all.
/// - `{@colors}` stands for every line of the wildcard file `colors.txt`
///   (`WildcardSet`), as a group stands for each alternative; a name is letters,
///   digits, `_` and `-`. Two `{@colors}` in one prompt vary independently.
/// - `\{`, `\}`, `\|` and `\\` are the characters themselves (`\{@x}` is text).
/// - Groups do not nest, and a wildcard may not stand inside a group
///   (`{a|{@x}}`); an unclosed `{` or a stray `}` inside a group is an error
///   naming where it is.
public enum PromptAlternatives {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// One piece of a parsed prompt: text, a choice between alternatives, or a wildcard.
    enum Piece: Equatable {
        case text(String)
        case choice([String])
        case wildcard(String)
    }

    /// One prompt a prompt stands for: the prompt, the same with its wildcards
    /// left as `{@name}` (what its alternatives chose), and each wildcard's line.
    struct Variant: Equatable {
        var prompt: String
        var template: String
        var picks: [(name: String, line: String)]

        static func == (a: Variant, b: Variant) -> Bool {
            a.prompt == b.prompt && a.template == b.template && a.picks.map(\.name) == b.picks.map(\.name) && a.picks.map(\.line) == b.picks.map(\.line)
        }
    }

    /// The prompts, every combination; `[prompt]` (unescaped) when there is no
    /// group or wildcard. A wildcard `wildcards` cannot give (no such file, an
    /// empty file, a line with a control character, a bad name) is a failure
    /// naming the file and the line.
    public static func expand(_ prompt: String, wildcards: WildcardSet = WildcardSet()) throws(Failure) -> [String] {
        try variants(prompt, wildcards: wildcards).map(\.prompt)
    }

    /// The prompts with what made each one (see `Variant`).
    static func variants(_ prompt: String, wildcards: WildcardSet) throws(Failure) -> [Variant] {
        var results = [Variant(prompt: "", template: "", picks: [])]
        for piece in try parse(prompt) {
            switch piece {
            case let .text(t): results = results.map { Variant(prompt: $0.prompt + t, template: $0.template + t, picks: $0.picks) }
            case let .choice(options):
                results = results.flatMap { r in options.map { Variant(prompt: r.prompt + $0, template: r.template + $0, picks: r.picks) } }
            case let .wildcard(name):
                let lines: [String]
                switch wildcards.choices(name) {
                case let .success(l): lines = l
                case let .failure(p): throw Failure(message: p.message)
                }
                results = results.flatMap { r in lines.map { Variant(prompt: r.prompt + $0, template: r.template + "{@\(name)}", picks: r.picks + [(name, $0)]) } }
            }
        }
        return results
    }

    /// How many prompts `prompt` stands for, without making them (1 when it
    /// cannot be read; a wildcard that cannot be used counts 1). Saturates at
    /// `Int.max` rather than overflowing.
    public static func count(_ prompt: String, wildcards: WildcardSet = WildcardSet()) -> Int {
        ((try? parse(prompt)) ?? []).reduce(1) { n, p in
            switch p {
            case .text: return n
            case let .choice(o): return multiplied(n, o.count)
            case let .wildcard(name): return multiplied(n, (try? wildcards.choices(name).get())?.count ?? 1)
            }
        }
    }

    /// The wildcards `prompt` uses, in reading order, each once (empty when it
    /// cannot be read): what a caller loads, or checks, before expanding.
    public static func wildcardNames(_ prompt: String) -> [String] {
        var names: [String] = []
        for case let .wildcard(n) in (try? parse(prompt)) ?? [] where !names.contains(n) { names.append(n) }
        return names
    }

    /// `a * b`, or `Int.max` when that would overflow.
    static func multiplied(_ a: Int, _ b: Int) -> Int {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : r
    }

    static func parse(_ prompt: String) throws(Failure) -> [Piece] {
        var pieces: [Piece] = []
        var text = ""
        var group: (options: [String], current: String, raw: String, at: Int)?
        var escaped = false
        for (i, c) in prompt.enumerated() {
            if escaped {
                escaped = false
                if group != nil { group!.current.append(c); group!.raw += "\\" + String(c) } else { text.append(c) }
                continue
            }
            switch c {
            case "\\":
                escaped = true
            case "{":
                if let g = group {
                    if prompt.dropFirst(i + 1).first == "@" {
                        throw Failure(message: "a wildcard {@…} inside the group opened at character \(g.at + 1): a wildcard cannot be one alternative of a group; put it outside the group (\\{ is a brace)")
                    }
                    throw Failure(message: "a { inside the group opened at character \(g.at + 1): groups do not nest (\\{ is a brace)")
                }
                group = ([], "", "{", i)
            case "|" where group != nil:
                group!.options.append(group!.current)
                group!.current = ""
                group!.raw += "|"
            case "}" where group != nil:
                let g = group!
                group = nil
                if g.options.isEmpty, g.raw.hasPrefix("{@") {
                    // A wildcard: the lines of a file (its name is checked where it is used).
                    if !text.isEmpty { pieces.append(.text(text)); text = "" }
                    pieces.append(.wildcard(g.current.hasPrefix("@") ? String(g.current.dropFirst()) : g.current))
                } else if g.raw.hasPrefix("{@") {
                    throw Failure(message: "the wildcard opened at character \(g.at + 1) holds a |: a wildcard is {@name}, one name (\\{ is a brace)")
                } else if g.options.isEmpty {
                    // No alternatives: the braces are part of the prompt.
                    text += g.raw + "}"
                } else {
                    if !text.isEmpty { pieces.append(.text(text)); text = "" }
                    pieces.append(.choice(g.options + [g.current]))
                }
            default:
                if group != nil { group!.current.append(c); group!.raw.append(c) } else { text.append(c) }
            }
        }
        if escaped { text.append("\\") }
        if let g = group {
            if g.raw.hasPrefix("{@") {
                throw Failure(message: "the wildcard opened at character \(g.at + 1) has no closing } (\\{ is a brace)")
            }
            if g.options.isEmpty { text += g.raw } else {
                throw Failure(message: "the group opened at character \(g.at + 1) has no closing } (\\{ is a brace)")
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }
}
