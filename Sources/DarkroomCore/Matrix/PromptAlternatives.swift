/// Prompt alternatives: `a {red|blue|green} fox in {fog|snow}` stands for every
/// combination (6 prompts), in reading order (the first group varies slowest).
///
/// - A group needs at least one `|`: `{style}` stays as written, braces and all.
/// - `\{`, `\}`, `\|` and `\\` are the characters themselves.
/// - Groups do not nest; an unclosed `{` or a stray `}` inside a group is an error
///   naming where it is.
public enum PromptAlternatives {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// One piece of a parsed prompt: text, or a choice between alternatives.
    enum Piece: Equatable {
        case text(String)
        case choice([String])
    }

    /// The prompts, every combination; `[prompt]` (unescaped) when there is no group.
    public static func expand(_ prompt: String) throws(Failure) -> [String] {
        var results = [""]
        for piece in try parse(prompt) {
            switch piece {
            case let .text(t): results = results.map { $0 + t }
            case let .choice(options): results = results.flatMap { r in options.map { r + $0 } }
            }
        }
        return results
    }

    /// How many prompts `prompt` stands for, without making them (1 when it cannot be read).
    public static func count(_ prompt: String) -> Int {
        ((try? parse(prompt)) ?? []).reduce(1) { n, p in if case let .choice(o) = p { return n * o.count } else { return n } }
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
                if let g = group { throw Failure(message: "a { inside the group opened at character \(g.at + 1): groups do not nest (\\{ is a brace)") }
                group = ([], "", "{", i)
            case "|" where group != nil:
                group!.options.append(group!.current)
                group!.current = ""
                group!.raw += "|"
            case "}" where group != nil:
                let g = group!
                group = nil
                if g.options.isEmpty {
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
            if g.options.isEmpty { text += g.raw } else {
                throw Failure(message: "the group opened at character \(g.at + 1) has no closing } (\\{ is a brace)")
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }
}
