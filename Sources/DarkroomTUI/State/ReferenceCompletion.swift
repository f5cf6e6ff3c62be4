import DarkroomCore

/// A Tab in the Reference field: which folder to list for which word.
public struct DirectoryQuery: Equatable, Sendable {
    /// The folder as typed and expanded ("" for the current folder; ends with "/").
    public var directory: String
    /// The part of the name typed so far.
    public var prefix: String
    /// The field and cursor when Tab was pressed: an answer for another text is dropped.
    public var field: String
    public var cursor: Int
    public var quote: ReferenceText.Quote?
}

/// Several names match: the list to pick one from.
public struct Completions: Equatable, Sendable {
    public var query: DirectoryQuery
    public var entries: [DirectoryEntry]
    public var index = 0
}

/// Path completion in the Reference field, as a shell does it: Tab completes
/// the word at the cursor to the one name that matches, or to what all the
/// matches share, then lists them to pick from. Listing the folder is an
/// Effect (`.listDirectory`); the shell answers with `.directoryListed`.
enum ReferenceCompletion {
    static func start(_ s: inout AppState) -> [Effect] {
        let e = s.composer.references
        let before = String(e.chars.prefix(e.cursor))
        let (words, quote) = ReferenceText.words(before, home: s.composer.home)
        // Nothing typed at the cursor: Tab moves on, as everywhere.
        guard let word = words.last, word.end == e.cursor, e.cursor == e.chars.count || e.chars[e.cursor] == " " else {
            return FocusRing.move(&s, by: 1)
        }
        let lower = word.text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file:") {
            s.say("Tab completes file paths; links are taken as they are")
            return []
        }
        let path = word.text
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let prefix = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let q = DirectoryQuery(directory: directory, prefix: prefix, field: e.text, cursor: e.cursor, quote: quote)
        s.completionQuery = q
        return [.listDirectory(q)]
    }

    /// The shell listed the folder.
    static func listed(_ s: inout AppState, _ q: DirectoryQuery, _ entries: [DirectoryEntry]) {
        guard s.completionQuery == q, s.composer.references.text == q.field, s.composer.references.cursor == q.cursor else { return }
        s.completionQuery = nil
        let names = entries.filter { $0.name.hasPrefix(q.prefix) }
        guard let first = names.first else {
            s.say("Nothing in \(q.directory.isEmpty ? "the current folder" : q.directory) starts with \"\(q.prefix)\"")
            return
        }
        if names.count == 1 { return complete(&s, q, first) }
        let common = names.dropFirst().reduce(first.name) { String($0.commonPrefix(with: $1.name)) }
        if common.count > q.prefix.count {
            insert(&s, ReferenceText.escape(String(common.dropFirst(q.prefix.count)), in: q.quote))
            return
        }
        s.overlay = .completions(Completions(query: q, entries: names))
    }

    /// Completes the word to one name: a folder gets its "/", a file closes the
    /// quote and gets a space, as a shell does.
    static func complete(_ s: inout AppState, _ q: DirectoryQuery, _ entry: DirectoryEntry) {
        var tail = ReferenceText.escape(String(entry.name.dropFirst(q.prefix.count)), in: q.quote)
        if entry.isDirectory {
            tail += "/"
        } else {
            if let quote = q.quote { tail += quote == .single ? "'" : "\"" }
            tail += " "
        }
        insert(&s, tail)
    }

    private static func insert(_ s: inout AppState, _ text: String) {
        s.composer.references.insert(text)
    }

    // The list of matches.

    static func move(_ s: inout AppState, _ k: Key) -> [Effect] {
        guard var c = s.overlay?.completions else { return [] }
        let last = max(0, c.entries.count - 1)
        switch k {
        case .up, .char("k"), .backTab: c.index = c.index == 0 ? last : c.index - 1
        case .pageUp: c.index = max(0, c.index - 10)
        case .pageDown: c.index = min(last, c.index + 10)
        default: c.index = c.index == last ? 0 : c.index + 1
        }
        s.overlay = .completions(c)
        return []
    }

    static func pick(_ s: inout AppState) -> [Effect] {
        guard let c = s.overlay?.completions else { return [] }
        s.overlay = nil
        if c.entries.indices.contains(c.index) { complete(&s, c.query, c.entries[c.index]) }
        return []
    }
}
