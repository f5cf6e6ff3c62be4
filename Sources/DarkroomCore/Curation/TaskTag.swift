import Foundation

/// A tag on a task: one word, kept in lower case (tags are case-insensitive:
/// `Night` and `night` are one tag). Letters and digits of any script, and
/// `-`, `_`, `.`, `:` and `/` inside; at most `maxLength` characters. A
/// leading `#` (as typed in a search) is dropped.
public struct TaskTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let name: String
    public static let maxLength = 40

    /// The tag `text` names, or why it cannot be one (the message names the text).
    public static func parse(_ text: String) -> Result<TaskTag, TagError> {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("#") { t.removeFirst() }
        guard !t.isEmpty else { return .failure(.empty) }
        if t.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) }) {
            return .failure(.hasSpace(TerminalSanitizer.clean(text)))
        }
        if t.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            return .failure(.badCharacter(TerminalSanitizer.clean(text), "a control character"))
        }
        if let bad = t.unicodeScalars.first(where: { !(CharacterSet.alphanumerics.contains($0) || "-_.:/".unicodeScalars.contains($0)) }) {
            return .failure(.badCharacter(t, "“\(Character(bad))”"))
        }
        guard t.count <= maxLength else { return .failure(.tooLong(t)) }
        return .success(TaskTag(name: t.lowercased()))
    }

    private init(name: String) { self.name = name }

    /// A tag already stored (lower case, valid).
    public init(stored: String) { name = stored }

    public var description: String { name }
    public static func < (a: TaskTag, b: TaskTag) -> Bool { a.name < b.name }
}

/// Why a text is not a tag.
public enum TagError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case hasSpace(String)
    case badCharacter(String, String)
    case tooLong(String)

    public var description: String {
        switch self {
        case .empty: return "A tag cannot be empty."
        case .hasSpace(let t):
            let joined = t.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0.isWhitespace }).joined(separator: "-")
            return "A tag is one word: “\(t)” has a space (write \(joined), or give several tags)."
        case .badCharacter(let t, let what):
            return "A tag holds letters, digits and - _ . : / only: “\(t)” has \(what)."
        case .tooLong(let t): return "A tag is at most \(TaskTag.maxLength) characters: “\(t.prefix(20))…” has \(t.count)."
        }
    }
}
